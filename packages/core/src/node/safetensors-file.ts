/**
 * safetensors files on disk (Node only). Files are read piecewise through a file handle, so checkpoints
 * larger than Node's 2 GiB `readFile` limit work and only the tensors asked for are read.
 * @packageDocumentation
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { Backend } from '../backend.js';
import { type DecodedTensor, decodeSafetensorsTensor } from '../safetensors/decode.js';
import { SafetensorsError } from '../safetensors/errors.js';
import {
  parseSafetensorsHeader,
  readSafetensorsHeaderLength,
  type SafetensorsHeader,
  type SafetensorsParseOptions,
  type SafetensorsTensorInfo,
} from '../safetensors/header.js';
import {
  type SafetensorsTensorInput,
  type SerializeSafetensorsOptions,
  serializeSafetensors,
} from '../safetensors/serialize.js';
import {
  type LoadSafetensorsOptions,
  type SaveSafetensorsOptions,
  saveSafetensorsBytes,
  tensorFromDecoded,
} from '../safetensors/tensors.js';
import type { Tensor } from '../tensor.js';
import { type WriteFileAtomicOptions, writeFileAtomic } from './atomic-write.js';

/** An open, validated safetensors file; tensors are read from disk when asked for. Call `close()`. */
export interface SafetensorsFileReader extends SafetensorsHeader {
  /** The path the file was opened with. */
  readonly path: string;
  /** Whether the file holds a tensor called `name`. */
  has(name: string): boolean;
  /** The location and type of tensor `name`. @throws {@link SafetensorsError} `missing-tensor`. */
  info(name: string): SafetensorsTensorInfo;
  /** Reads the stored bytes of tensor `name`. */
  readTensorBytes(name: string): Promise<Uint8Array>;
  /** Reads and decodes tensor `name` (see {@link decodeSafetensorsTensor}). */
  readTensor(name: string): Promise<DecodedTensor>;
  /** Closes the file handle. Idempotent. */
  close(): Promise<void>;
}

/** Every tensor of a file, decoded. */
export interface SafetensorsContents {
  /** Name used in error messages (the path unless overridden). */
  readonly fileName: string;
  /** The `__metadata__` table (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Every tensor, decoded, in file order. */
  readonly tensors: Map<string, DecodedTensor>;
}

const MAX_READ_CHUNK = 1 << 30;

async function readExactly(
  handle: FileHandle,
  position: number,
  length: number,
  fileName: string,
  tensorName: string | undefined,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(
      out,
      done,
      Math.min(length - done, MAX_READ_CHUNK),
      position + done,
    );
    if (bytesRead === 0) {
      throw new SafetensorsError(
        'offset-out-of-range',
        fileName,
        tensorName,
        `file ended after ${position + done} bytes while reading bytes [${position}, ${position + length}); was it truncated after opening?`,
      );
    }
    done += bytesRead;
  }
  return out;
}

/**
 * Opens `path` and reads and validates its header (all checks of `parseSafetensorsHeader`), without
 * reading tensor data. The file handle stays open until `close()`.
 * @example
 * const file = await openSafetensorsFile('model.safetensors');
 * try { const { data } = await file.readTensor('lm_head.weight'); } finally { await file.close(); }
 * @throws {@link SafetensorsError} naming the file (and tensor); `fs` errors when the file cannot be opened.
 */
