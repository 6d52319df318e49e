/**
 * Node-only file loading: reads (optionally gzip-compressed) files and parses CSV, JSON and IDX.
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { type CsvTable, type ParseCsvOptions, parseCsv } from '../csv.js';
import { DataError, DataFormatError } from '../errors.js';
import { type IdxArray, parseIdx } from '../idx.js';
import { type TableToSeriesOptions, type TimeSeries, tableToSeries } from '../series.js';

const gunzipAsync = promisify(gunzip);

/** Reads a file's bytes, decompressing gzip (detected by its magic bytes, whatever the extension). */
export async function readDataFile(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new DataError(
      'E_DATA_READ',
      { file: path },
      code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(error)})`,
      { cause: error },
    );
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return new Uint8Array(await gunzipAsync(bytes));
    } catch (error) {
      throw new DataFormatError({ file: path }, `corrupt gzip data (${(error as Error).message})`);
    }
  }
  return bytes;
}

/** Reads a UTF-8 text file (gzip allowed). */
export async function readTextFile(path: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readDataFile(path));
}

/**
 * Reads and parses a CSV file (gzip allowed); errors name the file's base name, line and column.
 * @example const table = await loadCsvFile('data/weather.csv');
 */
export async function loadCsvFile(
  path: string,
  options: Omit<ParseCsvOptions, 'fileName'> = {},
): Promise<CsvTable> {
  return parseCsv(await readTextFile(path), { ...options, fileName: basename(path) });
}

/** Reads a CSV file straight into a {@link TimeSeries} (see {@link tableToSeries} for the options). */
export async function loadCsvSeries(
  path: string,
  options: TableToSeriesOptions & Omit<ParseCsvOptions, 'fileName' | 'header'> = {},
): Promise<TimeSeries> {
  const table = await loadCsvFile(path, options);
  return tableToSeries(table, options);
}

/** Reads a JSON file (gzip allowed). @throws DataFormatError naming the file for invalid JSON */
export async function loadJsonFile(path: string): Promise<unknown> {
  const text = await readTextFile(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataFormatError({ file: basename(path) }, `invalid JSON (${(error as Error).message})`);
  }
}

/** Reads an IDX file (`.gz` allowed), e.g. Fashion-MNIST's `train-images-idx3-ubyte.gz`. */
export async function loadIdxFile(path: string): Promise<IdxArray> {
  return parseIdx(await readDataFile(path), { fileName: basename(path) });
}
