/**
 * Marked event sequences (times and categorical marks) for event forecasting: predict the next event's
 * mark and the time until it. Includes a reader for USGS earthquake GeoJSON, where marks are magnitude
 * bins. Browser-safe.
 * @packageDocumentation
 */
import { DataFormatError, DataOptionError, DataValueError } from './errors.js';
import type { StepRange } from './split.js';

/** A single marked event sequence in time order. */
export interface EventSequence {
  /** Event times in seconds since the first event, non-decreasing. */
  readonly times: Float64Array;
  /** Mark (category) of each event, in `[0, marks)`. */
  readonly marks: Int32Array;
  /** Number of mark categories. */
  readonly markCount: number;
  /** Names of the marks, length `markCount`. */
  readonly markNames: readonly string[];
  /** Optional raw value behind each mark (e.g. the magnitude). */
  readonly values?: Float32Array;
  /** Absolute time of the first event (ms since the Unix epoch), when known. */
  readonly origin?: number;
  /** Label of the source for messages. */
  readonly source: string;
}

/** Options of {@link earthquakesFromGeoJson}. */
export interface EarthquakeOptions {
  /** File name for messages (default `'earthquakes.json'`). */
  readonly fileName?: string;
  /** Magnitude bin edges (default `[1, 2, 3]`: marks `M<1`, `1≤M<2`, `2≤M<3`, `M≥3`). */
  readonly magnitudeEdges?: readonly number[];
}

interface Feature {
  readonly properties?: { readonly mag?: unknown; readonly time?: unknown };
}

/**
 * Reads a USGS GeoJSON `FeatureCollection` (as in vega-datasets' `earthquakes.json`) into an
 * {@link EventSequence} sorted by time, with magnitude bins as marks.
 * @throws DataFormatError for a document that is not a feature collection; DataValueError naming the
 * feature index for a missing time or magnitude.
 */
export function earthquakesFromGeoJson(json: unknown, options: EarthquakeOptions = {}): EventSequence {
  const file = options.fileName ?? 'earthquakes.json';
  const edges = options.magnitudeEdges ?? [1, 2, 3];
  for (let k = 1; k < edges.length; k++) {
    if (!(edges[k]! > edges[k - 1]!)) throw new DataOptionError(file, 'magnitude edges must increase');
  }
  const features = (json as { features?: unknown }).features;
  if (!Array.isArray(features)) {
    throw new DataFormatError({ file }, 'expected a GeoJSON FeatureCollection with a "features" array');
  }
  const events = features.map((raw: Feature, k) => {
    const time = raw.properties?.time;
    const mag = raw.properties?.mag;
    if (typeof time !== 'number' || !Number.isFinite(time)) {
      throw new DataValueError(
        { file, row: k + 1, column: 'properties.time' },
        `feature ${k} has no numeric time`,
      );
    }
    if (typeof mag !== 'number' || !Number.isFinite(mag)) {
      throw new DataValueError(
        { file, row: k + 1, column: 'properties.mag' },
        `feature ${k} has no numeric magnitude`,
      );
    }
    return { time, mag };
  });
  if (events.length === 0) throw new DataFormatError({ file }, 'the collection has no events');
  events.sort((a, b) => a.time - b.time);
  const origin = events[0]!.time;
  const times = Float64Array.from(events, (e) => (e.time - origin) / 1000);
  const values = Float32Array.from(events, (e) => e.mag);
  const marks = Int32Array.from(events, (e) => {
    let m = 0;
    while (m < edges.length && e.mag >= edges[m]!) m++;
    return m;
  });
  const markNames = Array.from({ length: edges.length + 1 }, (_, m) =>
    m === 0 ? `M<${edges[0]}` : m === edges.length ? `M>=${edges[m - 1]}` : `${edges[m - 1]}<=M<${edges[m]}`,
  );
  return { times, marks, markCount: edges.length + 1, markNames, values, origin, source: file };
}

/** Options of {@link eventChunks}. */
export interface EventChunkOptions {
  /** Events per chunk (`N`). */
  readonly length: number;
  /** Events between chunk starts (default `length`: no overlap). */
  readonly stride?: number;
  /** Restrict to events `[start, end)` (default all); chunks never read outside it. */
  readonly range?: Pick<StepRange, 'start' | 'end'>;
}

/** Fixed-length chunks of an event sequence, the batch layout of event models (`marks`, `times`: `[count, N]`). */
export interface EventChunks {
  /** Marks `[count, length]`. */
  readonly marks: Int32Array;
  /**
   * Times `[count, length]` in seconds, relative to the event just before the chunk, so that the first
   * inter-event time `t_0 − 0` is the real gap (chunks therefore start at event 1 or later).
   */
  readonly times: Float32Array;
  /** Number of chunks. */
  readonly count: number;
  /** Events per chunk. */
  readonly length: number;
  /** Index of each chunk's first event in the sequence. */
  readonly starts: Int32Array;
}

/**
 * Cuts an event sequence into chunks of `length` events for many-to-many event forecasting (each event
 * predicts the next one's mark and gap). Chunk `i` holds events `[s, s + length)` with
 * `s = max(range.start, 1) + i·stride`; its times are measured from event `s − 1`.
 * @throws DataOptionError when the range holds too few events for one chunk.
 */
export function eventChunks(sequence: EventSequence, options: EventChunkOptions): EventChunks {
  const N = options.length;
  const stride = options.stride ?? N;
  const source = sequence.source;
  if (!Number.isInteger(N) || N < 1 || !Number.isInteger(stride) || stride < 1) {
    throw new DataOptionError(source, `chunk length ${N} and stride ${stride} must be positive integers`);
  }
  const total = sequence.times.length;
  const end = options.range?.end ?? total;
  const first = Math.max(options.range?.start ?? 0, 1);
  if (!(0 <= first && first <= end && end <= total)) {
    throw new DataOptionError(source, `event range [${first}, ${end}) is outside [1, ${total})`);
  }
  if (end - first < N) {
    throw new DataOptionError(source, `${end - first} events are too few for a chunk of ${N}`);
  }
  const count = Math.floor((end - first - N) / stride) + 1;
  const marks = new Int32Array(count * N);
  const times = new Float32Array(count * N);
  const starts = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const s = first + i * stride;
    starts[i] = s;
    const t0 = sequence.times[s - 1]!;
    for (let k = 0; k < N; k++) {
      marks[i * N + k] = sequence.marks[s + k]!;
      times[i * N + k] = sequence.times[s + k]! - t0;
    }
  }
  return { marks, times, count, length: N, starts };
}

/**
 * Mean and standard deviation of `log τ` over the inter-event times of events `[start, end)` (each event's
 * gap to its predecessor, clamped below at `minInterval`); fit on the training events and give it to the
 * model so that time inputs and outputs are standardised without looking at test data.
 */
export function logIntervalStats(
  sequence: EventSequence,
  range: Pick<StepRange, 'start' | 'end'> = { start: 0, end: sequence.times.length },
  minInterval = 1e-6,
): { mean: number; std: number } {
  const from = Math.max(range.start, 1);
  let n = 0;
  let sum = 0;
  let squares = 0;
  for (let k = from; k < range.end; k++) {
    const v = Math.log(Math.max(sequence.times[k]! - sequence.times[k - 1]!, minInterval));
    sum += v;
    squares += v * v;
    n++;
  }
  if (n === 0)
    throw new DataOptionError(
      sequence.source,
      `no inter-event times in events [${range.start}, ${range.end})`,
    );
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, squares / n - mean * mean));
  return { mean, std: std > 1e-12 ? std : 1 };
}
