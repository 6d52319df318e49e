/**
 * The error thrown for every problem with a safetensors file, index or tensor to write.
 * @packageDocumentation
 */
import { AarenError } from '../errors.js';

/**
 * What was wrong, as a stable discriminant of {@link SafetensorsError}:
 * - `header-too-large`: the header length exceeds the limit (100 MB by default).
 * - `header-out-of-range`: the file is shorter than 8 bytes, or the header length points past its end.
 * - `invalid-json`: the header is not UTF-8, not JSON, or not a JSON object.
 * - `invalid-entry`: a tensor entry or `__metadata__` lacks a field, has an extra one, or one of the wrong type.
 * - `unknown-dtype`: a dtype that this reader does not know (or a writer was asked for one it cannot write).
 * - `size-mismatch`: shape × dtype size differs from the bytes given by `data_offsets` (or the data length).
 * - `offset-out-of-range`: `data_offsets` are reversed or point past the end of the data buffer.
 * - `overlapping-offsets`: two tensors share bytes.
 * - `gap`: bytes of the data buffer belong to no tensor (the reference implementation rejects these too).
 * - `duplicate-name`: a tensor name (or index entry) appears twice.
 * - `value-out-of-range`: a value does not fit the target type (e.g. an I64 outside the int32 range).
 * - `missing-tensor`: a tensor that was asked for, or listed by an index, is not there.
 * - `invalid-index`: a `model.safetensors.index.json` is malformed or names a shard that cannot be read.
 */
export type SafetensorsErrorReason =
  | 'header-too-large'
  | 'header-out-of-range'
  | 'invalid-json'
  | 'invalid-entry'
  | 'unknown-dtype'
  | 'size-mismatch'
  | 'offset-out-of-range'
  | 'overlapping-offsets'
  | 'gap'
  | 'duplicate-name'
  | 'value-out-of-range'
  | 'missing-tensor'
  | 'invalid-index';

/** File name used in messages when the bytes did not come from a named file. */
export const DEFAULT_SAFETENSORS_FILE_NAME = '<safetensors>';

/**
 * A safetensors file, index or tensor was invalid. The message starts with the file name and, when the
 * problem concerns one tensor, its name: `model.safetensors: tensor 'layers.0.w': shape [2, 3] × F32 needs
 * 24 bytes but data_offsets [0, 20] hold 20`.
 */
export class SafetensorsError extends AarenError {
  /** What was wrong; stable across releases, use it rather than the message in code. */
  readonly reason: SafetensorsErrorReason;
  /** The file (or index file) concerned. */
  readonly fileName: string;
  /** The tensor concerned, when the problem is about one tensor. */
  readonly tensorName: string | undefined;

  constructor(
    reason: SafetensorsErrorReason,
    fileName: string,
    tensorName: string | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    const where = tensorName === undefined ? fileName : `${fileName}: tensor ${quoteName(tensorName)}`;
    super('E_SAFETENSORS', `${where}: ${detail}`, options);
    this.reason = reason;
    this.fileName = fileName;
    this.tensorName = tensorName;
  }
}

/** Quotes a name for a message, escaping control characters and cutting very long names. @internal */
export function quoteName(name: string): string {
  const cut = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  const escaped = JSON.stringify(cut).slice(1, -1).replace(/'/g, "\\'");
  return `'${escaped}'`;
}
