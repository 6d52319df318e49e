/**
 * Uptraining: next-token training of a model (a SUPRA model, or a Transformer trained from scratch) with
 * AdamW (β = (0.9, 0.95) by default, as the paper), linear warm-up then cosine decay, and global gradient
 * clipping; progress events; and a state that resumes exactly.
 * @packageDocumentation
 */
import {
  AdamW,
  clipGradNorm,
  crossEntropy,
  gradients,
  type OptimizerStateDict,
  requireGrad,
  type Schedule,
  type Tensor,
  tensor,
  tidy,
  warmupCosine,
} from '@aaren/core';
import { SupraOptionError } from '../errors.js';
import type { CausalLM } from '../models/causal-lm.js';
import type { TokenBatch, TokenWindows } from './token-windows.js';

/** Options of a {@link Trainer}. */
export interface TrainerOptions {
  /** Optimisation steps in all. */
  readonly steps: number;
  /** Rows per batch (each `data.seqLength` tokens). */
  readonly batchSize: number;
  /** Peak learning rate. Default 1e-3. */
  readonly lr?: number;
  /** Learning rate at the end of the cosine. Default `lr / 10`. */
  readonly minLr?: number;
  /** Linear warm-up steps. Default `min(100, ⌊steps / 10⌋)`. */
  readonly warmupSteps?: number;
  /** AdamW (β₁, β₂). Default (0.9, 0.95). */
  readonly betas?: readonly [number, number];
  /** AdamW decoupled weight decay. Default 0.1. */
  readonly weightDecay?: number;
  /** AdamW ε. Default 1e-8. */
  readonly eps?: number;
  /** Clip the global gradient norm to this. Default 1. `Infinity` turns clipping off. */
  readonly clipNorm?: number;
  /** Which weights to train: a predicate on names or a list of names. Default: every weight. */
  readonly trainable?: ((name: string) => boolean) | readonly string[];
  /** The loss of a batch (default: next-token cross-entropy of `model.forward`). */
  readonly loss?: (model: CausalLM, batch: TokenBatch) => Tensor;
}

/** {@link TrainerOptions} resolved to plain data (saved with checkpoints). */
export interface ResolvedTrainerOptions {
  /** Steps in all. */
  readonly steps: number;
  /** Rows per batch. */
  readonly batchSize: number;
  /** Peak learning rate. */
  readonly lr: number;
  /** Final learning rate. */
  readonly minLr: number;
  /** Warm-up steps. */
  readonly warmupSteps: number;
  /** AdamW betas. */
  readonly betas: readonly [number, number];
  /** Weight decay. */
  readonly weightDecay: number;
  /** AdamW ε. */
  readonly eps: number;
  /** Gradient clipping norm. */
  readonly clipNorm: number;
}

/** What a progress callback receives after each step. */
export interface TrainProgress {
  /** Steps done (1 after the first step). */
  readonly step: number;
  /** Steps in all. */
  readonly totalSteps: number;
  /** Loss of this step's batch. */
  readonly loss: number;
  /** Learning rate used by this step. */
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Training tokens consumed so far (all runs of this training, resumed ones included). */
  readonly tokens: number;
  /** Tokens per second in this run. */
  readonly tokensPerSecond: number;
  /** Milliseconds since this run started. */
  readonly elapsedMs: number;
}

/** Everything besides the weights that a resumed trainer needs (JSON data plus optimizer tensors). */
export interface TrainerState {
  /** Steps done. */
  readonly step: number;
  /** Tokens consumed. */
  readonly tokens: number;
  /** The resolved options. */
  readonly options: ResolvedTrainerOptions;
  /** Names of the trained weights, in optimizer order. */
  readonly trainable: readonly string[];
  /** Seed and window length of the data order. */
  readonly data: { readonly seed: number; readonly seqLength: number };
  /** The optimizer state. */
  readonly optimizer: OptimizerStateDict;
}

/** Options of {@link Trainer.run}. */
export interface RunOptions {
  /** Stop after this step (default: `options.steps`). */
  readonly until?: number;
  /** Called after every step. */
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Call `onCheckpoint` every this many steps (and after the last). */
  readonly checkpointEvery?: number;
  /** Saves a checkpoint (e.g. `saveTrainerCheckpoint` from `@aaren/supra/node`). */
  readonly onCheckpoint?: (trainer: Trainer) => Promise<void>;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new SupraOptionError('Trainer', name, `must be a positive integer, got ${value}`);
  }
  return value;
}

/** Resolves {@link TrainerOptions} with their defaults. */
export function resolveTrainerOptions(options: TrainerOptions): ResolvedTrainerOptions {
  const steps = positiveInteger('steps', options.steps);
  const lr = options.lr ?? 1e-3;
  const warmupSteps = options.warmupSteps ?? Math.min(100, Math.floor(steps / 10));
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0 || warmupSteps > steps) {
    throw new SupraOptionError(
      'Trainer',
      'warmupSteps',
      `must be an integer in [0, steps], got ${warmupSteps}`,
    );
  }
  const clipNorm = options.clipNorm ?? 1;
  if (!(clipNorm > 0)) throw new SupraOptionError('Trainer', 'clipNorm', `must be > 0, got ${clipNorm}`);
  return {
    steps,
    batchSize: positiveInteger('batchSize', options.batchSize),
    lr,
    minLr: options.minLr ?? lr / 10,
    warmupSteps,
    betas: options.betas ?? [0.9, 0.95],
    weightDecay: options.weightDecay ?? 0.1,
    eps: options.eps ?? 1e-8,
    clipNorm,
  };
}

