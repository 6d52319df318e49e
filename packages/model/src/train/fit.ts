/**
 * {@link fit}: mini-batch training with seeded shuffling, AdamW, learning-rate schedules, gradient
 * clipping, early stopping on a validation split, per-epoch metrics, progress callbacks, and snapshots for
 * checkpoints that resume exactly.
 * @packageDocumentation
 */
import {
  AdamW,
  type AdamWOptions,
  assign,
  clipGradNorm,
  constantSchedule,
  createRng,
  gradients,
  keep,
  mul,
  noGrad,
  type OptimizerStateDict,
  type RngState,
  type Schedule,
  type Tensor,
  tidy,
  warmupCosine,
} from '@aaren/core';
import { ModelConfigError } from '../errors.js';
import type { Metrics } from '../heads/metrics.js';
import type { Dataset } from './dataset.js';
import { checkBatchSize, evaluate, MetricAccumulator, type Trainable } from './evaluate.js';

/** The data of {@link fit}: a training set and an optional validation set (for early stopping). */
export interface FitData<B> {
  /** Training examples (shuffled each epoch). */
  readonly train: Dataset<B>;
  /** Validation examples (evaluated after each epoch, in order). */
  readonly validation?: Dataset<B> | null;
}

/** Early stopping on a monitored metric. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  readonly patience: number;
  /** Smallest change that counts as an improvement. Default 0. */
  readonly minDelta?: number;
  /** Metric to watch: a validation metric (or a training one without a validation set). Default `'loss'`. */
  readonly monitor?: string;
  /** `'min'` (default) or `'max'` (e.g. for accuracy). */
  readonly mode?: 'min' | 'max';
  /** Put back the parameters of the best epoch at the end. Default `true`. */
  readonly restoreBest?: boolean;
}

/** One epoch of {@link FitResult.history}. */
export interface EpochRecord {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /** Training metrics, averaged over the epoch's batches (as they were during training). */
  readonly train: Metrics;
  /** Validation metrics after the epoch, or `null` without a validation set. */
  readonly validation: Metrics | null;
  /** Learning rate of the epoch's last update. */
  readonly learningRate: number;
  /** Optimizer steps made so far (all epochs). */
  readonly steps: number;
  /** Wall-clock seconds of the epoch (training and validation). */
  readonly seconds: number;
}

/** Progress events of {@link fit}. */
export type FitProgress =
  | {
      /** After an optimizer step (every `progressEvery` steps). */
      readonly type: 'step';
      /** Current epoch, from 1. */
      readonly epoch: number;
      /** Batch index within the epoch, from 1. */
      readonly batch: number;
      /** Batches per epoch. */
      readonly batches: number;
      /** Optimizer steps made so far. */
      readonly step: number;
      /** The batch's loss. */
      readonly loss: number;
      /** Learning rate used by the step. */
      readonly learningRate: number;
    }
  | {
      /** After an epoch (and its validation). */
      readonly type: 'epoch';
      /** The epoch's record. */
      readonly record: EpochRecord;
      /** Whether the monitored metric improved (always `true` without early stopping). */
      readonly improved: boolean;
    };

/** Early-stopping bookkeeping, part of a {@link TrainingSnapshot}. */
export interface EarlyStoppingState {
  /** Best monitored value so far (`null` before the first epoch). */
  readonly best: number | null;
  /** Epoch of the best value (0 before the first). */
  readonly bestEpoch: number;
  /** Epochs since the last improvement. */
  readonly wait: number;
}

/**
 * Everything needed to continue training exactly where it stopped: produced by {@link fit} after each
 * epoch (the `checkpoint` option), stored by `saveCheckpoint`, read by `loadCheckpoint`, and passed back as
 * `resume`. Tensors in it belong to whoever created the snapshot.
 */
