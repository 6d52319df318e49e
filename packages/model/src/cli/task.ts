/**
 * The task runner shared by the `aaren` CLI and the paper-comparison experiments: turns a data
 * specification (a built-in dataset or a CSV file) into train/validation/test datasets, builds the model
 * configuration for Aaren or the Transformer baseline with the same widths, trains with `fit`, evaluates,
 * and saves a checkpoint plus a `run.json` that lets `eval`, `forecast` and `stream` rebuild the data.
 * Node-only.
 * @packageDocumentation
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Backend, cpuBackend, createRng } from '@aaren/core';
import { writeFileAtomic } from '@aaren/core/node';
import { checkpointTo, saveCheckpoint } from '../checkpoint/node-checkpoint.js';
import { type ClassificationData, sampleClassification } from '../data/classification.js';
import type { EventSequence } from '../data/events.js';
import { loadCsvFile } from '../data/node/files.js';
import { DATASETS, type DatasetName, loadDataset } from '../data/node/registry.js';
import {
  type ClassificationParts,
  type EventData,
  type ForecastingData,
  prepareEvents,
  prepareForecasting,
} from '../data/prepare.js';
import { StandardScaler, type StandardScalerState } from '../data/scaler.js';
import { selectColumns, type TimeSeries, tableToSeries } from '../data/series.js';
import type { Metrics } from '../heads/metrics.js';
import type { ClassificationBatch } from '../models/classifier.js';
import { type AnyTaskModel, createModel, type ModelConfig } from '../models/create-model.js';
import type { EncoderConfig } from '../models/encoder-config.js';
import type { EventBatch } from '../models/event-forecaster.js';
import type { ForecastBatch } from '../models/forecaster.js';
import type { EncoderKind } from '../models/sequence-encoder.js';
import { classificationDataset, type Dataset, eventDataset, forecastingDataset } from '../train/dataset.js';
import { evaluate, type Trainable } from '../train/evaluate.js';
import { type FitProgress, type FitResult, fit as fitModel } from '../train/fit.js';
import { CliUsageError } from './errors.js';

/** Where the data comes from and how it is cut; stored in `run.json`. */
export interface DataSpec {
  /** A built-in dataset (see `DATASETS`). */
  readonly dataset?: DatasetName;
  /** Or a CSV file (forecasting). */
  readonly csv?: string;
  /** CSV/forecasting: the channels to use (default: every numeric column). */
  readonly columns?: readonly string[];
  /** CSV: the date/time column (default: a column named date, time, timestamp or datetime, when present). */
  readonly timeColumn?: string;
  /** Forecasting: input steps (default: the dataset's, else 96). */
  readonly lookback?: number;
  /** Forecasting: steps to predict (default 96). */
  readonly horizon?: number;
  /** Forecasting: stride between training windows (default 1; test windows always 1). */
  readonly trainStride?: number;
  /** Forecasting: stride between validation windows (default 1). */
  readonly valStride?: number;
  /** Events: events per chunk (default 64). */
  readonly eventLength?: number;
  /** Events: stride between training chunks (default `eventLength / 2`). */
  readonly eventStride?: number;
  /** Fashion-MNIST: training images kept (default all). */
  readonly trainSize?: number;
  /** Fashion-MNIST: test images kept (default all). */
  readonly testSize?: number;
  /** Fashion-MNIST: average-pool factor (default 1: 784 pixel steps). */
  readonly pool?: number;
  /** Fashion-MNIST: `'pixels'` (default) or `'rows'`. */
  readonly mode?: 'pixels' | 'rows';
  /** Seed of data sampling and of the digits split (default 0; fixed across model seeds). */
  readonly dataSeed?: number;
  /** Cap on training examples per epoch (a seeded sample, fixed for the run; default none). */
  readonly maxTrain?: number;
}

interface TaskDataBase<B> {
  /** The specification the data was built from. */
  readonly spec: DataSpec;
  /** Label for messages and tables. */
  readonly name: string;
  /** Training examples. */
  readonly train: Dataset<B>;
  /** Validation examples. */
  readonly val: Dataset<B>;
  /** Test examples. */
  readonly test: Dataset<B>;
}

/** Forecasting data: scaled windows of a series. */
export interface ForecastingTaskData extends TaskDataBase<ForecastBatch> {
  /** Task tag. */
  readonly task: 'forecasting';
  /** The unscaled series. */
  readonly series: TimeSeries;
  /** Windows, split and scaler (fitted on the training rows only). */
  readonly prepared: ForecastingData;
}

/** Classification data. */
export interface ClassificationTaskData extends TaskDataBase<ClassificationBatch> {
  /** Task tag. */
  readonly task: 'classification';
  /** The three parts. */
  readonly parts: ClassificationParts;
}