export async function openSafetensorsFile(
  path: string,
  options?: SafetensorsParseOptions,
): Promise<SafetensorsFileReader> {
  const parseOptions = { ...options, fileName: options?.fileName ?? path };
  const fileName = parseOptions.fileName;
  const handle = await open(path, 'r');
  let header: SafetensorsHeader;
  try {
    const { size } = await handle.stat();
    const prefix = await readExactly(handle, 0, Math.min(8, size), fileName, undefined);
    const headerLength = readSafetensorsHeaderLength(prefix, size, parseOptions);
    const headerBytes = await readExactly(handle, 8, headerLength, fileName, undefined);
    header = parseSafetensorsHeader(headerBytes, size, parseOptions);
  } catch (error) {
    await handle.close();
    throw error;
  }
  let closed = false;
  const info = (name: string): SafetensorsTensorInfo => {
    const found = header.tensors.get(name);
    if (found === undefined) {
      throw new SafetensorsError('missing-tensor', fileName, name, 'no tensor of this name in the file');
    }
    return found;
  };
  const readTensorBytes = async (name: string): Promise<Uint8Array> => {
    const t = info(name);
    if (closed) throw new SafetensorsError('missing-tensor', fileName, name, 'the file was already closed');
    return readExactly(handle, t.byteOffset, t.byteLength, fileName, name);
  };
  return {
    ...header,
    path,
    has: (name) => header.tensors.has(name),
    info,
    readTensorBytes,
    readTensor: async (name) => decodeSafetensorsTensor(info(name), await readTensorBytes(name), fileName),
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

/**
 * Reads and validates a whole safetensors file and decodes every tensor.
 * @throws {@link SafetensorsError} naming the file and tensor.
 */
export async function readSafetensorsFile(
  path: string,
  options?: SafetensorsParseOptions,
): Promise<SafetensorsContents> {
  const file = await openSafetensorsFile(path, options);
  try {
    const tensors = new Map<string, DecodedTensor>();
    for (const name of file.tensors.keys()) tensors.set(name, await file.readTensor(name));
    return { fileName: file.fileName, metadata: file.metadata, tensors };
  } finally {
    await file.close();
  }
}

/**
 * Reads a safetensors file into tensors on `backend`, one tensor at a time (floating dtypes as `f32`,
 * integer and boolean dtypes as `i32`). On error, tensors already created are disposed.
 * @throws {@link SafetensorsError} naming the file and tensor.
 */
export async function loadSafetensorsFile(
  backend: Backend,
  path: string,
  options?: LoadSafetensorsOptions,
): Promise<Record<string, Tensor>> {
  const file = await openSafetensorsFile(path, options);
  const loaded: [string, Tensor][] = [];
  try {
    for (const [name, info] of file.tensors) {
      if (options?.filter && !options.filter(name, info)) continue;
      loaded.push([name, tensorFromDecoded(backend, await file.readTensor(name))]);
    }
  } catch (error) {
    for (const [, t] of loaded) t.dispose();
    throw error;
  } finally {
    await file.close();
  }
  return Object.fromEntries(loaded);
}

/**
 * Serializes typed-array tensors (see `serializeSafetensors`) and writes them to `path` atomically.
 * If serialization fails nothing is written; an existing file is replaced only once the new one is complete.
 * @throws {@link SafetensorsError} naming the file and tensor, or the `fs` error of the write.
 */
export async function writeSafetensorsFile(
  path: string,
  tensors: Readonly<Record<string, SafetensorsTensorInput>> | ReadonlyMap<string, SafetensorsTensorInput>,
  options?: SerializeSafetensorsOptions & WriteFileAtomicOptions,
): Promise<void> {
  const bytes = serializeSafetensors(tensors, { ...options, fileName: options?.fileName ?? path });
  await writeFileAtomic(path, bytes, options);
}

/**
 * Reads `tensors` from their backend and writes them to `path` atomically as safetensors.
 * @example await saveSafetensorsFile('ckpt/model.safetensors', { 'w': w }, { floatDType: 'BF16' });
 * @throws {@link SafetensorsError} naming the file and tensor, or the `fs` error of the write.
 */
export async function saveSafetensorsFile(
  path: string,
  tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  options?: SaveSafetensorsOptions & WriteFileAtomicOptions,
): Promise<void> {
  const bytes = await saveSafetensorsBytes(tensors, { ...options, fileName: options?.fileName ?? path });
  await writeFileAtomic(path, bytes, options);
}
