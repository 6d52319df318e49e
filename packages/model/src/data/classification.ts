/**
 * Sequence-classification data: `[count, steps, features]` inputs with integer labels, built from the
 * scikit-learn digits (8×8 images read as 8 steps of 8 pixels) or from IDX images read as pixel
 * sequences (the "sequential MNIST" setting). Browser-safe.
 * @packageDocumentation
 */
import { createRng } from '@aaren/core';
import { type CsvTable, numericColumn } from './csv.js';
import { DataFormatError, DataOptionError, DataValueError } from './errors.js';
import type { IdxArray } from './idx.js';

/** A labelled set of sequences. */
export interface ClassificationData {
  /** Row-major inputs `[count, steps, features]`. */
  readonly inputs: Float32Array;
  /** Class index of each sequence, in `[0, classes)`. */
  readonly labels: Int32Array;
  /** Number of sequences. */
  readonly count: number;
  /** Sequence length. */
  readonly steps: number;
  /** Features per step. */
  readonly features: number;
  /** Number of classes. */
  readonly classes: number;
  /** Optional class names, length `classes`. */
  readonly classNames?: readonly string[];
  /** Label of the source for messages. */
  readonly source: string;
}

/**
 * Checks sizes and labels and returns the data object.
 * @throws DataOptionError when sizes disagree; DataValueError for a label outside `[0, classes)`.
 */
export function createClassificationData(fields: {
  readonly inputs: Float32Array;
  readonly labels: Int32Array;
  readonly steps: number;
  readonly features: number;
  readonly classes: number;
  readonly classNames?: readonly string[];
  readonly source: string;
}): ClassificationData {
  const { inputs, labels, steps, features, classes, source } = fields;
  const count = labels.length;
  if (inputs.length !== count * steps * features) {
    throw new DataOptionError(
      source,
      `${inputs.length} input values for ${count} sequences of ${steps} steps × ${features} features`,
    );
  }
  for (let i = 0; i < count; i++) {
    const y = labels[i]!;
    if (!(Number.isInteger(y) && y >= 0 && y < classes)) {
      throw new DataValueError({ file: source, row: i + 1 }, `label ${y} is outside [0, ${classes})`);
    }
  }
  return {
    inputs,
    labels,
    count,
    steps,
    features,
    classes,
    source,
    ...(fields.classNames === undefined ? {} : { classNames: fields.classNames }),
  };
}

/**
 * Reads scikit-learn's `digits.csv.gz` table (no header; 64 pixel columns with values 0..16, then the
 * label) as 8 steps (image rows) of 8 features (pixels / 16).
 * @throws DataFormatError when a row does not have 65 fields; DataValueError for a bad pixel or label.
 */
export function digitsFromTable(table: CsvTable): ClassificationData {
  if (table.columns.length !== 65) {
    throw new DataFormatError(
      { file: table.fileName },
      `digits rows have 64 pixels and a label (65 fields), found ${table.columns.length}; parse with header: false`,
    );
  }
  const count = table.rows.length;
  const inputs = new Float32Array(count * 64);
  for (let p = 0; p < 64; p++) {
    const column = numericColumn(table, p);
    for (let i = 0; i < count; i++) {
      const v = column[i]!;
      if (v < 0 || v > 16) {
        throw new DataValueError(
          { file: table.fileName, row: table.lines[i]!, column: p + 1 },
          `pixel ${v} is outside 0..16`,
        );
      }
      inputs[i * 64 + p] = v / 16;
    }
  }
  const labelColumn = numericColumn(table, 64);
  const labels = Int32Array.from(labelColumn);
  labelColumn.forEach((v, i) => {
    if (!Number.isInteger(v)) {
      throw new DataValueError(
        { file: table.fileName, row: table.lines[i]!, column: 65 },
        `label ${v} is not an integer`,
      );
    }
  });
  return createClassificationData({
    inputs,
    labels,
    steps: 8,
    features: 8,
    classes: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    source: table.fileName,
  });
}

/** Options of {@link imagesToSequences}. */
export interface ImageSequenceOptions {
  /**
   * `'pixels'` (default): one pixel per step, `H·W` steps of 1 feature (sequential MNIST);
   * `'rows'`: one image row per step, `H` steps of `W` features.
   */
  readonly mode?: 'pixels' | 'rows';
  /** Average-pool `pool × pool` blocks first (default 1), e.g. 2 turns 28×28 into 14×14 (196 pixel steps). */
  readonly pool?: number;
  /** Class names. */
  readonly classNames?: readonly string[];
  /** Number of classes (default: max label + 1). */
  readonly classes?: number;
}