/** Event data: chunks of one event sequence. */
export interface EventTaskData extends TaskDataBase<EventBatch> {
  /** Task tag. */
  readonly task: 'events';
  /** The full sequence. */
  readonly sequence: EventSequence;
  /** Chunks per split and the training `log τ` statistics. */
  readonly prepared: EventData;
}

/** Data of any task. */
export type TaskData = ForecastingTaskData | ClassificationTaskData | EventTaskData;

function capIndices(count: number, cap: number | undefined, seed: number): number[] | null {
  if (cap === undefined || cap >= count) return null;
  return Array.from(createRng(seed).permutation(count).subarray(0, cap)).sort((a, b) => a - b);
}

function capped<B>(dataset: Dataset<B>, cap: number | undefined, seed: number): Dataset<B> {
  const keep = capIndices(dataset.length, cap, seed);
  if (!keep) return dataset;
  return {
    length: keep.length,
    batch: (idx, backend) =>
      dataset.batch(
        idx.map((i) => keep[i]!),
        backend,
      ),
  };
}

function forecastingTask(
  name: string,
  spec: DataSpec,
  series: TimeSeries,
  lookback: number,
  scaler?: StandardScalerState,
): ForecastingTaskData {
  const horizon = spec.horizon ?? 96;
  const prepared = prepareForecasting(series, {
    lookback,
    horizon,
    stride: spec.trainStride ?? 1,
    valStride: spec.valStride ?? 1,
    ...(scaler ? { scaler: StandardScaler.fromJSON(scaler) } : {}),
  });
  const ds = (w: ForecastingData['train']) =>
    forecastingDataset({ input: w.inputs, target: w.targets, lookback, horizon, channels: w.channels });
  return {
    task: 'forecasting',
    name,
    spec: { ...spec, lookback, horizon },
    series,
    prepared,
    train: capped(ds(prepared.train), spec.maxTrain, spec.dataSeed ?? 0),
    val: ds(prepared.val),
    test: ds(prepared.test),
  };
}

/** Classification task data from already split parts (e.g. a committed slice); `spec.maxTrain` caps training. */
export function classificationTaskData(
  name: string,
  spec: DataSpec,
  parts: ClassificationParts,
): ClassificationTaskData {
  const ds = (d: ClassificationData) =>
    classificationDataset({ input: d.inputs, labels: d.labels, length: d.steps, features: d.features });
  const train = sampleClassification(parts.train, spec.maxTrain ?? parts.train.count, spec.dataSeed ?? 0);
  return {
    task: 'classification',
    name,
    spec,
    parts: { ...parts, train },
    train: ds(train),
    val: ds(parts.val),
    test: ds(parts.test),
  };
}

function eventTask(name: string, spec: DataSpec, sequence: EventSequence): EventTaskData {
  const length = spec.eventLength ?? 64;
  const prepared = prepareEvents(sequence, {
    length,
    stride: spec.eventStride ?? Math.max(1, Math.floor(length / 2)),
  });
  const ds = (c: EventData['train']) => eventDataset({ marks: c.marks, times: c.times, length });
  return {
    task: 'events',
    name,
    spec: { ...spec, eventLength: length },
    sequence,
    prepared,
    train: capped(ds(prepared.train), spec.maxTrain, spec.dataSeed ?? 0),
    val: ds(prepared.val),
    test: ds(prepared.test),
  };
}

/**
 * Loads and prepares the data of `spec`. Pass the `scaler` saved in a run to reuse its statistics (eval on
 * another CSV) instead of fitting on the training rows.
 * @throws CliUsageError when neither a dataset nor a CSV is given; data errors naming file, row and column.
 */
