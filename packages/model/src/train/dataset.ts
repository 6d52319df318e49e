/**
 * The {@link Dataset} contract of `fit` and `evaluate`, and in-memory datasets of the four task batches
 * built from typed arrays.
 * @packageDocumentation
 */
import { type Backend, type Tensor, tensor } from '@aaren/core';
import { ModelConfigError } from '../errors.js';
import type { ClassificationBatch } from '../models/classifier.js';
import type { DecisionBatch } from '../models/decision-model.js';
import type { EventBatch } from '../models/event-forecaster.js';
import type { ForecastBatch } from '../models/forecaster.js';

/**
 * Examples a trainer can batch: `length` examples, and `batch(indices, backend)` building the tensors of
 * those examples (in that order). The tensors are freed by the trainer after the step. Implement it over
 * any storage (windows of a long series, files...).
 * @typeParam B - the batch type of the model it feeds
 */
export interface Dataset<B> {
  /** Number of examples. */
  readonly length: number;
  /** The batch of the examples at `indices`, as tensors on `backend`. */
  batch(indices: readonly number[], backend: Backend): B;
}

/** A typed array holding `count` examples of `shape` each, row-major. */
export interface ArrayField {
  /** The values, example after example. */
  readonly data: Float32Array | Int32Array;
  /** Shape of one example (e.g. `[L, C]`; `[]` for a scalar per example). */
  readonly shape: readonly number[];
}

/** Rows `indices` of `field` as one tensor `[indices.length, ...shape]`. */
export function gatherRows(backend: Backend, field: ArrayField, indices: readonly number[]): Tensor {
  const size = field.shape.reduce((p, d) => p * d, 1);
  const out =
    field.data instanceof Int32Array
      ? new Int32Array(indices.length * size)
      : new Float32Array(indices.length * size);
  indices.forEach((row, i) => {
    out.set(field.data.subarray(row * size, (row + 1) * size), i * size);
  });
  return tensor(backend, out, [indices.length, ...field.shape]);
}

function countOf(where: string, fields: Readonly<Record<string, ArrayField | undefined>>): number {
  let count = -1;
  for (const [name, f] of Object.entries(fields)) {
    if (!f) continue;
    const size = f.shape.reduce((p, d) => p * d, 1);
    if (size === 0 || f.data.length % size !== 0) {
      throw new ModelConfigError(
        where,
        name,
        `holds ${f.data.length} values, not a multiple of [${f.shape.join(', ')}]`,
      );
    }
    const n = f.data.length / size;
    if (count >= 0 && n !== count)
      throw new ModelConfigError(where, name, `holds ${n} examples, others ${count}`);
    count = n;
  }
  return Math.max(0, count);
}

/**
 * An in-memory dataset of named {@link ArrayField}s; `make` turns the gathered tensors into a batch.
 * @throws {@link ModelConfigError} when the fields hold different numbers of examples.
 */
export function arrayDataset<B, K extends string>(
  fields: Readonly<Record<K, ArrayField | undefined>>,
  make: (tensors: Record<K, Tensor | undefined>) => B,
  where = 'arrayDataset',
): Dataset<B> {
  const length = countOf(where, fields);
  return {
    length,
    batch(indices, backend) {
      const tensors = {} as Record<K, Tensor | undefined>;
      for (const key of Object.keys(fields) as K[]) {
        const f = fields[key];
        tensors[key] = f ? gatherRows(backend, f, indices) : undefined;
      }
      return make(tensors);
    },
  };
}

/**
 * Forecasting windows in memory: `input` holds `[count, lookback, channels]`, `target`
 * `[count, horizon, channels]`.
 */
export function forecastingDataset(arrays: {
  readonly input: Float32Array;
  readonly target: Float32Array;
  readonly lookback: number;
  readonly horizon: number;
  readonly channels: number;
}): Dataset<ForecastBatch> {
  const { lookback, horizon, channels } = arrays;
  return arrayDataset(
    {
      input: { data: arrays.input, shape: [lookback, channels] },
      target: { data: arrays.target, shape: [horizon, channels] },
    },
    (t) => ({ input: t.input!, target: t.target! }),
    'forecastingDataset',
  );
}

/**
 * Classification sequences in memory: `input` `[count, length, features]` (f32) or `[count, length]` (i32
 * ids, `features` omitted), `labels` `[count]`, optional `mask` `[count, length]`.
 */
export function classificationDataset(arrays: {
  readonly input: Float32Array | Int32Array;
  readonly labels: Int32Array;
  readonly length: number;
  readonly features?: number;
  readonly mask?: Float32Array;
}): Dataset<ClassificationBatch> {
  const shape = arrays.features === undefined ? [arrays.length] : [arrays.length, arrays.features];
  return arrayDataset(
    {
      input: { data: arrays.input, shape },
      labels: { data: arrays.labels, shape: [] },
      mask: arrays.mask ? { data: arrays.mask, shape: [arrays.length] } : undefined,
    },
    (t) => ({ input: t.input!, labels: t.labels!, mask: t.mask ?? null }),
    'classificationDataset',
  );
}

/** Event sequences in memory: `marks` (i32) and `times` `[count, length]`, optional `mask`. */
export function eventDataset(arrays: {
  readonly marks: Int32Array;
  readonly times: Float32Array;
  readonly length: number;
  readonly mask?: Float32Array;
}): Dataset<EventBatch> {
  const n = arrays.length;
  return arrayDataset(
    {
      marks: { data: arrays.marks, shape: [n] },
      times: { data: arrays.times, shape: [n] },
      mask: arrays.mask ? { data: arrays.mask, shape: [n] } : undefined,
    },
    (t) => ({ marks: t.marks!, times: t.times!, mask: t.mask ?? null }),
    'eventDataset',
  );
}

/**
 * Trajectories in memory: `returnsToGo` `[count, T]`, `observations` `[count, T, stateDim]`, `actions`
 * (i32) `[count, T]`, optional `mask`.
 */
export function decisionDataset(arrays: {
  readonly returnsToGo: Float32Array;
  readonly observations: Float32Array;
  readonly actions: Int32Array;
  readonly steps: number;
  readonly stateDim: number;
  readonly mask?: Float32Array;
}): Dataset<DecisionBatch> {
  const t = arrays.steps;
  return arrayDataset(
    {
      returnsToGo: { data: arrays.returnsToGo, shape: [t] },
      observations: { data: arrays.observations, shape: [t, arrays.stateDim] },
      actions: { data: arrays.actions, shape: [t] },
      mask: arrays.mask ? { data: arrays.mask, shape: [t] } : undefined,
    },
    (x) => ({
      returnsToGo: x.returnsToGo!,
      observations: x.observations!,
      actions: x.actions!,
      mask: x.mask ?? null,
    }),
    'decisionDataset',
  );
}

/** The examples of `dataset` at `indices` (e.g. a split), as a dataset. */
export function subset<B>(dataset: Dataset<B>, indices: readonly number[]): Dataset<B> {
  const order = [...indices];
  return {
    length: order.length,
    batch: (idx, backend) =>
      dataset.batch(
        idx.map((i) => order[i]!),
        backend,
      ),
  };
}