/**
 * Turns IDX images `[N, H, W]` (u8) and labels `[N]` into sequences with values in `[0, 1]`.
 * @throws DataFormatError when the arrays do not have the expected ranks or counts.
 */
export function imagesToSequences(
  images: IdxArray,
  labels: IdxArray,
  source: string,
  options: ImageSequenceOptions = {},
): ClassificationData {
  const [N, H, W] = images.dims;
  if (images.dims.length !== 3 || N === undefined || H === undefined || W === undefined) {
    throw new DataFormatError(
      { file: source },
      `images must have dims [N, H, W], got [${images.dims.join(', ')}]`,
    );
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== N) {
    throw new DataFormatError(
      { file: source },
      `labels must have dims [${N}], got [${labels.dims.join(', ')}]`,
    );
  }
  const pool = options.pool ?? 1;
  if (!Number.isInteger(pool) || pool < 1 || H % pool !== 0 || W % pool !== 0) {
    throw new DataOptionError(source, `pool ${pool} must be a positive integer dividing ${H}×${W}`);
  }
  const h = H / pool;
  const w = W / pool;
  const scale = 1 / (255 * pool * pool);
  const inputs = new Float32Array(N * h * w);
  const pixels = images.data;
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let sum = 0;
        for (let a = 0; a < pool; a++) {
          const row = (n * H + i * pool + a) * W + j * pool;
          for (let b = 0; b < pool; b++) sum += pixels[row + b]!;
        }
        inputs[(n * h + i) * w + j] = sum * scale;
      }
    }
  }
  const labelArray = Int32Array.from(labels.data as ArrayLike<number>);
  let classes = options.classes ?? 0;
  if (options.classes === undefined) for (const y of labelArray) classes = Math.max(classes, y + 1);
  const rows = options.mode === 'rows';
  return createClassificationData({
    inputs,
    labels: labelArray,
    steps: rows ? h : h * w,
    features: rows ? w : 1,
    classes,
    source,
    ...(options.classNames === undefined ? {} : { classNames: options.classNames }),
  });
}

/** The sequences at `indices`, in that order (a copy). */
export function subsetClassification(
  data: ClassificationData,
  indices: ArrayLike<number>,
): ClassificationData {
  const size = data.steps * data.features;
  const inputs = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!(Number.isInteger(i) && i >= 0 && i < data.count)) {
      throw new DataOptionError(data.source, `index ${i} is outside [0, ${data.count})`);
    }
    inputs.set(data.inputs.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = data.labels[i]!;
  }
  return { ...data, inputs, labels, count: indices.length };
}

/** Options of {@link shuffleSplit}. */
export interface ShuffleSplitOptions {
  /** Fraction for validation (default 0.1). */
  readonly val?: number;
  /** Fraction for testing (default 0.2). */
  readonly test?: number;
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
}

/**
 * A seeded random train/validation/test split for datasets without an official one (digits). The test
 * part gets `floor(test·N)` items, validation `floor(val·N)`, training the rest.
 */
export function shuffleSplit(
  data: ClassificationData,
  options: ShuffleSplitOptions = {},
): { train: ClassificationData; val: ClassificationData; test: ClassificationData } {
  const val = options.val ?? 0.1;
  const test = options.test ?? 0.2;
  if (!(val >= 0 && test >= 0 && val + test < 1)) {
    throw new DataOptionError(
      data.source,
      `val ${val} and test ${test} must be >= 0 and leave some training data`,
    );
  }
  const order = createRng(options.seed ?? 0).permutation(data.count);
  const nTest = Math.floor(test * data.count);
  const nVal = Math.floor(val * data.count);
  return {
    test: subsetClassification(data, order.subarray(0, nTest)),
    val: subsetClassification(data, order.subarray(nTest, nTest + nVal)),
    train: subsetClassification(data, order.subarray(nTest + nVal)),
  };
}

/** A seeded random sample of `size` sequences (all of them when `size >= count`), e.g. to subsample Fashion-MNIST. */
export function sampleClassification(data: ClassificationData, size: number, seed = 0): ClassificationData {
  if (size >= data.count) return data;
  const order = createRng(seed).permutation(data.count).subarray(0, size);
  return subsetClassification(data, order);
}
