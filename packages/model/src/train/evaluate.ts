/**
 * {@link evaluate}: metrics of a model over a dataset, without gradients; and the batch bookkeeping shared
 * with `fit`.
 * @packageDocumentation
 */
import { type Backend, noGrad, reshape, scalar, stack, type Tensor, tidy } from '@aaren/core';
import { ModelConfigError } from '../errors.js';
import type { BatchEvaluation, Metrics } from '../heads/metrics.js';
import type { Dataset } from './dataset.js';

/** What `fit` and `evaluate` need from a model: its parameters and a loss with metrics per batch. */
export interface Trainable<B> {
  /** The backend holding the parameters (batches are built there). */
  readonly backend: Backend;
  /** Trainable parameters by name, in a fixed order. */
  parameters(): Map<string, Tensor>;
  /** Loss and metrics of one batch (differentiable loss). */
  lossAndMetrics(batch: B): BatchEvaluation;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Examples per batch. Default 64. */
  readonly batchSize?: number;
}

/**
 * Running sums of metric parts over batches. @internal
 */
export class MetricAccumulator {
  private readonly sums = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  /** Stacks a batch's metric parts into one tensor `[2k]` (sums then counts) for a single read-back. */
  static pack(evaluation: BatchEvaluation): { names: string[]; packed: Tensor } {
    const names = Object.keys(evaluation.metrics);
    const backend = evaluation.loss.backend;
    const parts: Tensor[] = [];
    for (const n of names) parts.push(reshape(evaluation.metrics[n]!.sum, []));
    for (const n of names) {
      const c = evaluation.metrics[n]!.count;
      parts.push(typeof c === 'number' ? scalar(backend, c) : reshape(c, []));
    }
    return { names, packed: stack(parts, 0) };
  }

  /** Adds a packed batch read back from the device. */
  add(names: readonly string[], values: ArrayLike<number>): void {
    names.forEach((n, i) => {
      this.sums.set(n, (this.sums.get(n) ?? 0) + values[i]!);
      this.counts.set(n, (this.counts.get(n) ?? 0) + values[names.length + i]!);
    });
  }

  /** `Σ sum / Σ count` per metric. */
  result(): Metrics {
    const out: Metrics = {};
    for (const [n, s] of this.sums) out[n] = s / Math.max(1e-30, this.counts.get(n) ?? 0);
    return out;
  }
}

/** Checks a batch size option. @internal */
export function checkBatchSize(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ModelConfigError(
      where,
      'batchSize',
      `must be a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Metrics of `model` over every example of `dataset` (in order, batches of `batchSize`), computed without
 * gradients: each metric is `Σ sum / Σ count` over the batches (so the mean over examples, events or
 * values, whatever the batch sizes).
 * @example const { loss, mse, mae } = await evaluate(model, testSet);
 */
export async function evaluate<B>(
  model: Trainable<B>,
  dataset: Dataset<B>,
  options: EvaluateOptions = {},
): Promise<Metrics> {
  const batchSize = checkBatchSize('evaluate', options.batchSize ?? 64);
  const acc = new MetricAccumulator();
  for (let start = 0; start < dataset.length; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, dataset.length - start) }, (_, i) => start + i);
    const { names, packed } = noGrad(() =>
      tidy(() => MetricAccumulator.pack(model.lossAndMetrics(dataset.batch(indices, model.backend)))),
    );
    try {
      acc.add(names, await packed.data());
    } finally {
      packed.dispose();
    }
  }
  return acc.result();
}
