/**
 * Host memory of the CPU backend: {@link CpuBuffer} wraps one typed array, and {@link arrayOf} turns a
 * {@link TensorView} back into that array for the kernels.
 * @packageDocumentation
 */
import type { BackendBuffer, TensorView } from '../backend.js';
import type { DType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';

/** Either typed array a CPU buffer can hold (`f32` → `Float32Array`, `i32` → `Int32Array`). */
export type CpuArray = Float32Array | Int32Array;

/** A tiny empty array that freed buffers point at, so their old storage can be garbage-collected. */
const FREED = new Float32Array(0);

/**
 * A {@link BackendBuffer} of the CPU backend: a typed array in host memory.
 * `owner` identifies the backend instance that allocated it, so buffers of another backend are rejected.
 */
export class CpuBuffer implements BackendBuffer {
  /** Element type. */
  readonly dtype: DType;
  /** Capacity in elements. */
  readonly size: number;
  /** Token of the backend instance that allocated this buffer. */
  readonly owner: object;
  #data: CpuArray;
  #freed = false;

  /** `storage`, when given, is reused (an array of `size` elements of `dtype` from a freed buffer). */
  constructor(owner: object, dtype: DType, size: number, storage?: CpuArray) {
    this.owner = owner;
    this.dtype = dtype;
    this.size = size;
    this.#data = storage ?? (dtype === 'f32' ? new Float32Array(size) : new Int32Array(size));
  }

  /** The elements. @throws {@link InvalidArgumentError} after {@link CpuBuffer.release}. */
  get data(): CpuArray {
    if (this.#freed) {
      throw new InvalidArgumentError(
        'cpu',
        `buffer of ${this.size} ${this.dtype} elements was used after free()`,
      );
    }
    return this.#data;
  }

  /** Whether {@link CpuBuffer.release} has run. */
  get freed(): boolean {
    return this.#freed;
  }

  /**
   * Drops the storage and returns it (so the backend can reuse it for a later allocation of the same size),
   * or `null` when the buffer was already released.
   */
  release(): CpuArray | null {
    if (this.#freed) return null;
    const data = this.#data;
    this.#freed = true;
    this.#data = FREED;
    return data;
  }
}

/**
 * The typed array behind a view. Kernels index it with the view's `offset` and `strides`.
 * @throws {@link InvalidArgumentError} when the view's buffer is not a live {@link CpuBuffer}.
 */
export function arrayOf(view: TensorView): CpuArray {
  const buffer = view.buffer;
  if (!(buffer instanceof CpuBuffer)) {
    throw new InvalidArgumentError('cpu', 'received a buffer that was not allocated by a CPU backend');
  }
  return buffer.data;
}
