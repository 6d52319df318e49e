/**
 * safetensors reading and writing, browser-safe (no filesystem; see `@aaren/core/node` for files).
 * @packageDocumentation
 */
export { type DecodedTensor, decodeSafetensorsTensor } from './decode.js';
export {
  aarenDTypeOf,
  isSafetensorsDType,
  isSafetensorsWritableDType,
  SAFETENSORS_DTYPES,
  SAFETENSORS_ITEM_SIZE,
  SAFETENSORS_WRITABLE_DTYPES,
  type SafetensorsDType,
  type SafetensorsWritableDType,
} from './dtypes.js';
export {
  DEFAULT_SAFETENSORS_FILE_NAME,
  SafetensorsError,
  type SafetensorsErrorReason,
} from './errors.js';
export {
  bfloat16ArrayToFloat32,
  bfloat16ToFloat32,
  bitsToFloat32,
  float8E4M3ToFloat32,
  float8E5M2ToFloat32,
  float16ArrayToFloat32,
  float16ToFloat32,
  float32ToBfloat16Bits,
  float32ToBits,
  float32ToFloat16Bits,
} from './half-float.js';
export {
  DEFAULT_MAX_HEADER_BYTES,
  METADATA_KEY,
  parseSafetensorsHeader,
  readSafetensorsHeaderLength,
  type SafetensorsHeader,
  type SafetensorsParseOptions,
  type SafetensorsTensorInfo,
} from './header.js';
export { findDuplicateKey } from './json-keys.js';
export { parseSafetensors, type SafetensorsFile } from './parse.js';
export {
  type SafetensorsTensorInput,
  type SerializeSafetensorsOptions,
  serializeSafetensors,
} from './serialize.js';
export {
  type LoadSafetensorsOptions,
  loadSafetensors,
  type SaveSafetensorsOptions,
  saveSafetensorsBytes,
  tensorFromDecoded,
  tensorsToSafetensorsInputs,
} from './tensors.js';
