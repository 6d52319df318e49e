/**
 * Sliding windows over a time series for forecasting: each window pairs `lookback` input steps with the
 * next `horizon` steps of the target channels. Browser-safe.
 * @packageDocumentation
 */
import { DataOptionError } from './errors.js';
import type { TimeSeries } from './series.js';
import type { StepRange } from './split.js';

/** Options of {@link slidingWindows}. */
export interface WindowOptions {
  /** Input steps per window (`L`). */
  readonly lookback: number;
  /** Target steps per window (`H`). */
  readonly horizon: number;
  /** Steps between consecutive window starts (default 1). */
  readonly stride?: number;
  /** Target channels, by name or index (default: all channels). */
  readonly targets?: readonly (string | number)[];
  /** Restrict windows to steps `[start, end)` of the series (default: the whole series). */
  readonly range?: Pick<StepRange, 'start' | 'end'>;
}

/** A batch of forecasting windows. */
export interface Windows {
  /** Inputs, row-major `[count, lookback, channels]`. */
  readonly inputs: Float32Array;
  /** Targets, row-major `[count, horizon, targetChannels]`. */
  readonly targets: Float32Array;
  /** Number of windows `N`. */
  readonly count: number;
  /** Input steps per window. */
  readonly lookback: number;
  /** Target steps per window. */
  readonly horizon: number;
  /** Input channels `C`. */
  readonly channels: number;
  /** Indices (into the series' columns) of the target channels. */
  readonly targetIndices: readonly number[];
  /** Series step at which each window's input starts. */
  readonly starts: Int32Array;
}

/** Number of windows {@link slidingWindows} makes from `steps` steps. */
export function windowCount(steps: number, lookback: number, horizon: number, stride = 1): number {
  return steps < lookback + horizon ? 0 : Math.floor((steps - lookback - horizon) / stride) + 1;
}

function positiveInteger(source: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new DataOptionError(source, `${name} must be a positive integer, got ${value}`);
  }
}

/**
 * Cuts a series into forecasting windows. Window `i` reads steps `[s, s + L)` as input and steps
 * `[s + L, s + L + H)` of the target channels as target, with `s = range.start + i * stride`.
 * @example
 * const w = slidingWindows(series, { lookback: 96, horizon: 24, range: split.test });
 * @throws DataOptionError when the range holds fewer than `lookback + horizon` steps or an option is invalid.
 */
export function slidingWindows(series: TimeSeries, options: WindowOptions): Windows {
  const { lookback: L, horizon: H } = options;
  const stride = options.stride ?? 1;
  const source = series.source;
  positiveInteger(source, 'lookback', L);
  positiveInteger(source, 'horizon', H);
  positiveInteger(source, 'stride', stride);
  const start = options.range?.start ?? 0;
  const end = options.range?.end ?? series.length;
  if (
    !(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= series.length)
  ) {
    throw new DataOptionError(source, `window range [${start}, ${end}) is outside [0, ${series.length})`);
  }
  const C = series.channels;
  const targetIndices = (options.targets ?? series.columns.map((_, k) => k)).map((t) => {
    const k = typeof t === 'number' ? t : series.columns.indexOf(t);
    if (!Number.isInteger(k) || k < 0 || k >= C) {
      throw new DataOptionError(
        source,
        `no target column ${JSON.stringify(t)}; columns are ${series.columns.map((c) => `'${c}'`).join(', ')}`,
      );
    }
    return k;
  });
  const count = windowCount(end - start, L, H, stride);
  if (count === 0) {
    throw new DataOptionError(
      source,
      `${end - start} steps are too few for one window of lookback ${L} + horizon ${H}; use a shorter horizon or lookback`,
    );
  }
  const Ct = targetIndices.length;
  const inputs = new Float32Array(count * L * C);
  const targets = new Float32Array(count * H * Ct);
  const starts = new Int32Array(count);
  const values = series.values;
  for (let i = 0; i < count; i++) {
    const s = start + i * stride;
    starts[i] = s;
    inputs.set(values.subarray(s * C, (s + L) * C), i * L * C);
    for (let h = 0; h < H; h++) {
      const row = (s + L + h) * C;
      const o = (i * H + h) * Ct;
      for (let j = 0; j < Ct; j++) targets[o + j] = values[row + targetIndices[j]!]!;
    }
  }
  return { inputs, targets, count, lookback: L, horizon: H, channels: C, targetIndices, starts };
}
