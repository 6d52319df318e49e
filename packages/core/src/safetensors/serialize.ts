/**
 * Writing safetensors files: tensors (typed arrays with shapes) to bytes in the layout of the reference
 * implementation, readable by Python's `safetensors`, PyTorch and Hugging Face tools.
 * @packageDocumentation
 */
import { formatShape } from '../errors.js';
import {
  isSafetensorsWritableDType,
  SAFETENSORS_ITEM_SIZE,
  SAFETENSORS_WRITABLE_DTYPES,
  type SafetensorsWritableDType,
} from './dtypes.js';
import { DEFAULT_SAFETENSORS_FILE_NAME, SafetensorsError } from './errors.js';
import { float32ToBfloat16Bits, float32ToFloat16Bits } from './half-float.js';
import { METADATA_KEY } from './header.js';

/** One tensor to write. */
export interface SafetensorsTensorInput {
  /**
   * Stored dtype; defaults to `F32` for a `Float32Array` and `I32` for an `Int32Array`. Floating dtypes
   * accept either array (F16 and BF16 round to nearest, ties to even); integer dtypes and BOOL require
   * integer values in their range (BOOL: 0 or 1).
   */
  readonly dtype?: SafetensorsWritableDType;
  /** Extents, outermost first (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** Elements in row-major order; exactly `numel(shape)` of them. */
  readonly data: Float32Array | Int32Array;
}

