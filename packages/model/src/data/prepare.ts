/**
 * The standard preparation of each task's data, shared by the CLI and the experiments: chronological
 * split, scaler fitted on the training rows only, windows per split. Browser-safe.
 * @packageDocumentation
 */
import type { ClassificationData } from './classification.js';
import { DataOptionError } from './errors.js';
import { type EventChunks, type EventSequence, eventChunks, logIntervalStats } from './events.js';
import { StandardScaler } from './scaler.js';
import type { TimeSeries } from './series.js';
import { type ChronologicalSplit, chronologicalSplit, type SplitFractions } from './split.js';
import { slidingWindows, type Windows } from './windows.js';

/** Options of {@link prepareForecasting}. */
export interface PrepareForecastingOptions {
  /** Input steps per window. */
  readonly lookback: number;
  /** Steps to forecast. */
  readonly horizon: number;
  /** Columns to forecast (default: all). */
  readonly targets?: readonly string[];
  /** Stride of training windows (default 1). Test windows always use stride 1. */
  readonly stride?: number;
  /** Stride of validation windows (default 1), to make per-epoch validation cheaper. */
  readonly valStride?: number;
  /** Split fractions (default 0.7 / 0.1 / 0.2). */
  readonly split?: Omit<SplitFractions, 'lookback'>;
  /** A scaler to apply instead of fitting one on the training rows (e.g. restored from a checkpoint). */
  readonly scaler?: StandardScaler;
}

/** Scaled forecasting windows per split, with the scaler that maps predictions back to data units. */
export interface ForecastingData {
  /** Training windows (scaled). */
  readonly train: Windows;
  /** Validation windows (scaled). */
  readonly val: Windows;
  /** Test windows (scaled). */
  readonly test: Windows;
  /** Fitted on the training rows only (or the one given). */
  readonly scaler: StandardScaler;
  /** The step ranges used. */
  readonly split: ChronologicalSplit;
  /** Indices of the target columns among the series' columns. */
  readonly targetIndices: readonly number[];
  /** Column names of the series. */
  readonly columns: readonly string[];
}

/**
 * Splits a series 70/10/20 in time, fits a {@link StandardScaler} on the training rows only, scales all
 * rows and cuts windows; validation and test windows read `lookback` steps of context from the previous
 * split but their targets stay inside their own split.
 * @throws DataOptionError when a split is too short for one window (the message names the split).
 */
export function prepareForecasting(series: TimeSeries, options: PrepareForecastingOptions): ForecastingData {
  const split = chronologicalSplit(series.length, { ...options.split, lookback: options.lookback });
  const scaler = options.scaler ?? StandardScaler.fit(series, split.train);
  const scaled = scaler.transform(series);
  const windows = (name: 'train' | 'val' | 'test', stride: number): Windows => {
    const range = split[name];
    const own = range.end - range.ownStart;
    if (range.end - range.start < options.lookback + options.horizon) {
      throw new DataOptionError(
        series.source,
        `the ${name} split has ${own} steps (+${range.ownStart - range.start} of context), too few for horizon ${options.horizon} with lookback ${options.lookback}`,
      );
    }
    return slidingWindows(scaled, {
      lookback: options.lookback,
      horizon: options.horizon,
      stride,
      range,
      ...(options.targets === undefined ? {} : { targets: options.targets }),
    });
  };
  const train = windows('train', options.stride ?? 1);
  return {
    train,
    val: windows('val', options.valStride ?? 1),
    test: windows('test', 1),
    scaler,
    split,
    targetIndices: train.targetIndices,
    columns: series.columns,
  };
}

/** The largest horizon whose validation and test splits still hold one window (for documentation and checks). */
export function maxHorizon(
  length: number,
  lookback: number,
  split?: Omit<SplitFractions, 'lookback'>,
): number {
  const s = chronologicalSplit(length, { ...split, lookback });
  return Math.min(s.val.end - s.val.ownStart, s.test.end - s.test.ownStart, s.train.end - lookback);
}

/** Event chunks per split, with the `log τ` statistics of the training events. */
export interface EventData {
  /** Training chunks (overlapping when `stride < length`). */
  readonly train: EventChunks;
  /** Validation chunks (no overlap). */
  readonly val: EventChunks;
  /** Test chunks (no overlap). */
  readonly test: EventChunks;
  /** Mean and standard deviation of `log τ` over the training events only. */
  readonly logInterval: { readonly mean: number; readonly std: number };
  /** The event ranges used. */
  readonly split: ChronologicalSplit;
}

/**
 * Splits events 70/10/20 in time and cuts fixed-length chunks per split (training chunks overlap by
 * `length - stride`); `log τ` statistics come from the training events only.
 */
export function prepareEvents(
  sequence: EventSequence,
  options: { readonly length: number; readonly stride?: number; readonly minInterval?: number },
): EventData {
  const split = chronologicalSplit(sequence.times.length);
  const chunks = (name: 'train' | 'val' | 'test', stride: number): EventChunks => {
    const range = split[name];
    if (range.end - Math.max(range.start, 1) < options.length) {
      throw new DataOptionError(
        sequence.source,
        `the ${name} split has ${range.end - range.start} events, too few for chunks of ${options.length}`,
      );
    }
    return eventChunks(sequence, { length: options.length, stride, range });
  };
  return {
    train: chunks('train', options.stride ?? options.length),
    val: chunks('val', options.length),
    test: chunks('test', options.length),
    logInterval: logIntervalStats(sequence, split.train, options.minInterval),
    split,
  };
}

/** Classification parts, passed through (they are already split); kept for symmetry of the task API. */
export interface ClassificationParts {
  /** Training sequences. */
  readonly train: ClassificationData;
  /** Validation sequences. */
  readonly val: ClassificationData;
  /** Test sequences. */
  readonly test: ClassificationData;
}
