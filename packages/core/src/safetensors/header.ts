/**
 * Reading and validating the header of a safetensors file: the 8-byte little-endian length, then the
 * JSON table of tensors. Works on bytes only, so it serves both whole files in memory and files read
 * piecewise from disk.
 * @packageDocumentation
 */
import { formatShape } from '../errors.js';
import {
  isSafetensorsDType,
  SAFETENSORS_DTYPES,
  SAFETENSORS_ITEM_SIZE,
  type SafetensorsDType,
} from './dtypes.js';
import { DEFAULT_SAFETENSORS_FILE_NAME, quoteName, SafetensorsError } from './errors.js';
import { findDuplicateKey } from './json-keys.js';

/** Largest header accepted by default, in bytes (the limit of the reference implementation). */
export const DEFAULT_MAX_HEADER_BYTES = 100_000_000;

/** Key of the optional string-to-string metadata table in a header. */
export const METADATA_KEY = '__metadata__';

/** Options for reading a safetensors header. */
export interface SafetensorsParseOptions {
  /** Name used in error messages (a path, or a label); defaults to `'<safetensors>'`. */
  readonly fileName?: string;
  /** Largest header length accepted, in bytes; defaults to {@link DEFAULT_MAX_HEADER_BYTES}. */
  readonly maxHeaderBytes?: number;
}

/** Where one tensor lives in a safetensors file and what it holds. */
export interface SafetensorsTensorInfo {
  /** Tensor name, e.g. `'model.layers.0.self_attn.q_proj.weight'`. */
  readonly name: string;
  /** Stored element type. */
  readonly dtype: SafetensorsDType;
  /** Extents, outermost first (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** `[begin, end)` as written in the header: byte offsets relative to the start of the data buffer. */
  readonly dataOffsets: readonly [number, number];
  /** Offset of the tensor's first byte from the start of the file. */
  readonly byteOffset: number;
  /** Number of bytes the tensor occupies (`numel × item size`). */
  readonly byteLength: number;
}

/** The validated header of a safetensors file. */
export interface SafetensorsHeader {
  /** Name used in error messages. */
  readonly fileName: string;
  /** Total size of the file in bytes. */
  readonly byteLength: number;
  /** Length of the JSON header in bytes (the 8-byte prefix not included). */
  readonly headerByteLength: number;
  /** Offset of the data buffer from the start of the file (`8 + headerByteLength`). */
  readonly dataByteOffset: number;
  /** The `__metadata__` table (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Every tensor, in the order of their data in the file. */
  readonly tensors: ReadonlyMap<string, SafetensorsTensorInfo>;
}

function fileNameOf(options: SafetensorsParseOptions | undefined): string {
  return options?.fileName ?? DEFAULT_SAFETENSORS_FILE_NAME;
}

/**
 * Reads and checks the header length from the first 8 bytes of a file of `fileByteLength` bytes.
 * @returns the header length N; the JSON header occupies bytes `[8, 8 + N)`.
 * @throws {@link SafetensorsError} `header-out-of-range` when the file is shorter than 8 bytes or than
 *   `8 + N`, `header-too-large` when N exceeds the limit.
 */