/** Options of {@link serializeSafetensors}. */
export interface SerializeSafetensorsOptions {
  /** The `__metadata__` table (string values only); omitted from the file when empty. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Name used in error messages; defaults to `'<safetensors>'`. */
  readonly fileName?: string;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const INT_RANGE: Partial<Record<SafetensorsWritableDType, readonly [number, number]>> = {
  I64: [-(2 ** 53) + 1, 2 ** 53 - 1],
  I32: [-(2 ** 31), 2 ** 31 - 1],
  I16: [-(2 ** 15), 2 ** 15 - 1],
  I8: [-128, 127],
  U8: [0, 255],
  BOOL: [0, 1],
};

interface Planned {
  readonly name: string;
  readonly dtype: SafetensorsWritableDType;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
  begin: number;
  end: number;
}

function plan(fileName: string, name: string, input: SafetensorsTensorInput): Planned {
  const fail = (detail: string): never => {
    throw new SafetensorsError('invalid-entry', fileName, name, detail);
  };
  if (name === METADATA_KEY) fail(`'${METADATA_KEY}' is reserved for the metadata table`);
  if (typeof input !== 'object' || input === null) return fail('tensor must be { shape, data, dtype? }');
  const { data, shape } = input;
  if (!(data instanceof Float32Array) && !(data instanceof Int32Array)) {
    return fail('data must be a Float32Array or an Int32Array');
  }
  const dtype = input.dtype ?? (data instanceof Int32Array ? 'I32' : 'F32');
  if (!isSafetensorsWritableDType(dtype)) {
    throw new SafetensorsError(
      'unknown-dtype',
      fileName,
      name,
      `cannot write dtype ${JSON.stringify(dtype)} (writable: ${SAFETENSORS_WRITABLE_DTYPES.join(', ')})`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return fail(`shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const numel = shape.reduce((a, d) => a * d, 1);
  if (numel !== data.length) {
    throw new SafetensorsError(
      'size-mismatch',
      fileName,
      name,
      `shape ${formatShape(shape)} has ${numel} elements but data has ${data.length}`,
    );
  }
  const range = INT_RANGE[dtype];
  if (range !== undefined) {
    const [lo, hi] = range;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!(Number.isInteger(v) && v >= lo && v <= hi)) {
        const what = dtype === 'BOOL' ? '0 or 1' : `an integer in [${lo}, ${hi}]`;
        throw new SafetensorsError(
          'value-out-of-range',
          fileName,
          name,
          `value ${v} at flat index ${i} cannot be stored as ${dtype} (needs ${what})`,
        );
      }
    }
  }
  return { name, dtype, shape, data, begin: 0, end: 0 };
}

function writeTensor(out: ArrayBuffer, offset: number, t: Planned): void {
  const { data } = t;
  const n = data.length;
  switch (t.dtype) {
    case 'F64':
      new Float64Array(out, offset, n).set(data);
      break;
    case 'F32':
      new Float32Array(out, offset, n).set(data);
      break;
    case 'F16': {
      const bits = new Uint16Array(out, offset, n);
      for (let i = 0; i < n; i++) bits[i] = float32ToFloat16Bits(data[i]!);
      break;
    }
    case 'BF16': {
      const bits = new Uint16Array(out, offset, n);
      for (let i = 0; i < n; i++) bits[i] = float32ToBfloat16Bits(data[i]!);
      break;
    }
    case 'I64': {
      const words = new Int32Array(out, offset, 2 * n);
      const low = LITTLE_ENDIAN ? 0 : 1;
      for (let i = 0; i < n; i++) {
        const v = data[i]!;
        const hi = Math.floor(v / 2 ** 32);
        words[2 * i + low] = v - hi * 2 ** 32;
        words[2 * i + 1 - low] = hi;
      }
      break;
    }
    case 'I32':
      new Int32Array(out, offset, n).set(data);
      break;
    case 'I16':
      new Int16Array(out, offset, n).set(data);
      break;
    case 'I8':
      new Int8Array(out, offset, n).set(data);
      break;
    case 'U8':
    case 'BOOL':
      new Uint8Array(out, offset, n).set(data);
      break;
  }
  const itemSize = SAFETENSORS_ITEM_SIZE[t.dtype];
  if (!LITTLE_ENDIAN && itemSize > 1) {
    const bytes = new Uint8Array(out, offset, n * itemSize);
    for (let i = 0; i < bytes.length; i += itemSize) bytes.subarray(i, i + itemSize).reverse();
  }
}

/**
 * Position of each dtype in the reference implementation's `Dtype` enum; it lays tensors out by
 * decreasing position (which is also decreasing item size), then by name.
 */
const DTYPE_ORDER: Readonly<Record<SafetensorsWritableDType, number>> = {
  BOOL: 0,
  U8: 4,
  I8: 5,
  I16: 11,
  F16: 13,
  BF16: 14,
  I32: 15,
  F32: 17,
  F64: 19,
  I64: 20,
};

/** Orders strings by Unicode code points (the byte order of their UTF-8, as Rust compares strings). */
function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * Serializes tensors to safetensors bytes, byte for byte as Python's `safetensors` does (for metadata with
 * at most one key; the reference orders several keys randomly, this writer sorts them): tensors laid out by
 * dtype (larger items first) then by name, and the JSON header padded with spaces to a multiple of 8 bytes,
 * so every tensor's data is aligned to its item size.
 * @example
 * const bytes = serializeSafetensors(
 *   { 'w': { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]), dtype: 'BF16' } },
 *   { metadata: { format: 'pt' } },
 * );
 * @throws {@link SafetensorsError} naming the tensor: `invalid-entry` (reserved name, bad shape or data),
 *   `unknown-dtype`, `size-mismatch` (data length ≠ numel), `value-out-of-range` (integer dtypes).
 */
export function serializeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensorInput>> | ReadonlyMap<string, SafetensorsTensorInput>,
  options?: SerializeSafetensorsOptions,
): Uint8Array {
  const fileName = options?.fileName ?? DEFAULT_SAFETENSORS_FILE_NAME;
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const planned = entries.map(([name, input]) => plan(fileName, name, input));
  planned.sort((a, b) => DTYPE_ORDER[b.dtype] - DTYPE_ORDER[a.dtype] || compareNames(a.name, b.name));
  let cursor = 0;
  for (const t of planned) {
    t.begin = cursor;
    cursor += t.data.length * SAFETENSORS_ITEM_SIZE[t.dtype];
    t.end = cursor;
  }

  const parts: string[] = [];
  const metadata = Object.entries(options?.metadata ?? {});
  if (metadata.length > 0) {
    metadata.sort(([a], [b]) => compareNames(a, b));
    for (const [key, value] of metadata) {
      if (typeof value !== 'string') {
        throw new SafetensorsError(
          'invalid-entry',
          fileName,
          undefined,
          `${METADATA_KEY} value of ${JSON.stringify(key)} must be a string, got ${typeof value}`,
        );
      }
    }
    const body = metadata.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${body}}`);
  }
  for (const t of planned) {
    parts.push(
      `${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${t.begin},${t.end}]}`,
    );
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const dataStart = 8 + headerLength;
  const out = new Uint8Array(dataStart + cursor);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, dataStart);
  for (const t of planned) writeTensor(out.buffer, dataStart + t.begin, t);
  return out;
}