export async function loadTaskData(
  spec: DataSpec,
  options: { scaler?: StandardScalerState } = {},
): Promise<TaskData> {
  if (spec.csv !== undefined) {
    const table = await loadCsvFile(spec.csv);
    const timeColumn =
      spec.timeColumn ??
      table.columns.find((c) => ['date', 'time', 'timestamp', 'datetime'].includes(c.toLowerCase()));
    const series = tableToSeries(table, {
      ...(timeColumn !== undefined ? { timeColumn } : {}),
      ...(spec.columns !== undefined ? { columns: spec.columns } : {}),
    });
    return forecastingTask(spec.csv, spec, series, spec.lookback ?? 96, options.scaler);
  }
  if (spec.dataset === undefined) throw new CliUsageError('give --dataset NAME or --csv FILE');
  const name = spec.dataset;
  const info = DATASETS[name];
  if (info === undefined) {
    throw new CliUsageError(
      `unknown dataset '${name}'; built-in datasets are ${Object.keys(DATASETS).join(', ')}`,
    );
  }
  switch (info.task) {
    case 'forecasting': {
      const loaded = await loadDataset(name as 'us-births');
      const series = spec.columns ? selectColumns(loaded.series, spec.columns) : loaded.series;
      return forecastingTask(name, spec, series, spec.lookback ?? info.lookback ?? 96, options.scaler);
    }
    case 'classification': {
      const loaded = await loadDataset(name as 'digits', {
        seed: spec.dataSeed ?? 0,
        ...(spec.trainSize !== undefined ? { trainSize: spec.trainSize } : {}),
        ...(spec.testSize !== undefined ? { testSize: spec.testSize } : {}),
        ...(spec.pool !== undefined ? { pool: spec.pool } : {}),
        ...(spec.mode !== undefined ? { mode: spec.mode } : {}),
      });
      return classificationTaskData(name, spec, loaded);
    }
    case 'events': {
      const loaded = await loadDataset('earthquakes');
      return eventTask(name, spec, loaded.sequence);
    }
  }
}

/** Model options shared by both backbones (the "same budget": same widths, depth and head). */
export interface ModelOptions {
  /** `'aaren'` or `'transformer'`. */
  readonly backbone: EncoderKind;
  /** Encoder widths and depth. */
  readonly encoder: EncoderConfig;
  /** Classification pooling (default `'last'`). */
  readonly pooling?: 'last' | 'mean';
}

/** The model configuration for `data` (input/output sizes from the data, widths from `options`). */
export function modelConfigFor(data: TaskData, options: ModelOptions): ModelConfig {
  const base = { backbone: options.backbone, encoder: options.encoder };
  switch (data.task) {
    case 'forecasting':
      return {
        ...base,
        task: 'forecasting',
        channels: data.series.channels,
        lookback: data.spec.lookback!,
        horizon: data.spec.horizon!,
      };
    case 'classification':
      return {
        ...base,
        task: 'classification',
        classes: data.parts.train.classes,
        input: { features: data.parts.train.features },
        pooling: options.pooling ?? 'last',
      };
    case 'events':
      return {
        ...base,
        task: 'events',
        marks: data.sequence.markCount,
        logTimeMean: data.prepared.logInterval.mean,
        logTimeStd: data.prepared.logInterval.std,
      };
  }
}

/** Training options. */
export interface TrainOptions extends ModelOptions {
  /** Epochs. */
  readonly epochs: number;
  /** Batch size (default 32). */
  readonly batchSize?: number;
  /** Peak learning rate (default 1e-3). */
  readonly lr?: number;
  /** AdamW weight decay (default 0.01). */
  readonly weightDecay?: number;
  /** Seed of initialisation and shuffling (default 0). */
  readonly seed?: number;
  /** Gradient clipping norm (default 1). */
  readonly clipGradNorm?: number;
  /** Learning-rate schedule (default `'warmupCosine'`). */
  readonly schedule?: 'constant' | 'warmupCosine';
  /**
   * Keep the parameters of the epoch with the best validation loss (default `true`); training still runs
   * all epochs unless `patience` is set.
   */
  readonly restoreBest?: boolean;
  /** Stop after this many epochs without validation improvement (default: never). */
  readonly patience?: number;
  /** Directory for the checkpoint (saved after every epoch, and the final model at the end). */
  readonly out?: string;
  /** Progress callback (passed to `fit`). */
  readonly onProgress?: (event: FitProgress) => void | Promise<void>;
  /** Backend (default `cpuBackend()`). */
  readonly backend?: Backend;
}

/** What {@link trainTask} returns. */
export interface TrainOutcome {
  /** The trained model (dispose it when done). */
  readonly model: AnyTaskModel;
  /** The model configuration. */
  readonly config: ModelConfig;
  /** `fit`'s result (its optimizer is already disposed). */
  readonly fit: Omit<FitResult, 'optimizer'>;
  /** Validation metrics of the final (best) parameters. */
  readonly val: Metrics;
  /** Test metrics of the final (best) parameters. */
  readonly test: Metrics;
  /** Number of parameters. */
  readonly paramCount: number;
  /** Wall-clock seconds of training (without the final evaluation). */
  readonly trainSeconds: number;
}

/** The metric the validation split is judged by, per task. */
export function monitorFor(task: TaskData['task']): { monitor: string; mode: 'min' | 'max' } {
  return task === 'classification' ? { monitor: 'accuracy', mode: 'max' } : { monitor: 'loss', mode: 'min' };
}

