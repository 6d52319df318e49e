/**
 * The CPU backend: host typed arrays as buffers and the reference kernels of {@link cpuKernels}. It is the
 * oracle the conformance suite checks other backends against, and it runs anywhere JavaScript runs.
 * @packageDocumentation
 */
import {
  BACKEND_SPECIFICATION_VERSION,
  type Backend,
  type BackendBuffer,
  type MemoryInfo,
} from '../backend.js';
import { BYTES_PER_ELEMENT, type DType, type TensorData } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { bufferRange } from '../kernel-checks.js';
import { type CpuArray, CpuBuffer } from './buffer.js';
import { cpuKernels } from './kernels/index.js';

/** Options of {@link cpuBackend}. */
export interface CpuBackendOptions {
  /**
   * Name reported by {@link Backend.name}; defaults to `'cpu'`. Give two instances different names to tell
   * them apart in error messages (tensors of different instances never mix).
   */
  readonly name?: string;
  /**
   * Bytes of freed buffers kept for reuse by later allocations of the same dtype and size (default 64 MiB;
   * 0 turns reuse off). Reused memory is uninitialised, as the contract allows for `alloc`.
   */
  readonly poolBytes?: number;
}

/** Default {@link CpuBackendOptions.poolBytes}: 64 MiB. */
export const DEFAULT_POOL_BYTES = 64 * 1024 * 1024;

/**
 * Creates a CPU backend. Each call returns an independent instance with its own memory accounting;
 * buffers are plain `Float32Array`/`Int32Array`s, reads are copies, and {@link Backend.sync} resolves at once.
 *
 * @example
 * ```ts
 * const backend = cpuBackend();
 * const buffer = backend.alloc('f32', 4);
 * backend.write(buffer, new Float32Array([1, 2, 3, 4]));
 * console.log(backend.readSync?.(buffer)); // Float32Array [1, 2, 3, 4]
 * ```
 */
export function cpuBackend(options: CpuBackendOptions = {}): Backend {
  const name = options.name ?? 'cpu';
  const poolLimitBytes = options.poolBytes ?? DEFAULT_POOL_BYTES;
  const owner = {};
  const live = new Set<CpuBuffer>();
  let liveBytes = 0;
  let disposed = false;
  // Freed arrays by dtype and size, reused by later allocations: training and decoding loops allocate the
  // same shapes every step, and typed-array allocation (zeroing, GC pressure) dominates small ops.
  const pool = new Map<string, CpuArray[]>();
  let pooledBytes = 0;
  const poolKey = (dtype: DType, size: number) => `${dtype}:${size}`;

  /** Narrows a buffer to a live buffer of this instance, or throws a helpful error. */
  const own = (op: string, buffer: BackendBuffer): CpuBuffer => {
    if (!(buffer instanceof CpuBuffer) || buffer.owner !== owner) {
      throw new InvalidArgumentError(op, `the buffer was not allocated by this '${name}' backend`);
    }
    if (buffer.freed)
      throw new InvalidArgumentError(op, `the buffer of ${buffer.size} elements was already freed`);
    return buffer;
  };

  const range = (op: string, buffer: CpuBuffer, offset: number, size: number | undefined): number =>
    bufferRange(op, buffer.size, offset, size);

  const read = (buffer: BackendBuffer, offset = 0, size?: number): TensorData => {
    const b = own('read', buffer);
    const n = range('read', b, offset, size);
    return b.data.slice(offset, offset + n);
  };

  return {
    specificationVersion: BACKEND_SPECIFICATION_VERSION,
    name,
    kernels: cpuKernels,

    alloc(dtype: DType, size: number): BackendBuffer {
      if (disposed) throw new InvalidArgumentError('alloc', `the '${name}' backend was disposed`);
      if (dtype !== 'f32' && dtype !== 'i32')
        throw new InvalidArgumentError('alloc', `unknown dtype '${dtype}'`);
      if (!Number.isInteger(size) || size < 0) {
        throw new InvalidArgumentError('alloc', `size must be a non-negative integer, got ${size}`);
      }
      const reused = pool.get(poolKey(dtype, size))?.pop();
      if (reused) pooledBytes -= reused.byteLength;
      const buffer = new CpuBuffer(owner, dtype, size, reused);
      live.add(buffer);
      liveBytes += size * BYTES_PER_ELEMENT[dtype];
      return buffer;
    },

    write(buffer: BackendBuffer, data: TensorData, offset = 0): void {
      const b = own('write', buffer);
      range('write', b, offset, data.length);
      b.data.set(data, offset);
    },

    read(buffer: BackendBuffer, offset?: number, size?: number): Promise<TensorData> {
      try {
        return Promise.resolve(read(buffer, offset, size));
      } catch (error) {
        return Promise.reject(error);
      }
    },

    readSync: read,

    free(buffer: BackendBuffer): void {
      if (!(buffer instanceof CpuBuffer) || buffer.owner !== owner) {
        throw new InvalidArgumentError('free', `the buffer was not allocated by this '${name}' backend`);
      }
      // Freeing twice is a no-op, so the accounting stays exact.
      if (!live.delete(buffer)) return;
      liveBytes -= buffer.size * BYTES_PER_ELEMENT[buffer.dtype];
      const data = buffer.release();
      if (data && data.length > 0 && pooledBytes + data.byteLength <= poolLimitBytes) {
        const key = poolKey(buffer.dtype, buffer.size);
        const list = pool.get(key);
        if (list) list.push(data);
        else pool.set(key, [data]);
        pooledBytes += data.byteLength;
      }
    },

    memoryInfo(): MemoryInfo {
      return { liveBuffers: live.size, liveBytes };
    },

    sync(): Promise<void> {
      return Promise.resolve();
    },

    dispose(): void {
      for (const buffer of live) buffer.release();
      live.clear();
      pool.clear();
      pooledBytes = 0;
      liveBytes = 0;
      disposed = true;
    },
  };
}