export function readSafetensorsHeaderLength(
  prefix: Uint8Array,
  fileByteLength: number,
  options?: SafetensorsParseOptions,
): number {
  const fileName = fileNameOf(options);
  if (prefix.length < 8 || fileByteLength < 8) {
    throw new SafetensorsError(
      'header-out-of-range',
      fileName,
      undefined,
      `file has only ${Math.min(prefix.length, fileByteLength)} bytes; a safetensors file starts with an 8-byte header length`,
    );
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const length = high * 2 ** 32 + low;
  const limit = options?.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (length > limit) {
    const shown = high === 0 ? String(length) : view.getBigUint64(0, true).toString();
    throw new SafetensorsError(
      'header-too-large',
      fileName,
      undefined,
      `header length ${shown} exceeds the limit of ${limit} bytes`,
    );
  }
  if (8 + length > fileByteLength) {
    throw new SafetensorsError(
      'header-out-of-range',
      fileName,
      undefined,
      `header length ${length} reaches past the end of the file (${fileByteLength} bytes)`,
    );
  }
  return length;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const ENTRY_FIELDS = ['dtype', 'shape', 'data_offsets'] as const;

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${truncate(JSON.stringify(value))}`;
}

function truncate(text: string | undefined): string {
  const t = text ?? '';
  return t.length > 60 ? `${t.slice(0, 60)}…` : t;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

interface Entry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function validateEntry(fileName: string, name: string, raw: unknown, bufferLength: number): Entry {
  const fail = (detail: string): never => {
    throw new SafetensorsError('invalid-entry', fileName, name, detail);
  };
  if (!isPlainObject(raw)) return fail(`entry must be an object, got ${describeType(raw)}`);
  for (const field of ENTRY_FIELDS) if (!Object.hasOwn(raw, field)) fail(`entry has no '${field}' field`);
  for (const key of Object.keys(raw)) {
    if (!(ENTRY_FIELDS as readonly string[]).includes(key))
      fail(`entry has an unexpected field ${JSON.stringify(key)}`);
  }
  const dtype = raw.dtype;
  if (typeof dtype !== 'string') return fail(`dtype must be a string, got ${describeType(dtype)}`);
  if (!isSafetensorsDType(dtype)) {
    throw new SafetensorsError(
      'unknown-dtype',
      fileName,
      name,
      `unknown or unsupported dtype ${truncate(JSON.stringify(dtype))} (supported: ${SAFETENSORS_DTYPES.join(', ')})`,
    );
  }
  const shape = raw.shape;
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    return fail(`shape must be an array of non-negative integers, got ${truncate(JSON.stringify(shape))}`);
  }
  const offsets = raw.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    return fail(
      `data_offsets must be [begin, end] with non-negative integers, got ${truncate(JSON.stringify(offsets))}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const shown = `data_offsets [${begin}, ${end}]`;
  if (end < begin) throw new SafetensorsError('offset-out-of-range', fileName, name, `${shown} are reversed`);
  const itemSize = SAFETENSORS_ITEM_SIZE[dtype];
  let numel = 1;
  if (!shape.includes(0)) for (const d of shape as number[]) numel *= d;
  else numel = 0;
  const needed = numel * itemSize;
  if (!Number.isSafeInteger(needed) || needed !== end - begin) {
    const need = Number.isSafeInteger(needed) ? `${needed} bytes` : 'more than 2^53 bytes';
    throw new SafetensorsError(
      'size-mismatch',
      fileName,
      name,
      `shape ${formatShape(shape as number[])} × ${dtype} needs ${need} but ${shown} hold ${end - begin}`,
    );
  }
  if (end > bufferLength) {
    throw new SafetensorsError(
      'offset-out-of-range',
      fileName,
      name,
      `${shown} reach past the end of the data buffer (${bufferLength} bytes)`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function validateMetadata(fileName: string, raw: unknown): Record<string, string> {
  if (raw === null) return {};
  if (!isPlainObject(raw)) {
    throw new SafetensorsError(
      'invalid-entry',
      fileName,
      undefined,
      `${METADATA_KEY} must be an object of strings, got ${describeType(raw)}`,
    );
  }
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      throw new SafetensorsError(
        'invalid-entry',
        fileName,
        undefined,
        `${METADATA_KEY} value of ${JSON.stringify(truncate(key))} must be a string, got ${describeType(value)}`,
      );
    }
  }
  return Object.fromEntries(Object.entries(raw as Record<string, string>));
}

/**
 * Parses and validates the JSON header (the bytes after the 8-byte length) of a file of `fileByteLength`
 * bytes. Checks that the header is a UTF-8 JSON object without duplicate keys; that every entry has
 * exactly `dtype` (a known name), `shape` (non-negative integers) and `data_offsets` (`[begin, end]`,
 * `end − begin = numel × item size`, within the data buffer); that `__metadata__` maps strings to
 * strings; and that the tensors tile the data buffer exactly, with no overlap and no gap.
 * @throws {@link SafetensorsError} naming the file and, where it applies, the tensor.
 */
export function parseSafetensorsHeader(
  headerBytes: Uint8Array,
  fileByteLength: number,
  options?: SafetensorsParseOptions,
): SafetensorsHeader {
  const fileName = fileNameOf(options);
  const headerByteLength = headerBytes.length;
  const dataByteOffset = 8 + headerByteLength;
  const bufferLength = fileByteLength - dataByteOffset;
  if (bufferLength < 0) {
    throw new SafetensorsError(
      'header-out-of-range',
      fileName,
      undefined,
      `header length ${headerByteLength} reaches past the end of the file (${fileByteLength} bytes)`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(headerBytes);
  } catch (cause) {
    throw new SafetensorsError('invalid-json', fileName, undefined, 'header is not valid UTF-8', { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? `: ${truncate(cause.message)}` : '';
    throw new SafetensorsError('invalid-json', fileName, undefined, `header is not valid JSON${why}`, {
      cause,
    });
  }
  if (!isPlainObject(json)) {
    throw new SafetensorsError(
      'invalid-json',
      fileName,
      undefined,
      `header must be a JSON object, got ${describeType(json)}`,
    );
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== null) {
    const [first, ...rest] = duplicate;
    if (rest.length === 0) {
      throw new SafetensorsError(
        'duplicate-name',
        fileName,
        first,
        'name appears more than once in the header',
      );
    }
    const inner = rest.map((k) => JSON.stringify(truncate(k))).join(' → ');
    if (first === METADATA_KEY) {
      throw new SafetensorsError(
        'invalid-entry',
        fileName,
        undefined,
        `${METADATA_KEY} has duplicate key ${inner}`,
      );
    }
    throw new SafetensorsError('invalid-entry', fileName, first, `entry has duplicate key ${inner}`);
  }

  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(json)) {
    if (name === METADATA_KEY) metadata = validateMetadata(fileName, raw);
    else entries.push(validateEntry(fileName, name, raw, bufferLength));
  }
  entries.sort(
    (a, b) => a.begin - b.begin || a.end - b.end || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

  const tensors = new Map<string, SafetensorsTensorInfo>();
  let cursor = 0;
  let previous: Entry | undefined;
  for (const e of entries) {
    if (e.begin < cursor) {
      const other = previous
        ? ` with tensor ${quoteName(previous.name)} (data_offsets [${previous.begin}, ${previous.end}])`
        : '';
      throw new SafetensorsError(
        'overlapping-offsets',
        fileName,
        e.name,
        `data_offsets [${e.begin}, ${e.end}] overlap${other}`,
      );
    }
    if (e.begin > cursor) {
      throw new SafetensorsError(
        'gap',
        fileName,
        e.name,
        `data_offsets [${e.begin}, ${e.end}] leave bytes [${cursor}, ${e.begin}) of the data buffer unused`,
      );
    }
    cursor = e.end;
    previous = e;
    tensors.set(e.name, {
      name: e.name,
      dtype: e.dtype,
      shape: Object.freeze(e.shape),
      dataOffsets: Object.freeze([e.begin, e.end] as [number, number]),
      byteOffset: dataByteOffset + e.begin,
      byteLength: e.end - e.begin,
    });
  }
  if (cursor !== bufferLength) {
    throw new SafetensorsError(
      'gap',
      fileName,
      undefined,
      `bytes [${cursor}, ${bufferLength}) at the end of the data buffer belong to no tensor`,
    );
  }
  return { fileName, byteLength: fileByteLength, headerByteLength, dataByteOffset, metadata, tensors };
}
