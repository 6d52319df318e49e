/**
 * Learning-rate schedules as pure functions of the step: `schedule(step)` is the learning rate for the
 * update made after `step` updates (so `schedule(0)` drives the first update), the convention of PyTorch's
 * `LambdaLR` and Hugging Face's schedulers. Use `opt.step(grads, schedule(opt.stepCount))`; a resumed run
 * continues the schedule from the restored step count with no scheduler state to save.
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors.js';

/** A learning rate as a function of the number of updates already made (an integer ≥ 0). */
export type Schedule = (step: number) => number;

function checkRate(op: string, name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new InvalidArgumentError(op, `${name} must be a non-negative finite number, got ${value}`);
  }
}

function checkCount(op: string, name: string, value: number, positive = false): void {
  if (!Number.isInteger(value) || value < (positive ? 1 : 0)) {
    throw new InvalidArgumentError(
      op,
      `${name} must be a ${positive ? 'positive' : 'non-negative'} integer, got ${value}`,
    );
  }
}

function checkStep(op: string, step: number): void {
  if (!(Number.isFinite(step) && step >= 0)) {
    throw new InvalidArgumentError(op, `step must be a non-negative finite number, got ${step}`);
  }
}

/** The same learning rate at every step. */
export function constantSchedule(lr: number): Schedule {
  checkRate('constantSchedule', 'lr', lr);
  return (step) => {
    checkStep('constantSchedule', step);
    return lr;
  };
}

/** Options of {@link linearWarmup}. */
export interface LinearWarmupOptions {
  /** Steps of linear increase from 0. */
  readonly warmupSteps: number;
  /** Learning rate reached at `warmupSteps` and kept afterwards. */
  readonly peakLr: number;
}

/**
 * Linear warm-up then constant: `peakLr · step / warmupSteps` for `step < warmupSteps`, then `peakLr`
 * (Hugging Face `get_constant_schedule_with_warmup`). The first update uses learning rate 0.
 */
export function linearWarmup(options: LinearWarmupOptions): Schedule {
  const op = 'linearWarmup';
  const { warmupSteps, peakLr } = options;
  checkCount(op, 'warmupSteps', warmupSteps);
  checkRate(op, 'peakLr', peakLr);
  return (step) => {
    checkStep(op, step);
    return step < warmupSteps ? peakLr * (step / Math.max(1, warmupSteps)) : peakLr;
  };
}

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** Step at which the learning rate reaches `minLr` (and stays there). */
  readonly totalSteps: number;
  /** Learning rate at step 0. */
  readonly peakLr: number;
  /** Final learning rate. Default 0. */
  readonly minLr?: number;
}

/**
 * Cosine decay from `peakLr` at step 0 to `minLr` at `totalSteps`, then constant:
 * `minLr + (peakLr − minLr) · ½(1 + cos(π · min(step, totalSteps) / totalSteps))`
 * (PyTorch `CosineAnnealingLR` over one half period, with `eta_min = minLr`).
 */
export function cosineDecay(options: CosineDecayOptions): Schedule {
  return warmupCosineImpl('cosineDecay', { ...options, warmupSteps: 0 });
}

/** Options of {@link warmupCosine}. */
export interface WarmupCosineOptions {
  /** Steps of linear warm-up from 0 to `peakLr`. */
  readonly warmupSteps: number;
  /** Step at which the cosine reaches `minLr` (warm-up included); the rate stays at `minLr` afterwards. */
  readonly totalSteps: number;
  /** Learning rate at the end of the warm-up. */
  readonly peakLr: number;
  /** Final learning rate. Default 0. */
  readonly minLr?: number;
}

/**
 * Linear warm-up from 0 to `peakLr` over `warmupSteps`, then cosine decay to `minLr` at `totalSteps`:
 * ```
 * step < warmupSteps:  peakLr · step / max(1, warmupSteps)
 * otherwise:           minLr + (peakLr − minLr) · ½(1 + cos(π·p)),
 *                      p = min(1, (step − warmupSteps) / max(1, totalSteps − warmupSteps))
 * ```
 * With `minLr = 0` this is Hugging Face's `get_cosine_schedule_with_warmup` (`num_cycles = 0.5`) for every
 * step up to `totalSteps`; with `minLr > 0` it is `get_cosine_with_min_lr_schedule_with_warmup`. Past
 * `totalSteps` it stays at `minLr` (Hugging Face's formula would rise again).
 * @throws {@link InvalidArgumentError} unless `0 ≤ warmupSteps ≤ totalSteps` (integers) and
 * `0 ≤ minLr ≤ peakLr`.
 */
export function warmupCosine(options: WarmupCosineOptions): Schedule {
  return warmupCosineImpl('warmupCosine', options);
}

function warmupCosineImpl(op: string, options: WarmupCosineOptions): Schedule {
  const { warmupSteps, totalSteps, peakLr } = options;
  const minLr = options.minLr ?? 0;
  checkCount(op, 'warmupSteps', warmupSteps);
  checkCount(op, 'totalSteps', totalSteps);
  if (totalSteps < warmupSteps) {
    throw new InvalidArgumentError(op, `totalSteps (${totalSteps}) must be ≥ warmupSteps (${warmupSteps})`);
  }
  checkRate(op, 'peakLr', peakLr);
  checkRate(op, 'minLr', minLr);
  if (minLr > peakLr) throw new InvalidArgumentError(op, `minLr (${minLr}) must be ≤ peakLr (${peakLr})`);
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  return (step) => {
    checkStep(op, step);
    if (step < warmupSteps) return peakLr * (step / Math.max(1, warmupSteps));
    const progress = Math.min(1, (step - warmupSteps) / decaySteps);
    const factor = 0.5 * (1 + Math.cos(Math.PI * progress));
    return minLr === 0 ? peakLr * factor : minLr + (peakLr - minLr) * factor;
  };
}

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** Learning rate for steps `[0, stepSize)`. */
  readonly initialLr: number;
  /** Number of steps between decays. */
  readonly stepSize: number;
  /** Multiplicative factor per decay. Default 0.1. */
  readonly gamma?: number;
}

/**
 * Piecewise-constant decay: `initialLr · gamma^⌊step / stepSize⌋` (PyTorch `StepLR`).
 */
export function stepDecay(options: StepDecayOptions): Schedule {
  const op = 'stepDecay';
  const { initialLr, stepSize } = options;
  const gamma = options.gamma ?? 0.1;
  checkRate(op, 'initialLr', initialLr);
  checkCount(op, 'stepSize', stepSize, true);
  checkRate(op, 'gamma', gamma);
  return (step) => {
    checkStep(op, step);
    return initialLr * gamma ** Math.floor(step / stepSize);
  };
}
