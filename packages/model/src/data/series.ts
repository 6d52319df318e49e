/**
 * Multichannel time series stored as one row-major `Float32Array` of shape `[T, C]`, with column names
 * and optional timestamps. Browser-safe.
 * @packageDocumentation
 */
import { type CsvTable, columnIndex, numericColumn, timestampColumn } from './csv.js';
import { DataOptionError } from './errors.js';

/** A multichannel time series: `values[t * channels + c]` is channel `c` at step `t`. */
export interface TimeSeries {
  /** Row-major values, shape `[length, channels]`. */
  readonly values: Float32Array;
  /** Number of time steps `T`. */
  readonly length: number;
  /** Number of channels `C` (= `columns.length`). */
  readonly channels: number;
  /** Channel names. */
  readonly columns: readonly string[];
  /** Optional time of each step (ms since the Unix epoch), length `T`. */
  readonly timestamps?: Float64Array;
  /** Label of the source for error messages (file or dataset name). */
  readonly source: string;
}

/**
 * Builds a {@link TimeSeries} from row-major values and column names, checking the sizes.
 * @throws DataOptionError when `values.length` is not a multiple of the column count or timestamps do not match.
 */
export function createSeries(
  values: Float32Array,
  columns: readonly string[],
  options: { readonly timestamps?: Float64Array; readonly source?: string } = {},
): TimeSeries {
  const source = options.source ?? '<series>';
  const channels = columns.length;
  if (channels === 0) throw new DataOptionError(source, 'a series needs at least one column');
  if (values.length % channels !== 0) {
    throw new DataOptionError(source, `${values.length} values do not fill rows of ${channels} columns`);
  }
  const length = values.length / channels;
  if (options.timestamps !== undefined && options.timestamps.length !== length) {
    throw new DataOptionError(source, `${options.timestamps.length} timestamps for ${length} rows`);
  }
  return {
    values,
    length,
    channels,
    columns: [...columns],
    source,
    ...(options.timestamps === undefined ? {} : { timestamps: options.timestamps }),
  };
}

/** Options of {@link tableToSeries}. */
export interface TableToSeriesOptions {
  /**
   * Numeric columns to keep, in order (default: every column except the time column whose first
   * non-missing value is a number; a later bad value in such a column is an error naming its row).
   */
  readonly columns?: readonly string[];
  /** Column holding dates/times, parsed to `timestamps` (default: none). */
  readonly timeColumn?: string;
  /** Missing-value policy passed to {@link numericColumn} (default `'error'`). */
  readonly missing?: 'error' | 'nan';
}

/**
 * Turns a parsed CSV table into a {@link TimeSeries}.
 * @throws MissingColumnError, DataValueError naming the file, line and column of a bad value.
 */
export function tableToSeries(table: CsvTable, options: TableToSeriesOptions = {}): TimeSeries {
  let names = options.columns;
  if (names === undefined) {
    // A column is numeric when its first non-missing value is a number; later bad values are then reported.
    names = table.columns.filter((name) => {
      if (name === options.timeColumn) return false;
      const k = columnIndex(table, name);
      const first = table.rows.find(
        (row) => !['', 'na', 'nan', 'null', 'n/a'].includes(row[k]!.trim().toLowerCase()),
      );
      return first !== undefined && Number.isFinite(Number(first[k]!.trim())) && first[k]!.trim() !== '';
    });
  }
  if (names.length === 0) {
    throw new DataOptionError(table.fileName, 'no numeric columns to read as a series');
  }
  const T = table.rows.length;
  const C = names.length;
  const values = new Float32Array(T * C);
  names.forEach((name, c) => {
    const column = numericColumn(table, name, { missing: options.missing ?? 'error' });
    for (let t = 0; t < T; t++) values[t * C + c] = column[t]!;
  });
  return createSeries(values, names, {
    source: table.fileName,
    ...(options.timeColumn === undefined ? {} : { timestamps: timestampColumn(table, options.timeColumn) }),
  });
}

/** Rows `[start, end)` of a series (a copy), keeping columns and timestamps. */
export function sliceSeries(series: TimeSeries, start: number, end: number): TimeSeries {
  if (
    !(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= series.length)
  ) {
    throw new DataOptionError(series.source, `rows [${start}, ${end}) are outside [0, ${series.length})`);
  }
  const C = series.channels;
  return createSeries(series.values.slice(start * C, end * C), series.columns, {
    source: series.source,
    ...(series.timestamps === undefined ? {} : { timestamps: series.timestamps.slice(start, end) }),
  });
}

/** The named columns of a series, in the order given (a copy). @throws DataOptionError for an unknown name */
export function selectColumns(series: TimeSeries, columns: readonly string[]): TimeSeries {
  const indices = columns.map((name) => {
    const k = series.columns.indexOf(name);
    if (k < 0) {
      throw new DataOptionError(
        series.source,
        `no column '${name}'; columns are ${series.columns.map((c) => `'${c}'`).join(', ')}`,
      );
    }
    return k;
  });
  const T = series.length;
  const C = series.channels;
  const out = new Float32Array(T * indices.length);
  for (let t = 0; t < T; t++) {
    indices.forEach((k, j) => {
      out[t * indices.length + j] = series.values[t * C + k]!;
    });
  }
  return createSeries(out, columns, {
    source: series.source,
    ...(series.timestamps === undefined ? {} : { timestamps: series.timestamps }),
  });
}
