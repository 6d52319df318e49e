/**
 * Errors raised by the data loaders. Each one names the file (or the in-memory source), and where it
 * applies the 1-based row and the column, so that a user can open the file and fix the line.
 * @packageDocumentation
 */
import { AarenError } from '@aaren/core';

/** Where in a data file an error was found. */
export interface DataLocation {
  /** File name or a label of the in-memory source, e.g. `'seattle-weather.csv'`. */
  readonly file: string;
  /** 1-based line/row number in the file (the header is row 1 for CSV), when known. */
  readonly row?: number;
  /** Column name or 1-based column number, when known. */
  readonly column?: string | number;
}

function formatLocation(location: DataLocation): string {
  let text = location.file;
  if (location.row !== undefined) text += `, row ${location.row}`;
  if (location.column !== undefined) {
    text +=
      typeof location.column === 'number' ? `, column ${location.column}` : `, column '${location.column}'`;
  }
  return text;
}

/** Base class of the data errors: a malformed file, a missing column, a bad value. */
export class DataError extends AarenError {
  /** File name or source label. */
  readonly file: string;
  /** 1-based row, when the error is tied to one. */
  readonly row: number | undefined;
  /** Column name or 1-based index, when the error is tied to one. */
  readonly column: string | number | undefined;
  constructor(code: string, location: DataLocation, detail: string, options?: { cause?: unknown }) {
    super(code, `${formatLocation(location)}: ${detail}`, options);
    this.file = location.file;
    this.row = location.row;
    this.column = location.column;
  }
}

/** A CSV file is malformed (unterminated quote, ragged row, empty header...). */
export class CsvParseError extends DataError {
  constructor(location: DataLocation, detail: string) {
    super('E_CSV_PARSE', location, detail);
  }
}

/** A value could not be read as the requested type (e.g. `'abc'` in a numeric column). */
export class DataValueError extends DataError {
  constructor(location: DataLocation, detail: string) {
    super('E_DATA_VALUE', location, detail);
  }
}

/** A requested column does not exist; the message lists the columns that do. */
export class MissingColumnError extends DataError {
  /** Columns the file does have. */
  readonly available: readonly string[];
  constructor(file: string, column: string, available: readonly string[]) {
    super(
      'E_MISSING_COLUMN',
      { file, column },
      `no such column; columns are ${available.map((c) => `'${c}'`).join(', ')}`,
    );
    this.available = available;
  }
}

/** A binary file (IDX, gzip) is malformed or truncated. */
export class DataFormatError extends DataError {
  constructor(location: DataLocation, detail: string) {
    super('E_DATA_FORMAT', location, detail);
  }
}

/** Windowing, splitting or scaling options are inconsistent with the data (e.g. series too short). */
export class DataOptionError extends DataError {
  constructor(source: string, detail: string) {
    super('E_DATA_OPTION', { file: source }, detail);
  }
}

/**
 * A built-in dataset's files are not installed. The message says exactly what to run, e.g.
 * `apt-get install -y dataset-fashion-mnist` or `pnpm add -D vega-datasets@3.2.1`.
 */
export class DatasetNotInstalledError extends DataError {
  /** The dataset's registry name. */
  readonly dataset: string;
  /** The shell command that installs the missing files. */
  readonly install: string;
  constructor(dataset: string, file: string, install: string) {
    super('E_DATASET_NOT_INSTALLED', { file }, `dataset '${dataset}' is not installed; run: ${install}`);
    this.dataset = dataset;
    this.install = install;
  }
}

/** A dataset name that is not in the built-in registry; the message lists the known names. */
export class UnknownDatasetError extends DataError {
  constructor(name: string, known: readonly string[]) {
    super('E_UNKNOWN_DATASET', { file: name }, `unknown dataset; built-in datasets are ${known.join(', ')}`);
  }
}
