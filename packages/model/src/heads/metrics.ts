/**
 * Metric accumulators shared by the task models and the trainer.
 * @packageDocumentation
 */
import type { Tensor } from '@aaren/core';

/**
 * One metric over a batch as a sum and a count, so batches of different sizes combine exactly: the epoch
 * value is `Σ sum / Σ count`. `sum` is a scalar tensor (read back once per batch); `count` a number or a
 * scalar tensor (e.g. the number of unmasked events).
 */
export interface MetricPart {
  /** Sum of the per-item values. */
  readonly sum: Tensor;
  /** Number of items summed. */
  readonly count: Tensor | number;
}

/** Loss and metrics of one batch, as returned by a task model's `lossAndMetrics`. */
export interface BatchEvaluation {
  /** Scalar training loss (a mean over the batch), differentiable in the parameters. */
  readonly loss: Tensor;
  /** Metrics by name (`'loss'` is always present). */
  readonly metrics: Readonly<Record<string, MetricPart>>;
}

/** Metric values by name, e.g. `{ loss: 0.31, mse: 0.31, mae: 0.42 }`. */
export type Metrics = Record<string, number>;
