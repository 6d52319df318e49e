/**
 * Optimizers ({@link SGD}, {@link AdamW}) that update parameter tensors in place, global-norm gradient
 * clipping, learning-rate schedules, and {@link assign} (in-place copy into a tensor's storage).
 * @packageDocumentation
 */
export { AdamW, type AdamWConfig, type AdamWOptions } from './adamw.js';
export { assign } from './assign.js';
export { type ClipGradNormResult, clipGradNorm } from './clip.js';
export { type Hyperparameters, Optimizer, type OptimizerStateDict } from './optimizer.js';
export {
  type CosineDecayOptions,
  constantSchedule,
  cosineDecay,
  type LinearWarmupOptions,
  linearWarmup,
  type Schedule,
  type StepDecayOptions,
  stepDecay,
  type WarmupCosineOptions,
  warmupCosine,
} from './schedules.js';
export { SGD, type SGDConfig, type SGDOptions } from './sgd.js';