export interface TrainingSnapshot {
  /** Completed epochs. */
  readonly epoch: number;
  /** Optimizer state (AdamW moments, step counts, hyperparameters). */
  readonly optimizer: OptimizerStateDict;
  /** State of the shuffling generator after `epoch` epochs. */
  readonly rngState: RngState;
  /** Per-epoch records so far. */
  readonly history: readonly EpochRecord[];
  /** Early-stopping bookkeeping. */
  readonly earlyStopping: EarlyStoppingState;
  /** Parameters of the best epoch (with `restoreBest`), by name; `null` otherwise. */
  readonly bestParameters: ReadonlyMap<string, Tensor> | null;
  /** Parameter names in optimizer order (checked on resume). */
  readonly parameterNames: readonly string[];
  /** Total optimizer steps the schedule was planned for (checked on resume). */
  readonly totalSteps: number;
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Epochs to train (in total, counting those of a resumed snapshot). */
  readonly epochs: number;
  /** Examples per batch. Default 32. */
  readonly batchSize?: number;
  /** Seed of the shuffling generator. Default 0. */
  readonly seed?: number;
  /** Shuffle the training set every epoch. Default `true`. */
  readonly shuffle?: boolean;
  /** Drop the last incomplete batch of each epoch. Default `false`. */
  readonly dropLast?: boolean;
  /** AdamW hyperparameters (defaults as PyTorch: lr 1e-3, weight decay 1e-2). */
  readonly optimizer?: AdamWOptions;
  /**
   * Learning rate per step: `'constant'` (default: `optimizer.lr`), `'warmupCosine'` (linear warm-up over
   * `warmupSteps` to `optimizer.lr`, cosine decay to `minLr` at the last step), or any `Schedule` function of
   * the number of updates made.
   */
  readonly schedule?: 'constant' | 'warmupCosine' | Schedule;
  /** Warm-up steps of `'warmupCosine'`. Default: 5% of all steps. */
  readonly warmupSteps?: number;
  /** Final learning rate of `'warmupCosine'`. Default 0. */
  readonly minLr?: number;
  /** Clip gradients to this global L2 norm. Default: no clipping. */
  readonly clipGradNorm?: number;
  /** Stop when the monitored metric stops improving. */
  readonly earlyStopping?: EarlyStoppingOptions;
  /** Batch size of validation. Default `batchSize`. */
  readonly validationBatchSize?: number;
  /** Called with progress events (awaited). */
  readonly onProgress?: (event: FitProgress) => void | Promise<void>;
  /** Send a `'step'` event every this many steps. Default 10. */
  readonly progressEvery?: number;
  /**
   * Called after every epoch with a snapshot (e.g. `checkpointTo(dir)` from `@aaren/model/node`); awaited.
   * Its tensors are freed after the call returns.
   */
  readonly checkpoint?: (snapshot: TrainingSnapshot) => void | Promise<void>;
  /** Continue from a snapshot (e.g. `loadCheckpoint(dir).snapshot`), with the model's parameters already loaded. */
  readonly resume?: TrainingSnapshot | null;
  /** Stops training after the current step when aborted. */
  readonly signal?: AbortSignal;
}

/** Result of {@link fit}. */
export interface FitResult {
  /** Per-epoch records (including those of a resumed snapshot). */
  readonly history: readonly EpochRecord[];
  /** Epochs completed. */
  readonly epochs: number;
  /** Optimizer steps made (in total). */
  readonly steps: number;
  /** Epoch with the best monitored value (the last epoch without early stopping). */
  readonly bestEpoch: number;
  /** Best monitored value, or `null` without early stopping. */
  readonly best: number | null;
  /** Why training ended. */
  readonly stopReason: 'epochs' | 'early-stopping' | 'aborted';
  /** The optimizer (its state can be saved with `saveCheckpoint`); dispose it when done. */
  readonly optimizer: AdamW;
}

