/**
 * Chronological train/validation/test splits, as in the long-horizon forecasting benchmarks the paper
 * follows (Informer/Autoformer "custom" datasets): the first 70% of steps train, the next 10% validate,
 * the last 20% test, and the validation and test ranges start `lookback` steps early so that their
 * first window has a full input while every target lies inside its own split. Browser-safe.
 * @packageDocumentation
 */
import { DataOptionError } from './errors.js';

/** Fractions of the series per split; they must sum to 1. */
export interface SplitFractions {
  /** Fraction of steps for training (default 0.7). */
  readonly train?: number;
  /** Fraction of steps for validation (default 0.1). */
  readonly val?: number;
  /** Fraction of steps for testing (default 0.2). */
  readonly test?: number;
  /**
   * Steps of input context that validation and test windows may read from the previous split (default 0).
   * Targets never cross a split boundary.
   */
  readonly lookback?: number;
}

/** A half-open range of time steps `[start, end)`. */
export interface StepRange {
  /** First step (inclusive), including any look-back context. */
  readonly start: number;
  /** Last step (exclusive). */
  readonly end: number;
  /** First step whose values belong to this split (targets start here or later). */
  readonly ownStart: number;
}

/** The three ranges of {@link chronologicalSplit}. */
export interface ChronologicalSplit {
  /** Training steps; the only range a scaler may be fitted on (`[0, train.end)`). */
  readonly train: StepRange;
  /** Validation steps (with look-back context before `ownStart`). */
  readonly val: StepRange;
  /** Test steps (with look-back context before `ownStart`). */
  readonly test: StepRange;
}

/**
 * Splits `length` steps chronologically. With the defaults, `train = floor(0.7 T)`, `test = floor(0.2 T)`
 * and validation gets the rest, exactly as the Informer/Autoformer data loaders compute it.
 * @example chronologicalSplit(1000, { lookback: 96 }) // train [0,700), val [604,800), test [704,1000)
 * @throws DataOptionError for fractions that are negative or do not sum to 1, or a look-back longer than the training range.
 */
export function chronologicalSplit(length: number, options: SplitFractions = {}): ChronologicalSplit {
  const train = options.train ?? 0.7;
  const val = options.val ?? 0.1;
  const test = options.test ?? 0.2;
  const lookback = options.lookback ?? 0;
  const source = 'chronologicalSplit';
  if (!Number.isInteger(length) || length < 0) {
    throw new DataOptionError(source, `length must be a non-negative integer, got ${length}`);
  }
  if ([train, val, test].some((f) => !(f >= 0)) || Math.abs(train + val + test - 1) > 1e-9) {
    throw new DataOptionError(source, `fractions must be >= 0 and sum to 1, got ${train}, ${val}, ${test}`);
  }
  if (!Number.isInteger(lookback) || lookback < 0) {
    throw new DataOptionError(source, `lookback must be a non-negative integer, got ${lookback}`);
  }
  const nTrain = Math.floor(length * train);
  const nTest = Math.floor(length * test);
  const nVal = length - nTrain - nTest;
  if (lookback > nTrain) {
    throw new DataOptionError(source, `lookback ${lookback} is longer than the ${nTrain} training steps`);
  }
  const valStart = nTrain;
  const testStart = nTrain + nVal;
  return {
    train: { start: 0, end: nTrain, ownStart: 0 },
    val: { start: valStart - lookback, end: testStart, ownStart: valStart },
    test: { start: testStart - lookback, end: length, ownStart: testStart },
  };
}
