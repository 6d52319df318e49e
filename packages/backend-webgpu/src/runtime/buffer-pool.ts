/**
 * A pool of storage `GPUBuffer`s by size class, so that training loops reuse memory instead of creating and
 * destroying buffers every step. Reuse is safe without waiting for the GPU: work is recorded and submitted in
 * program order, so a buffer handed out again is only touched by commands recorded after its last use.
 * @packageDocumentation
 */
import { BufferUsage } from './gpu-constants.js';

/** Usage of every pooled buffer: storage for kernels, copy source for reads, copy destination for writes. */
const STORAGE_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/**
 * The byte size a request of `bytes` is rounded up to: at least 256, then eight classes per power of two
 * (at most 12.5 % waste), never beyond `max` when the request itself fits.
 */
export function sizeClass(bytes: number, max: number): number {
  if (bytes <= 256) return 256;
  const octave = 2 ** Math.floor(Math.log2(bytes));
  const step = Math.max(256, octave / 8);
  const rounded = Math.ceil(bytes / step) * step;
  return rounded <= max ? rounded : Math.ceil(bytes / 4) * 4;
}

/** Buffers kept for reuse, keyed by byte size. */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #maxBufferSize: number;
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly #maxPooledBytes: number;
  readonly #evict: (buffer: GPUBuffer) => void;
  #pooledBytes = 0;

  /**
   * @param device - Device that creates the buffers.
   * @param maxBufferSize - The device's `maxBufferSize`.
   * @param maxPooledBytes - Bytes kept in the pool at most; buffers released beyond it are evicted.
   * @param evict - Receives buffers the pool drops (the caller destroys them once pending work is submitted).
   */
  constructor(
    device: GPUDevice,
    maxBufferSize: number,
    maxPooledBytes: number,
    evict: (buffer: GPUBuffer) => void,
  ) {
    this.#device = device;
    this.#maxBufferSize = maxBufferSize;
    this.#maxPooledBytes = maxPooledBytes;
    this.#evict = evict;
  }

  /** A buffer of at least `bytes` bytes (from the pool when one of its size class is free). */
  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes, this.#maxBufferSize);
    const list = this.#free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.#pooledBytes -= size;
      return reused;
    }
    return this.#device.createBuffer({ size, usage: STORAGE_USAGE });
  }

  /** Returns a buffer to the pool (or evicts it when the pool is full). */
  release(buffer: GPUBuffer): void {
    const size = buffer.size;
    if (this.#pooledBytes + size > this.#maxPooledBytes) {
      this.#evict(buffer);
      return;
    }
    let list = this.#free.get(size);
    if (!list) {
      list = [];
      this.#free.set(size, list);
    }
    list.push(buffer);
    this.#pooledBytes += size;
  }

  /** Bytes currently held for reuse. */
  get pooledBytes(): number {
    return this.#pooledBytes;
  }

  /** Evicts every pooled buffer. */
  clear(): void {
    for (const list of this.#free.values()) for (const b of list) this.#evict(b);
    this.#free.clear();
    this.#pooledBytes = 0;
  }
}