function checkCount(name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ModelConfigError('fit', name, `must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function copyParameters(params: ReadonlyMap<string, Tensor>): Map<string, Tensor> {
  return noGrad(() => new Map([...params].map(([n, p]) => [n, keep(mul(p, 1))] as [string, Tensor])));
}

/**
 * Trains `model` on `data.train` for `options.epochs` epochs:
 * - each epoch visits the training set in an order drawn from a generator seeded with `options.seed`
 *   (`createRng(seed).permutation(n)`), in batches of `batchSize`;
 * - each step runs inside `tidy`: forward, `gradients`, optional `clipGradNorm`, an AdamW update with the
 *   scheduled learning rate; the batch's metrics are read back once;
 * - after each epoch the validation set is evaluated, early stopping consulted, `onProgress` and
 *   `checkpoint` called.
 *
 * Resuming from a snapshot taken after epoch `e` (same data and options) continues bit for bit as if
 * training had not stopped: parameters come from the checkpoint, and the optimizer moments, step counts,
 * shuffling generator, schedule position and early-stopping state from the snapshot.
 *
 * @example
 * ```ts
 * const result = await fit(model, { train, validation }, {
 *   epochs: 20, batchSize: 32, optimizer: { lr: 1e-3, weightDecay: 0.01 }, schedule: 'warmupCosine',
 *   clipGradNorm: 1, earlyStopping: { patience: 3 }, onProgress: (e) => console.log(e),
 * });
 * ```
 */
export async function fit<B>(model: Trainable<B>, data: FitData<B>, options: FitOptions): Promise<FitResult> {
  const epochs = checkCount('epochs', options.epochs, 0);
  const batchSize = checkBatchSize('fit', options.batchSize ?? 32);
  const validationBatchSize = checkBatchSize('fit', options.validationBatchSize ?? batchSize);
  const progressEvery = checkCount('progressEvery', options.progressEvery ?? 10);
  const n = data.train.length;
  if (n === 0) throw new ModelConfigError('fit', 'data.train', 'holds no examples');
  const dropLast = options.dropLast ?? false;
  const batchesPerEpoch = dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  if (batchesPerEpoch === 0)
    throw new ModelConfigError('fit', 'batchSize', `(${batchSize}) exceeds the ${n} examples with dropLast`);
  const totalSteps = epochs * batchesPerEpoch;
  const named = model.parameters();
  const names = [...named.keys()];
  const params = [...named.values()];
  const optimizer = new AdamW(params, options.optimizer ?? {});
  const peakLr = optimizer.learningRate;
  let schedule: Schedule;
  if (typeof options.schedule === 'function') schedule = options.schedule;
  else if ((options.schedule ?? 'constant') === 'constant') schedule = constantSchedule(peakLr);
  else if (options.schedule === 'warmupCosine') {
    const warmupSteps = options.warmupSteps ?? Math.round(0.05 * totalSteps);
    schedule = warmupCosine({
      warmupSteps,
      totalSteps: Math.max(totalSteps, warmupSteps),
      peakLr,
      minLr: options.minLr ?? 0,
    });
  } else {
    throw new ModelConfigError(
      'fit',
      'schedule',
      `must be 'constant', 'warmupCosine' or a function, got ${JSON.stringify(options.schedule)}`,
    );
  }
  const stopping = options.earlyStopping ?? null;
  if (stopping) checkCount('earlyStopping.patience', stopping.patience, 0);
  const monitor = stopping?.monitor ?? 'loss';
  const sign = stopping?.mode === 'max' ? -1 : 1;
  const minDelta = stopping?.minDelta ?? 0;
  const restoreBest = stopping ? (stopping.restoreBest ?? true) : false;

  const rng = createRng(options.seed ?? 0);
  const history: EpochRecord[] = [];
  let es: EarlyStoppingState = { best: null, bestEpoch: 0, wait: 0 };
  let bestParameters: Map<string, Tensor> | null = null;
  let startEpoch = 0;
  const resume = options.resume;
  if (resume) {
    if (
      resume.parameterNames.length !== names.length ||
      resume.parameterNames.some((p, i) => p !== names[i])
    ) {
      throw new ModelConfigError('fit', 'resume', 'was saved for a model with other parameters');
    }
    if (resume.totalSteps !== totalSteps) {
      throw new ModelConfigError(
        'fit',
        'resume',
        `was planned for ${resume.totalSteps} steps but these options give ${totalSteps} (same epochs, batch size and data are needed)`,
      );
    }
    optimizer.loadStateDict(resume.optimizer);
    rng.setState(resume.rngState);
    history.push(...resume.history);
    es = { ...resume.earlyStopping };
    if (resume.bestParameters) bestParameters = copyParameters(resume.bestParameters);
    startEpoch = resume.epoch;
  }

  let stopReason: FitResult['stopReason'] = 'epochs';
  try {
    for (let epoch = startEpoch + 1; epoch <= epochs; epoch++) {
      const started = Date.now();
      const order =
        options.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : rng.permutation(n);
      const acc = new MetricAccumulator();
      let lr = optimizer.learningRate;
      for (let b = 0; b < batchesPerEpoch; b++) {
        if (options.signal?.aborted) {
          stopReason = 'aborted';
          break;
        }
        const indices = Array.from(order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize)));
        lr = schedule(optimizer.stepCount);
        const { names: metricNames, packed } = tidy(() => {
          const evaluation = model.lossAndMetrics(data.train.batch(indices, model.backend));
          const grads = gradients(evaluation.loss, params);
          const clipped =
            options.clipGradNorm !== undefined ? clipGradNorm(grads, options.clipGradNorm).grads : grads;
          optimizer.step(clipped, lr);
          return MetricAccumulator.pack(evaluation);
        });
        let values: ArrayLike<number>;
        try {
          values = await packed.data();
        } finally {
          packed.dispose();
        }
        acc.add(metricNames, values);
        const step = optimizer.stepCount;
        if (options.onProgress && (step % progressEvery === 0 || b === batchesPerEpoch - 1)) {
          const li = metricNames.indexOf('loss');
          const loss = li >= 0 ? values[li]! / values[metricNames.length + li]! : Number.NaN;
          await options.onProgress({
            type: 'step',
            epoch,
            batch: b + 1,
            batches: batchesPerEpoch,
            step,
            loss,
            learningRate: lr,
          });
        }
      }
      if (stopReason === 'aborted') break;
      const validation = data.validation
        ? await evaluate(model, data.validation, { batchSize: validationBatchSize })
        : null;
      const record: EpochRecord = {
        epoch,
        train: acc.result(),
        validation,
        learningRate: lr,
        steps: optimizer.stepCount,
        seconds: (Date.now() - started) / 1000,
      };
      history.push(record);
      let improved = true;
      if (stopping) {
        const source = validation ?? record.train;
        const value = source[monitor];
        if (value === undefined) {
          throw new ModelConfigError(
            'fit',
            'earlyStopping.monitor',
            `'${monitor}' is not a metric (have: ${Object.keys(source).join(', ')})`,
          );
        }
        improved = es.best === null || sign * (es.best - value) > minDelta;
        if (improved) {
          es = { best: value, bestEpoch: epoch, wait: 0 };
          if (restoreBest) {
            for (const t of bestParameters?.values() ?? []) t.dispose();
            bestParameters = copyParameters(named);
          }
        } else es = { ...es, wait: es.wait + 1 };
      } else es = { best: null, bestEpoch: epoch, wait: 0 };
      await options.onProgress?.({ type: 'epoch', record, improved });
      if (options.checkpoint) {
        const snapshot: TrainingSnapshot = {
          epoch,
          optimizer: optimizer.stateDict(),
          rngState: rng.state(),
          history: [...history],
          earlyStopping: es,
          bestParameters,
          parameterNames: names,
          totalSteps,
        };
        try {
          await options.checkpoint(snapshot);
        } finally {
          for (const t of Object.values(snapshot.optimizer.tensors)) t.dispose();
        }
      }
      if (stopping && es.wait >= Math.max(1, stopping.patience)) {
        stopReason = 'early-stopping';
        break;
      }
    }
    if (restoreBest && bestParameters) {
      noGrad(() => {
        for (const [name, t] of bestParameters!) assign(named.get(name)!, t);
      });
    }
  } finally {
    for (const t of bestParameters?.values() ?? []) t.dispose();
  }
  return {
    history,
    epochs: history.length,
    steps: optimizer.stepCount,
    bestEpoch: es.bestEpoch,
    best: es.best,
    stopReason,
    optimizer,
  };
}