/** Contents of `run.json` in a CLI checkpoint directory. */
export interface RunFile {
  /** Always `'aaren-cli-run'`. */
  readonly format: 'aaren-cli-run';
  /** Layout version (1). */
  readonly version: 1;
  /** Task. */
  readonly task: TaskData['task'];
  /** How to rebuild the data. */
  readonly data: DataSpec;
  /** Forecasting: the scaler fitted on the training rows. */
  readonly scaler: StandardScalerState | null;
  /** Forecasting: channel names. */
  readonly columns: readonly string[] | null;
  /** Training options (without callbacks). */
  readonly training: Record<string, unknown>;
  /** Final metrics. */
  readonly metrics: { readonly val: Metrics; readonly test: Metrics };
  /** Parameters. */
  readonly paramCount: number;
  /** Seconds of training. */
  readonly trainSeconds: number;
}

/** File names the CLI adds to a checkpoint directory. */
export const RUN_FILES = Object.freeze({ run: 'run.json', metrics: 'metrics.json' });

/** Writes JSON atomically (temporary file, fsync, rename). */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads `run.json` of a checkpoint directory. @throws CliUsageError when it is missing or not a run file */
export async function readRunFile(dir: string): Promise<RunFile> {
  const path = join(dir, RUN_FILES.run);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliUsageError(
      `${path} not found: --checkpoint must be a directory written by 'aaren train --out'`,
    );
  }
  const run = JSON.parse(text) as Partial<RunFile>;
  if (run.format !== 'aaren-cli-run' || run.version !== 1) {
    throw new CliUsageError(`${path} is not an aaren run file (format ${JSON.stringify(run.format)})`);
  }
  return run as RunFile;
}

/**
 * Trains a fresh model on `data` with `fit` (AdamW, warm-up + cosine schedule, clipping, best-validation
 * restore), then evaluates the validation and test splits. With `out`, writes a checkpoint after every
 * epoch, then the final model, `run.json` and `metrics.json` (all atomically).
 */
export async function trainTask(data: TaskData, options: TrainOptions): Promise<TrainOutcome> {
  const backend = options.backend ?? cpuBackend();
  const config = modelConfigFor(data, options);
  const model = createModel(config).init(backend, createRng(options.seed ?? 0));
  const { monitor, mode } = monitorFor(data.task);
  const started = performance.now();
  const trainable: Trainable<unknown> = model;
  const result = await fitModel(
    trainable,
    { train: data.train as Dataset<unknown>, validation: data.val as Dataset<unknown> },
    {
      epochs: options.epochs,
      batchSize: options.batchSize ?? 32,
      seed: options.seed ?? 0,
      optimizer: { lr: options.lr ?? 1e-3, weightDecay: options.weightDecay ?? 0.01 },
      schedule: options.schedule ?? 'warmupCosine',
      clipGradNorm: options.clipGradNorm ?? 1,
      progressEvery: 1,
      ...((options.restoreBest ?? true) || options.patience !== undefined
        ? {
            earlyStopping: {
              patience: options.patience ?? options.epochs + 1,
              monitor,
              mode,
              restoreBest: options.restoreBest ?? true,
            },
          }
        : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.out ? { checkpoint: checkpointTo(options.out, model) } : {}),
    },
  );
  const trainSeconds = (performance.now() - started) / 1000;
  const { optimizer, ...fitSummary } = result;
  const val = await evaluate(trainable, data.val as Dataset<unknown>, { batchSize: 64 });
  const test = await evaluate(trainable, data.test as Dataset<unknown>, { batchSize: 64 });
  if (options.out) {
    await saveCheckpoint(options.out, { model, optimizer, epoch: result.epochs, metrics: test });
    const { onProgress: _p, backend: _b, out: _o, ...training } = options;
    const run: RunFile = {
      format: 'aaren-cli-run',
      version: 1,
      task: data.task,
      data: data.spec,
      scaler: data.task === 'forecasting' ? data.prepared.scaler.toJSON() : null,
      columns: data.task === 'forecasting' ? data.series.columns : null,
      training,
      metrics: { val, test },
      paramCount: model.paramCount(),
      trainSeconds,
    };
    await writeJson(join(options.out, RUN_FILES.run), run);
    await writeJson(join(options.out, RUN_FILES.metrics), {
      task: data.task,
      dataset: data.name,
      backbone: options.backbone,
      seed: options.seed ?? 0,
      epochs: result.epochs,
      val,
      test,
      history: result.history,
      paramCount: model.paramCount(),
      trainSeconds,
    });
  }
  optimizer.dispose();
  return { model, config, fit: fitSummary, val, test, paramCount: model.paramCount(), trainSeconds };
}
