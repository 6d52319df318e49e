/**
 * A small RFC 4180 CSV parser (browser-safe): quoted fields with `""` escapes, commas and line breaks
 * inside quotes, CRLF/LF/CR line ends, an optional byte-order mark, and a header row. Typed column
 * extraction reports bad values with the file, the line and the column.
 * @packageDocumentation
 */
import { CsvParseError, DataValueError, MissingColumnError } from './errors.js';

/** Options of {@link parseCsv}. */
export interface ParseCsvOptions {
  /** Name used in error messages (default `'<csv>'`). */
  readonly fileName?: string;
  /** Field separator, one character (default `','`). */
  readonly delimiter?: string;
  /** Whether the first record is a header (default `true`); without one, columns are named `'1'`, `'2'`, ... */
  readonly header?: boolean;
  /** Skip lines that are completely empty (default `true`). */
  readonly skipEmptyLines?: boolean;
}

/** A parsed CSV file: the header and the records as strings, with the line each record starts on. */
export interface CsvTable {
  /** Name used in error messages. */
  readonly fileName: string;
  /** Column names, in file order. */
  readonly columns: readonly string[];
  /** Records (without the header); every record has `columns.length` fields. */
  readonly rows: readonly (readonly string[])[];
  /** 1-based line number on which each record starts (the header is line 1 when present). */
  readonly lines: readonly number[];
}

interface RawRecord {
  readonly fields: string[];
  readonly line: number;
  /** The line had no characters at all (not even `""`). */
  readonly blank: boolean;
}