/** Next-token cross-entropy of `model` on `batch`. */
export function nextTokenLoss(model: CausalLM, batch: TokenBatch): Tensor {
  const shape = [batch.batch, batch.seqLength];
  const logits = model.forward(tensor(model.backend, batch.inputs, shape, 'i32'));
  return crossEntropy(logits, tensor(model.backend, batch.targets, shape, 'i32'));
}

/**
 * Trains `model` in place on `data`.
 *
 * @example
 * ```ts
 * const trainer = new Trainer(supra, new TokenWindows(tokens, 128), { steps: 500, batchSize: 8, lr: 1e-3 });
 * await trainer.run({ onProgress: (p) => console.log(p.step, p.loss) });
 * ```
 */
export class Trainer {
  /** The model being trained (its weights change in place). */
  readonly model: CausalLM;
  /** The training data. */
  readonly data: TokenWindows;
  /** The resolved options. */
  readonly options: ResolvedTrainerOptions;
  /** The optimizer over {@link Trainer.trainable}. */
  readonly optimizer: AdamW;
  /** Names of the trained weights. */
  readonly trainable: readonly string[];
  /** The learning-rate schedule. */
  readonly schedule: Schedule;
  /** Steps done. */
  step = 0;
  /** Training tokens consumed. */
  tokens = 0;
  private readonly lossFn: (model: CausalLM, batch: TokenBatch) => Tensor;

  constructor(model: CausalLM, data: TokenWindows, options: TrainerOptions) {
    this.model = model;
    this.data = data;
    this.options = resolveTrainerOptions(options);
    const pick = options.trainable;
    const names = [...model.weights.keys()];
    this.trainable =
      pick === undefined
        ? names
        : typeof pick === 'function'
          ? names.filter(pick)
          : names.filter((n) => pick.includes(n));
    if (Array.isArray(pick)) {
      const missing = pick.find((n) => !model.weights.has(n));
      if (missing)
        throw new SupraOptionError('Trainer', 'trainable', `names '${missing}', not a weight of the model`);
    }
    if (this.trainable.length === 0) throw new SupraOptionError('Trainer', 'trainable', 'selects no weight');
    const params = this.trainable.map((n) => requireGrad(model.weights.get(n)!));
    const o = this.options;
    this.optimizer = new AdamW(params, {
      lr: o.lr,
      betas: [o.betas[0], o.betas[1]],
      eps: o.eps,
      weightDecay: o.weightDecay,
    });
    this.schedule = warmupCosine({
      warmupSteps: o.warmupSteps,
      totalSteps: o.steps,
      peakLr: o.lr,
      minLr: o.minLr,
    });
    this.lossFn = options.loss ?? nextTokenLoss;
  }

  /** One optimisation step on the next batch; returns its loss, gradient norm and learning rate. */
  async trainStep(): Promise<{ loss: number; gradNorm: number; lr: number }> {
    const batch = this.data.batch(this.step, this.options.batchSize);
    const lr = this.schedule(this.step);
    const params = this.optimizer.params;
    const [loss, norm] = tidy(() => {
      const value = this.lossFn(this.model, batch);
      const { grads, totalNorm } = clipGradNorm(gradients(value, params), this.options.clipNorm);
      this.optimizer.step(grads, lr);
      return [value, totalNorm];
    });
    const result = { loss: await loss.item(), gradNorm: await norm.item(), lr };
    loss.dispose();
    norm.dispose();
    this.step++;
    this.tokens += batch.batch * batch.seqLength;
    return result;
  }

  /** Trains until `options.until` (default: all steps), reporting progress and saving checkpoints. */
  async run(options: RunOptions = {}): Promise<{ loss: number; steps: number }> {
    const until = Math.min(options.until ?? this.options.steps, this.options.steps);
    const started = Date.now();
    const startTokens = this.tokens;
    let last = Number.NaN;
    while (this.step < until) {
      const { loss, gradNorm, lr } = await this.trainStep();
      last = loss;
      const elapsedMs = Date.now() - started;
      options.onProgress?.({
        step: this.step,
        totalSteps: this.options.steps,
        loss,
        lr,
        gradNorm,
        tokens: this.tokens,
        tokensPerSecond: ((this.tokens - startTokens) * 1000) / Math.max(1, elapsedMs),
        elapsedMs,
      });
      const every = options.checkpointEvery;
      if (options.onCheckpoint && ((every && this.step % every === 0) || this.step === until)) {
        await options.onCheckpoint(this);
      }
    }
    return { loss: last, steps: this.step };
  }

  /** The state to save besides the weights (the optimizer tensors are fresh copies: dispose them after saving). */
  state(): TrainerState {
    return {
      step: this.step,
      tokens: this.tokens,
      options: this.options,
      trainable: this.trainable,
      data: { seed: this.data.seed, seqLength: this.data.seqLength },
      optimizer: this.optimizer.stateDict(),
    };
  }

  /**
   * Restores a saved {@link TrainerState} (the model's weights must already be the saved ones).
   * @throws {@link SupraOptionError} when it was saved for other weights or data.
   */
  restore(state: TrainerState): void {
    if (state.trainable.join('\n') !== this.trainable.join('\n')) {
      throw new SupraOptionError(
        'Trainer.restore',
        'trainable',
        'differs from the saved list of trained weights',
      );
    }
    if (state.data.seqLength !== this.data.seqLength || state.data.seed !== this.data.seed) {
      throw new SupraOptionError('Trainer.restore', 'data', 'seed or seqLength differ from the saved run');
    }
    this.optimizer.loadStateDict(state.optimizer);
    this.step = state.step;
    this.tokens = state.tokens;
  }
}
