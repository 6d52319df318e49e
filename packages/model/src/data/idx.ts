/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (`train-images-idx3-ubyte` ...): a 4-byte magic
 * (two zero bytes, a type code, the number of dimensions), big-endian 32-bit sizes, then big-endian data.
 * Browser-safe (decompress `.gz` files first).
 * @packageDocumentation
 */
import { DataFormatError } from './errors.js';

/** Element types an IDX file can hold. */
export type IdxType = 'u8' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64';

/** A decoded IDX array. */
export interface IdxArray {
  /** Element type from the header. */
  readonly type: IdxType;
  /** Dimension sizes, e.g. `[60000, 28, 28]`. */
  readonly dims: readonly number[];
  /** Row-major elements in host order (`Uint8Array` for `u8`). */
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { type: IdxType; bytes: number }> = {
  8: { type: 'u8', bytes: 1 },
  9: { type: 'i8', bytes: 1 },
  11: { type: 'i16', bytes: 2 },
  12: { type: 'i32', bytes: 4 },
  13: { type: 'f32', bytes: 4 },
  14: { type: 'f64', bytes: 8 },
};

/**
 * Decodes an (uncompressed) IDX file.
 * @example const images = parseIdx(bytes, { fileName: 'train-images-idx3-ubyte' }); // dims [60000, 28, 28]
 * @throws DataFormatError naming the file when the magic, the type code or the size is wrong.
 */
export function parseIdx(bytes: Uint8Array, options: { readonly fileName?: string } = {}): IdxArray {
  const file = options.fileName ?? '<idx>';
  if (bytes.length < 4)
    throw new DataFormatError({ file }, `IDX file is ${bytes.length} bytes, shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(
      { file },
      'not an IDX file (the first two bytes must be 0; is it still gzip-compressed?)',
    );
  }
  const info = TYPES[bytes[2]!];
  if (info === undefined) {
    throw new DataFormatError({ file }, `unknown IDX type code 0x${bytes[2]!.toString(16).padStart(2, '0')}`);
  }
  const ndims = bytes[3]!;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DataFormatError(
      { file },
      `IDX header declares ${ndims} dimensions but the file ends after ${bytes.length} bytes`,
    );
  }
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    count *= size;
  }
  const expected = headerBytes + count * info.bytes;
  if (bytes.length !== expected) {
    throw new DataFormatError(
      { file },
      `IDX dims [${dims.join(', ')}] of ${info.type} need ${expected} bytes, the file has ${bytes.length}`,
    );
  }
  const o = headerBytes;
  switch (info.type) {
    case 'u8':
      return { type: info.type, dims, data: bytes.slice(o, expected) };
    case 'i8':
      return { type: info.type, dims, data: new Int8Array(bytes.slice(o, expected).buffer) };
    case 'i16': {
      const data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(o + 2 * i, false);
      return { type: info.type, dims, data };
    }
    case 'i32': {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(o + 4 * i, false);
      return { type: info.type, dims, data };
    }
    case 'f32': {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(o + 4 * i, false);
      return { type: info.type, dims, data };
    }
    case 'f64': {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(o + 8 * i, false);
      return { type: info.type, dims, data };
    }
  }
}

/** Encodes an IDX file (big-endian), the inverse of {@link parseIdx}; used to write small test slices. */
export function serializeIdx(array: IdxArray): Uint8Array {
  const code = Number(Object.entries(TYPES).find(([, v]) => v.type === array.type)![0]);
  const bytes = TYPES[code]!.bytes;
  const header = 4 + 4 * array.dims.length;
  const out = new Uint8Array(header + array.data.length * bytes);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = array.dims.length;
  array.dims.forEach((d, k) => {
    view.setUint32(4 + 4 * k, d, false);
  });
  for (let i = 0; i < array.data.length; i++) {
    const v = array.data[i]!;
    const o = header + i * bytes;
    switch (array.type) {
      case 'u8':
        view.setUint8(o, v);
        break;
      case 'i8':
        view.setInt8(o, v);
        break;
      case 'i16':
        view.setInt16(o, v, false);
        break;
      case 'i32':
        view.setInt32(o, v, false);
        break;
      case 'f32':
        view.setFloat32(o, v, false);
        break;
      case 'f64':
        view.setFloat64(o, v, false);
        break;
    }
  }
  return out;
}
