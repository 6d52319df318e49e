/**
 * Parsing a whole safetensors file held in memory.
 * @packageDocumentation
 */
import { type DecodedTensor, decodeSafetensorsTensor } from './decode.js';
import { SafetensorsError } from './errors.js';
import {
  parseSafetensorsHeader,
  readSafetensorsHeaderLength,
  type SafetensorsHeader,
  type SafetensorsParseOptions,
  type SafetensorsTensorInfo,
} from './header.js';

/** A validated safetensors file in memory; tensors are decoded only when read. */
export interface SafetensorsFile extends SafetensorsHeader {
  /** Whether the file holds a tensor called `name`. */
  has(name: string): boolean;
  /**
   * The location and type of tensor `name`.
   * @throws {@link SafetensorsError} `missing-tensor` when there is none.
   */
  info(name: string): SafetensorsTensorInfo;
  /**
   * Decodes tensor `name` into a fresh `Float32Array` (floating dtypes) or `Int32Array` (the others);
   * see {@link decodeSafetensorsTensor}.
   * @throws {@link SafetensorsError} `missing-tensor`, or `value-out-of-range` for integers beyond int32.
   */
  readTensor(name: string): DecodedTensor;
  /** The stored bytes of tensor `name`, as a view into the file's bytes (no copy, any alignment). */
  tensorBytes(name: string): Uint8Array;
}

/**
 * Parses and validates a safetensors file (see {@link parseSafetensorsHeader} for every check). The bytes
 * are kept, not copied: do not modify them while the result is in use.
 * @example
 * const file = parseSafetensors(bytes, { fileName: 'model.safetensors' });
 * const { shape, data } = file.readTensor('lm_head.weight');
 * @throws {@link SafetensorsError} naming the file and, where it applies, the tensor.
 */
export function parseSafetensors(bytes: Uint8Array, options?: SafetensorsParseOptions): SafetensorsFile {
  const headerLength = readSafetensorsHeaderLength(bytes, bytes.length, options);
  const header = parseSafetensorsHeader(bytes.subarray(8, 8 + headerLength), bytes.length, options);
  const info = (name: string): SafetensorsTensorInfo => {
    const found = header.tensors.get(name);
    if (found === undefined) {
      throw new SafetensorsError(
        'missing-tensor',
        header.fileName,
        name,
        'no tensor of this name in the file',
      );
    }
    return found;
  };
  const tensorBytes = (name: string): Uint8Array => {
    const t = info(name);
    return bytes.subarray(t.byteOffset, t.byteOffset + t.byteLength);
  };
  return {
    ...header,
    has: (name) => header.tensors.has(name),
    info,
    tensorBytes,
    readTensor: (name) => decodeSafetensorsTensor(info(name), tensorBytes(name), header.fileName),
  };
}