function* records(text: string, fileName: string, delimiter: string): Generator<RawRecord> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const quote = '"';
  while (i < n) {
    const startLine = line;
    const blank = text[i] === '\n' || text[i] === '\r';
    const fields: string[] = [];
    let done = false;
    while (!done) {
      let field = '';
      if (text[i] === quote) {
        // Quoted field: runs to the next lone quote; "" is an escaped quote.
        const column = fields.length + 1;
        i++;
        for (;;) {
          if (i >= n) {
            throw new CsvParseError(
              { file: fileName, row: startLine, column },
              'unterminated quoted field (a " opens a field that never closes)',
            );
          }
          const ch = text[i]!;
          if (ch === quote) {
            if (text[i + 1] === quote) {
              field += quote;
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
          field += ch;
          i++;
        }
        const next = text[i];
        if (i < n && next !== delimiter && next !== '\n' && next !== '\r') {
          throw new CsvParseError(
            { file: fileName, row: line, column },
            `unexpected character '${next}' after a closing quote (quote the whole field and double inner quotes)`,
          );
        }
      } else {
        const start = i;
        while (i < n) {
          const ch = text[i]!;
          if (ch === delimiter || ch === '\n' || ch === '\r') break;
          if (ch === quote) {
            throw new CsvParseError(
              { file: fileName, row: line, column: fields.length + 1 },
              'quote inside an unquoted field (quote the whole field and double inner quotes)',
            );
          }
          i++;
        }
        field = text.slice(start, i);
      }
      fields.push(field);
      if (i >= n) {
        done = true;
      } else if (text[i] === delimiter) {
        i++;
        // A delimiter as the very last character ends the record with an empty field.
        if (i >= n) {
          fields.push('');
          done = true;
        }
      } else {
        // Line end: CRLF, LF or CR.
        if (text[i] === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        done = true;
      }
    }
    yield { fields, line: startLine, blank };
  }
}

/**
 * Parses CSV text (RFC 4180) into a {@link CsvTable}. Every record must have as many fields as the header.
 * @example
 * const table = parseCsv('a,b\n1,"x, y"\n', { fileName: 'small.csv' });
 * table.rows; // [['1', 'x, y']]
 * @throws CsvParseError naming the file, line and column of an unterminated quote, a stray quote, a
 * ragged record, an empty file or a duplicate header name.
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  const fileName = options.fileName ?? '<csv>';
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new CsvParseError({ file: fileName }, `invalid delimiter ${JSON.stringify(delimiter)}`);
  }
  const skipEmpty = options.skipEmptyLines ?? true;
  const hasHeader = options.header ?? true;
  let columns: string[] | undefined;
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const record of records(text, fileName, delimiter)) {
    if (skipEmpty && record.blank) continue;
    if (columns === undefined) {
      if (hasHeader) {
        columns = record.fields.map((c) => c.trim());
        const seen = new Set<string>();
        columns.forEach((name, k) => {
          if (seen.has(name)) {
            throw new CsvParseError(
              { file: fileName, row: record.line, column: k + 1 },
              `duplicate column name '${name}' in the header`,
            );
          }
          seen.add(name);
        });
        continue;
      }
      columns = record.fields.map((_, k) => String(k + 1));
    }
    if (record.fields.length !== columns.length) {
      throw new CsvParseError(
        { file: fileName, row: record.line },
        `expected ${columns.length} fields (as in the ${hasHeader ? 'header' : 'first row'}), found ${record.fields.length}`,
      );
    }
    rows.push(record.fields);
    lines.push(record.line);
  }
  if (columns === undefined) throw new CsvParseError({ file: fileName }, 'the file is empty (no header row)');
  return { fileName, columns, rows, lines };
}

/** Index of `column` in `table`, by name or by 0-based index. @throws MissingColumnError */
export function columnIndex(table: CsvTable, column: string | number): number {
  if (typeof column === 'number') {
    if (!Number.isInteger(column) || column < 0 || column >= table.columns.length) {
      throw new MissingColumnError(table.fileName, String(column), table.columns);
    }
    return column;
  }
  const index = table.columns.indexOf(column);
  if (index < 0) throw new MissingColumnError(table.fileName, column, table.columns);
  return index;
}

/** The raw strings of one column. @throws MissingColumnError */
export function stringColumn(table: CsvTable, column: string | number): string[] {
  const k = columnIndex(table, column);
  return table.rows.map((row) => row[k]!);
}

/** Options of {@link numericColumn}. */
export interface NumericColumnOptions {
  /**
   * What to do with empty fields and `NA`/`NaN`/`null`: `'error'` (default) raises a `DataValueError`,
   * `'nan'` stores `NaN`.
   */
  readonly missing?: 'error' | 'nan';
}

const MISSING = new Set(['', 'na', 'nan', 'null', 'n/a']);

/**
 * Reads one column as numbers (float64). Surrounding spaces are allowed; anything else that is not a
 * finite decimal number is an error naming the file, line and column.
 * @throws MissingColumnError, DataValueError
 */
export function numericColumn(
  table: CsvTable,
  column: string | number,
  options: NumericColumnOptions = {},
): Float64Array {
  const k = columnIndex(table, column);
  const name = table.columns[k]!;
  const out = new Float64Array(table.rows.length);
  for (let r = 0; r < table.rows.length; r++) {
    const text = table.rows[r]![k]!.trim();
    const location = { file: table.fileName, row: table.lines[r]!, column: name };
    if (MISSING.has(text.toLowerCase())) {
      if (options.missing === 'nan') {
        out[r] = Number.NaN;
        continue;
      }
      throw new DataValueError(location, `missing value '${text}' in a numeric column`);
    }
    const value = Number(text);
    if (!Number.isFinite(value) || /^0[xob]/i.test(text)) {
      throw new DataValueError(location, `'${text}' is not a number`);
    }
    out[r] = value;
  }
  return out;
}

const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/**
 * Parses a timestamp to milliseconds since the Unix epoch. ISO 8601 dates and date-times without a zone
 * are read as UTC (not local time, unlike `Date.parse` for date-times), so results do not depend on the
 * machine's time zone; plain numbers are returned as they are.
 * @returns `NaN` when the text is not a timestamp.
 */
export function parseTimestamp(text: string): number {
  const t = text.trim();
  if (t === '') return Number.NaN;
  if (/^-?\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (ISO_NO_ZONE.test(t)) return Date.parse(`${t.replace(' ', 'T')}${t.length === 10 ? '' : 'Z'}`);
  return Date.parse(t);
}

/** Reads one column as timestamps (ms since the epoch, see {@link parseTimestamp}). @throws DataValueError */
export function timestampColumn(table: CsvTable, column: string | number): Float64Array {
  const k = columnIndex(table, column);
  const name = table.columns[k]!;
  const out = new Float64Array(table.rows.length);
  for (let r = 0; r < table.rows.length; r++) {
    const text = table.rows[r]![k]!;
    const value = parseTimestamp(text);
    if (Number.isNaN(value)) {
      throw new DataValueError(
        { file: table.fileName, row: table.lines[r]!, column: name },
        `'${text}' is not a date or time`,
      );
    }
    out[r] = value;
  }
  return out;
}
