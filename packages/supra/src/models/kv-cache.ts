/**
 * The key/value cache of softmax attention: per layer, keys and values of every token seen, in buffers that
 * grow by doubling (so appending a token copies only that token).
 * @packageDocumentation
 */
import { assign, type Backend, keep, sliceAxis, type Tensor, zeros } from '@aaren/core';
import type { DecodeCache } from './causal-lm.js';

/** Sizes of a {@link KVCache}. */
export interface KVCacheDims {
  /** Layers. */
  readonly layers: number;
  /** Batch size. */
  readonly batch: number;
  /** Key/value heads. */
  readonly heads: number;
  /** Per-head dimension. */
  readonly headDim: number;
  /** Tokens the buffers hold before the first growth. Default 64. */
  readonly initialCapacity?: number;
}

/** A key/value cache; its memory grows linearly with the number of tokens seen. */
export class KVCache implements DecodeCache {
  /** Tokens consumed so far. */
  position = 0;
  /** Batch size. */
  readonly batch: number;
  private readonly backend: Backend;
  private readonly dims: KVCacheDims;
  private capacity: number;
  private readonly keys: (Tensor | null)[];
  private readonly values: (Tensor | null)[];

  constructor(backend: Backend, dims: KVCacheDims) {
    this.backend = backend;
    this.dims = dims;
    this.batch = dims.batch;
    this.capacity = dims.initialCapacity ?? 64;
    this.keys = new Array<Tensor | null>(dims.layers).fill(null);
    this.values = new Array<Tensor | null>(dims.layers).fill(null);
  }

  private buffer(capacity: number): Tensor {
    const { batch, heads, headDim } = this.dims;
    return keep(zeros(this.backend, [batch, heads, capacity, headDim]));
  }

  private grow(layer: number, needed: number): void {
    let capacity = this.capacity;
    while (capacity < needed) capacity *= 2;
    const old = [this.keys[layer], this.values[layer]];
    if (old[0] && capacity === old[0].shape[2]) return;
    const fresh = [this.buffer(capacity), this.buffer(capacity)] as const;
    old.forEach((t, i) => {
      if (t && this.position > 0)
        assign(sliceAxis(fresh[i]!, 2, 0, this.position), sliceAxis(t, 2, 0, this.position));
      t?.dispose();
    });
    this.keys[layer] = fresh[0];
    this.values[layer] = fresh[1];
    this.capacity = Math.max(this.capacity, capacity);
  }

  /**
   * Writes the keys and values `[B, KV, T, d]` of `T` new tokens of `layer` after the cached ones and returns
   * views of all `position + T` of them. Call {@link KVCache.advance} once every layer has appended.
   */
  append(layer: number, k: Tensor, v: Tensor): { keys: Tensor; values: Tensor } {
    const t = k.shape[2]!;
    const needed = this.position + t;
    const current = this.keys[layer];
    if (!current || current.shape[2]! < needed) this.grow(layer, needed);
    const keys = this.keys[layer]!;
    const values = this.values[layer]!;
    assign(sliceAxis(keys, 2, this.position, t), k);
    assign(sliceAxis(values, 2, this.position, t), v);
    return { keys: sliceAxis(keys, 2, 0, needed), values: sliceAxis(values, 2, 0, needed) };
  }

  /** Moves the position forward by `tokens` after a forward call. */
  advance(tokens: number): void {
    this.position += tokens;
  }

  /** Bytes held by the key and value buffers (they grow with the context). */
  byteLength(): number {
    let bytes = 0;
    for (const t of [...this.keys, ...this.values]) if (t) bytes += t.size * 4;
    return bytes;
  }

  /** Frees the buffers. */
  dispose(): void {
    for (const list of [this.keys, this.values]) {
      list.forEach((t, i) => {
        t?.dispose();
        list[i] = null;
      });
    }
  }
}
