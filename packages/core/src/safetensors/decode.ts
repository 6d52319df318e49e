/**
 * Decoding the bytes of one stored tensor into an aaren typed array: floating dtypes to `Float32Array`,
 * integer and boolean dtypes to `Int32Array`.
 * @packageDocumentation
 */
import type { SafetensorsDType } from './dtypes.js';
import { DEFAULT_SAFETENSORS_FILE_NAME, SafetensorsError } from './errors.js';
import {
  bfloat16ArrayToFloat32,
  float8E4M3ToFloat32,
  float8E5M2ToFloat32,
  float16ArrayToFloat32,
} from './half-float.js';
import type { SafetensorsTensorInfo } from './header.js';

/** A tensor read from a safetensors file, converted to an aaren dtype. */
export type DecodedTensor =
  | {
      /** Element type after conversion. */
      readonly dtype: 'f32';
      /** Extents, outermost first. */
      readonly shape: number[];
      /** Elements in row-major order (a fresh array the caller owns). */
      readonly data: Float32Array;
      /** The dtype stored in the file. */
      readonly storedDType: SafetensorsDType;
    }
  | {
      /** Element type after conversion. */
      readonly dtype: 'i32';
      /** Extents, outermost first. */
      readonly shape: number[];
      /** Elements in row-major order (a fresh array the caller owns). */
      readonly data: Int32Array;
      /** The dtype stored in the file. */
      readonly storedDType: SafetensorsDType;
    };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Index of the low 32-bit word of a 64-bit integer in host order. */
const LOW_WORD = LITTLE_ENDIAN ? 0 : 1;

function tableOf(decode: (bits: number) => number): Float32Array {
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) table[i] = decode(i);
  return table;
}

let e4m3Table: Float32Array | undefined;
let e5m2Table: Float32Array | undefined;

function fromTable(bytes: Uint8Array, table: Float32Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]!]!;
  return out;
}

/** Copies `bytes` into a fresh, aligned buffer in host byte order. */
function alignedCopy(bytes: Uint8Array, itemSize: number): ArrayBuffer {
  const copy = bytes.slice();
  if (!LITTLE_ENDIAN && itemSize > 1) {
    for (let i = 0; i < copy.length; i += itemSize) copy.subarray(i, i + itemSize).reverse();
  }
  return copy.buffer;
}

/**
 * Decodes the `info.byteLength` bytes of one tensor (exactly its bytes, at any alignment).
 * F32 is copied; F64 is rounded to f32 (magnitudes beyond its range become ±Infinity); F16, BF16, F8_E4M3
 * and F8_E5M2 are widened exactly. I32 is copied; I16, I8, U16 and U8 are widened; BOOL becomes 0/1 (any
 * non-zero byte is true); I64, U64 and U32 must hold values in the int32 range.
 * @throws {@link SafetensorsError} `size-mismatch` when `bytes` has the wrong length, `value-out-of-range`
 *   naming the tensor, the flat index and the value when an integer does not fit in int32.
 */
export function decodeSafetensorsTensor(
  info: Pick<SafetensorsTensorInfo, 'name' | 'dtype' | 'shape' | 'byteLength'>,
  bytes: Uint8Array,
  fileName: string = DEFAULT_SAFETENSORS_FILE_NAME,
): DecodedTensor {
  const { name, dtype } = info;
  const shape = [...info.shape];
  if (bytes.length !== info.byteLength) {
    throw new SafetensorsError(
      'size-mismatch',
      fileName,
      name,
      `expected ${info.byteLength} bytes of data but got ${bytes.length}`,
    );
  }
  const f32 = (data: Float32Array): DecodedTensor => ({ dtype: 'f32', shape, data, storedDType: dtype });
  const i32 = (data: Int32Array): DecodedTensor => ({ dtype: 'i32', shape, data, storedDType: dtype });
  const outOfRange = (index: number, value: bigint | number): never => {
    throw new SafetensorsError(
      'value-out-of-range',
      fileName,
      name,
      `${dtype} value ${value} at flat index ${index} does not fit in int32`,
    );
  };
  switch (dtype) {
    case 'F32':
      return f32(new Float32Array(alignedCopy(bytes, 4)));
    case 'F64':
      return f32(new Float32Array(new Float64Array(alignedCopy(bytes, 8))));
    case 'F16':
      return f32(float16ArrayToFloat32(new Uint16Array(alignedCopy(bytes, 2))));
    case 'BF16':
      return f32(bfloat16ArrayToFloat32(new Uint16Array(alignedCopy(bytes, 2))));
    case 'F8_E4M3':
      e4m3Table ??= tableOf(float8E4M3ToFloat32);
      return f32(fromTable(bytes, e4m3Table));
    case 'F8_E5M2':
      e5m2Table ??= tableOf(float8E5M2ToFloat32);
      return f32(fromTable(bytes, e5m2Table));
    case 'I32':
      return i32(new Int32Array(alignedCopy(bytes, 4)));
    case 'I16':
      return i32(new Int32Array(new Int16Array(alignedCopy(bytes, 2))));
    case 'U16':
      return i32(new Int32Array(new Uint16Array(alignedCopy(bytes, 2))));
    case 'I8':
      return i32(new Int32Array(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length)));
    case 'U8':
      return i32(new Int32Array(bytes));
    case 'BOOL': {
      const out = new Int32Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] === 0 ? 0 : 1;
      return i32(out);
    }
    case 'U32': {
      const words = new Uint32Array(alignedCopy(bytes, 4));
      for (let i = 0; i < words.length; i++) if (words[i]! > 0x7fffffff) outOfRange(i, words[i]!);
      return i32(new Int32Array(words.buffer));
    }
    case 'I64':
    case 'U64': {
      const buffer = alignedCopy(bytes, 8);
      const words = new Int32Array(buffer);
      const n = words.length / 2;
      const out = new Int32Array(n);
      const signed = dtype === 'I64';
      for (let i = 0; i < n; i++) {
        const low = words[2 * i + LOW_WORD]!;
        const high = words[2 * i + 1 - LOW_WORD]!;
        const fits = signed ? high === low >> 31 : high === 0 && low >= 0;
        if (!fits) {
          outOfRange(
            i,
            (signed ? new BigInt64Array(buffer, 8 * i, 1) : new BigUint64Array(buffer, 8 * i, 1))[0]!,
          );
        }
        out[i] = low;
      }
      return i32(out);
    }
  }
}
