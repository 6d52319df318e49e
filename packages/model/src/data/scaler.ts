/**
 * Per-channel standardisation, fitted on the training split only and then applied to every split, so
 * no statistic of the validation or test data leaks into training. Browser-safe.
 * @packageDocumentation
 */
import { DataOptionError } from './errors.js';
import { createSeries, type TimeSeries } from './series.js';
import type { StepRange } from './split.js';

/** The serialisable state of a {@link StandardScaler} (stored in checkpoints). */
export interface StandardScalerState {
  /** Per-channel mean. */
  readonly mean: readonly number[];
  /** Per-channel scale (the population standard deviation, or 1 for a constant channel). */
  readonly std: readonly number[];
}

/**
 * `x' = (x - mean) / std` per channel, with statistics in float64 and the population standard deviation
 * (as scikit-learn's `StandardScaler`). A constant channel gets `std = 1`.
 * @example
 * const scaler = StandardScaler.fit(series, split.train); // statistics of the training rows only
 * const scaled = scaler.transform(series);                 // applied to all rows
 */
export class StandardScaler {
  /** Per-channel mean. */
  readonly mean: Float64Array;
  /** Per-channel scale. */
  readonly std: Float64Array;

  private constructor(mean: Float64Array, std: Float64Array) {
    this.mean = mean;
    this.std = std;
  }

  /**
   * Fits the statistics on steps `[range.start, range.end)` of `series` (default: all steps). Pass the
   * training range. `NaN` values are ignored.
   * @throws DataOptionError when the range is empty or outside the series.
   */
  static fit(series: TimeSeries, range?: Pick<StepRange, 'start' | 'end'>): StandardScaler {
    const start = range?.start ?? 0;
    const end = range?.end ?? series.length;
    if (!(0 <= start && start < end && end <= series.length)) {
      throw new DataOptionError(
        series.source,
        `cannot fit a scaler on rows [${start}, ${end}) of ${series.length}`,
      );
    }
    const C = series.channels;
    const mean = new Float64Array(C);
    const std = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      let n = 0;
      let sum = 0;
      for (let t = start; t < end; t++) {
        const v = series.values[t * C + c]!;
        if (Number.isNaN(v)) continue;
        sum += v;
        n++;
      }
      const m = n > 0 ? sum / n : 0;
      let squares = 0;
      for (let t = start; t < end; t++) {
        const v = series.values[t * C + c]!;
        if (Number.isNaN(v)) continue;
        squares += (v - m) * (v - m);
      }
      const s = n > 0 ? Math.sqrt(squares / n) : 0;
      mean[c] = m;
      std[c] = s > 1e-12 ? s : 1;
    }
    return new StandardScaler(mean, std);
  }

  /** Restores a scaler saved with {@link StandardScaler.toJSON}. */
  static fromJSON(state: StandardScalerState): StandardScaler {
    if (state.mean.length !== state.std.length) {
      throw new DataOptionError(
        'StandardScaler',
        `${state.mean.length} means but ${state.std.length} scales`,
      );
    }
    return new StandardScaler(Float64Array.from(state.mean), Float64Array.from(state.std));
  }

  /** Number of channels the scaler was fitted on. */
  get channels(): number {
    return this.mean.length;
  }

  /** The scaler's state as plain JSON. */
  toJSON(): StandardScalerState {
    return { mean: Array.from(this.mean), std: Array.from(this.std) };
  }

  /**
   * Scales row-major values `[..., channels.length]` in a copy. `channels` picks which fitted channel each
   * column is (default: all, in order), e.g. the target indices of a window batch.
   */
  transformValues(values: Float32Array, channels?: readonly number[]): Float32Array {
    return this.apply(values, channels, false);
  }

  /** Undoes {@link StandardScaler.transformValues}: back to the original units (in a copy). */
  inverseTransformValues(values: Float32Array, channels?: readonly number[]): Float32Array {
    return this.apply(values, channels, true);
  }

  /** Scales every row of a series (a copy; columns and timestamps kept). */
  transform(series: TimeSeries): TimeSeries {
    this.checkChannels(series.source, series.channels);
    return createSeries(this.transformValues(series.values), series.columns, {
      source: series.source,
      ...(series.timestamps === undefined ? {} : { timestamps: series.timestamps }),
    });
  }

  /** Undoes {@link StandardScaler.transform}. */
  inverseTransform(series: TimeSeries): TimeSeries {
    this.checkChannels(series.source, series.channels);
    return createSeries(this.inverseTransformValues(series.values), series.columns, {
      source: series.source,
      ...(series.timestamps === undefined ? {} : { timestamps: series.timestamps }),
    });
  }

  private checkChannels(source: string, channels: number): void {
    if (channels !== this.channels) {
      throw new DataOptionError(
        source,
        `scaler was fitted on ${this.channels} channels, series has ${channels}`,
      );
    }
  }

  private apply(
    values: Float32Array,
    channels: readonly number[] | undefined,
    inverse: boolean,
  ): Float32Array {
    const map = channels ?? Array.from({ length: this.channels }, (_, k) => k);
    const width = map.length;
    for (const k of map) {
      if (!(Number.isInteger(k) && k >= 0 && k < this.channels)) {
        throw new DataOptionError(
          'StandardScaler',
          `channel ${k} is outside the ${this.channels} fitted channels`,
        );
      }
    }
    if (width === 0 || values.length % width !== 0) {
      throw new DataOptionError(
        'StandardScaler',
        `${values.length} values do not fill rows of ${width} channels`,
      );
    }
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const k = map[i % width]!;
      const m = this.mean[k]!;
      const s = this.std[k]!;
      out[i] = inverse ? values[i]! * s + m : (values[i]! - m) / s;
    }
    return out;
  }
}
