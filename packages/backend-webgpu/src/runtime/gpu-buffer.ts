/**
 * {@link WebGPUBuffer}: the `BackendBuffer` of the WebGPU backend, a typed window onto a pooled `GPUBuffer`.
 * @packageDocumentation
 */
import type { BackendBuffer, DType } from '@aaren/core';
import { InvalidArgumentError } from '@aaren/core';

/**
 * A buffer of `size` elements of `dtype` in GPU memory. The underlying `GPUBuffer` may be larger (pool size
 * classes, and at least 4 bytes for size-0 tensors). `owner` identifies the backend instance that made it.
 */
export class WebGPUBuffer implements BackendBuffer {
  /** Element type. */
  readonly dtype: DType;
  /** Capacity in elements. */
  readonly size: number;
  /** Token of the backend instance that allocated this buffer. */
  readonly owner: object;
  #gpu: GPUBuffer | null;

  constructor(owner: object, dtype: DType, size: number, gpu: GPUBuffer) {
    this.owner = owner;
    this.dtype = dtype;
    this.size = size;
    this.#gpu = gpu;
  }

  /** The `GPUBuffer` holding the elements. @throws {@link InvalidArgumentError} after {@link WebGPUBuffer.release}. */
  get gpu(): GPUBuffer {
    if (this.#gpu === null) {
      throw new InvalidArgumentError(
        'webgpu',
        `buffer of ${this.size} ${this.dtype} elements was used after free()`,
      );
    }
    return this.#gpu;
  }

  /** Whether {@link WebGPUBuffer.release} has run. */
  get freed(): boolean {
    return this.#gpu === null;
  }

  /** Detaches and returns the `GPUBuffer` (to go back to the pool), or `null` when already released. */
  release(): GPUBuffer | null {
    const gpu = this.#gpu;
    this.#gpu = null;
    return gpu;
  }
}
