/**
 * Tensor-level safetensors I/O: files to {@link Tensor}s on a backend, and tensors to file bytes.
 * @packageDocumentation
 */
import type { Backend } from '../backend.js';
import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import type { DecodedTensor } from './decode.js';
import type { SafetensorsWritableDType } from './dtypes.js';
import type { SafetensorsParseOptions, SafetensorsTensorInfo } from './header.js';
import { parseSafetensors } from './parse.js';
import { type SafetensorsTensorInput, serializeSafetensors } from './serialize.js';

/** Options of {@link loadSafetensors}. */
export interface LoadSafetensorsOptions extends SafetensorsParseOptions {
  /** Loads only the tensors for which this returns `true` (default: all). */
  readonly filter?: (name: string, info: SafetensorsTensorInfo) => boolean;
}

/** Options of {@link saveSafetensorsBytes}. */
export interface SaveSafetensorsOptions {
  /** The `__metadata__` table (string values only). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Stored dtype of `f32` tensors (default `F32`); `i32` tensors are stored as `I32`. */
  readonly floatDType?: 'F64' | 'F32' | 'F16' | 'BF16';
  /** Per-tensor override of the stored dtype; return `undefined` to keep the default. */
  readonly dtypeOf?: (name: string, tensor: Tensor) => SafetensorsWritableDType | undefined;
  /** Name used in error messages. */
  readonly fileName?: string;
}

/** Creates a tensor on `backend` from a decoded safetensors tensor. */
export function tensorFromDecoded(backend: Backend, decoded: DecodedTensor): Tensor {
  return tensor(backend, decoded.data, decoded.shape, decoded.dtype);
}

/**
 * Parses a safetensors file and creates one tensor per entry on `backend` (floating dtypes as `f32`,
 * integer and boolean dtypes as `i32`). On error, tensors already created are disposed.
 * @example const weights = loadSafetensors(cpu, bytes, { fileName: 'model.safetensors' });
 * @throws {@link SafetensorsError} naming the file and tensor.
 */
export function loadSafetensors(
  backend: Backend,
  bytes: Uint8Array,
  options?: LoadSafetensorsOptions,
): Record<string, Tensor> {
  const file = parseSafetensors(bytes, options);
  const loaded: [string, Tensor][] = [];
  try {
    for (const [name, info] of file.tensors) {
      if (options?.filter && !options.filter(name, info)) continue;
      loaded.push([name, tensorFromDecoded(backend, file.readTensor(name))]);
    }
  } catch (error) {
    for (const [, t] of loaded) t.dispose();
    throw error;
  }
  return Object.fromEntries(loaded);
}

/**
 * Reads `tensors` back from their backend (`await tensor.data()`) into serializer inputs, with stored
 * dtypes chosen by `options`.
 */
export async function tensorsToSafetensorsInputs(
  tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  options?: Pick<SaveSafetensorsOptions, 'floatDType' | 'dtypeOf'>,
): Promise<Map<string, SafetensorsTensorInput>> {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const inputs = new Map<string, SafetensorsTensorInput>();
  for (const [name, t] of entries) {
    const dtype = options?.dtypeOf?.(name, t) ?? (t.dtype === 'f32' ? (options?.floatDType ?? 'F32') : 'I32');
    inputs.set(name, { dtype, shape: [...t.shape], data: await t.data() });
  }
  return inputs;
}

/**
 * Serializes tensors to safetensors bytes (see {@link serializeSafetensors}), reading each from its backend.
 * @example const bytes = await saveSafetensorsBytes({ 'w': w }, { metadata: { format: 'pt' } });
 * @throws {@link SafetensorsError} naming the tensor when a dtype cannot hold its values.
 */
export async function saveSafetensorsBytes(
  tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  options?: SaveSafetensorsOptions,
): Promise<Uint8Array> {
  const inputs = await tensorsToSafetensorsInputs(tensors, options);
  return serializeSafetensors(inputs, options);
}
