/**
 * {@link KVCache}: the keys and values of every token seen so far, for one Transformer layer.
 * @packageDocumentation
 */
import {
  arange,
  assign,
  cast,
  concat,
  full,
  greaterEqual,
  keep,
  matmul,
  mul,
  notEqual,
  reshape,
  slice,
  softmax,
  type Tensor,
  transposeLast2,
  where,
  zeros,
} from '@aaren/core';
import { StreamingStateError } from '../errors.js';

/** Largest `B·H` for which attention runs one head at a time on contiguous cache slices (no copy). */
const PER_HEAD_LIMIT = 16;

/**
 * Keys and values `[B, H, capacity, dh]` of one layer, grown by doubling (amortised O(1) appends, each
 * token written once in place), and attention of a new query over the cached prefix.
 *
 * Memory grows linearly with the tokens seen — the cost Aaren's constant state avoids. For `B·H ≤ 16`
 * each head attends over a contiguous slice `[L, dh]` of the buffer (no copy); larger batches copy the
 * used prefix once per step.
 */
export class KVCache {
  /** Batch size. */
  readonly batch: number;
  /** Heads. */
  readonly heads: number;
  /** Per-head width. */
  readonly headDim: number;
  private keys: Tensor;
  private values: Tensor;
  private keepMask: Tensor | null = null;
  private used = 0;
  private cap: number;
  private disposed = false;

  constructor(
    backend: Parameters<typeof zeros>[0],
    batch: number,
    heads: number,
    headDim: number,
    capacity = 64,
  ) {
    this.batch = batch;
    this.heads = heads;
    this.headDim = headDim;
    this.cap = Math.max(1, capacity);
    this.keys = keep(zeros(backend, [batch, heads, this.cap, headDim]));
    this.values = keep(zeros(backend, [batch, heads, this.cap, headDim]));
  }

  /** Tokens cached. */
  get length(): number {
    return this.used;
  }

  /** Tokens that fit before the next growth. */
  get capacity(): number {
    return this.cap;
  }

  /** Bytes of the cached keys, values (and mask) in use: `2·B·H·L·dh·4` (+ `B·L·4`). */
  usedBytes(): number {
    return 4 * this.used * (2 * this.batch * this.heads * this.headDim + (this.keepMask ? this.batch : 0));
  }

  /** Bytes allocated (capacity, not just the used prefix). */
  allocatedBytes(): number {
    return 4 * this.cap * (2 * this.batch * this.heads * this.headDim + (this.keepMask ? this.batch : 0));
  }

  private check(where: string): void {
    if (this.disposed) throw new StreamingStateError(where, 'the KV cache was disposed');
  }

  private grow(): void {
    const next = this.cap * 2;
    const { batch: b, heads: h, headDim: d } = this;
    const backend = this.keys.backend;
    const resize = (old: Tensor, shape: number[], prefix: number[]): Tensor => {
      const t = keep(zeros(backend, shape));
      assign(
        slice(
          t,
          prefix.map(() => 0),
          prefix,
        ),
        slice(
          old,
          prefix.map(() => 0),
          prefix,
        ),
      );
      old.dispose();
      return t;
    };
    this.keys = resize(this.keys, [b, h, next, d], [b, h, this.used, d]);
    this.values = resize(this.values, [b, h, next, d], [b, h, this.used, d]);
    if (this.keepMask) this.keepMask = resize(this.keepMask, [b, next], [b, this.used]);
    this.cap = next;
  }

  /**
   * Appends one token's key and value `[B, H, dh]` (in place; the buffers grow when full).
   * @param mask - `[B]`: `0` marks the token as padding for that stream (never attended)
   */
  append(k: Tensor, v: Tensor, mask?: Tensor | null): void {
    this.check('KVCache.append');
    if (this.used === this.cap) this.grow();
    const { batch: b, heads: h, headDim: d, used: t } = this;
    const backend = this.keys.backend;
    assign(slice(this.keys, [0, 0, t, 0], [b, h, 1, d]), reshape(k, [b, h, 1, d]));
    assign(slice(this.values, [0, 0, t, 0], [b, h, 1, d]), reshape(v, [b, h, 1, d]));
    if (mask && !this.keepMask) {
      this.keepMask = keep(full(backend, [b, this.cap], 1));
    }
    if (this.keepMask) {
      const m = mask ? reshape(cast(notEqual(mask, 0), 'f32'), [b, 1]) : full(backend, [b, 1], 1);
      assign(slice(this.keepMask, [0, t], [b, 1]), m);
    }
    this.used++;
  }

  /**
   * Appends a block of `n` tokens' keys and values `[B, H, n, dh]` (prefill), growing the buffers as needed.
   * @param mask - `[B, n]`: `0` marks padding tokens (never attended)
   */
  appendBlock(k: Tensor, v: Tensor, mask?: Tensor | null): void {
    this.check('KVCache.appendBlock');
    const { batch: b, heads: h, headDim: d, used: t } = this;
    const n = k.shape[2] ?? 0;
    if (n === 0) return;
    while (this.used + n > this.cap) this.grow();
    const backend = this.keys.backend;
    assign(slice(this.keys, [0, 0, t, 0], [b, h, n, d]), k);
    assign(slice(this.values, [0, 0, t, 0], [b, h, n, d]), v);
    if (mask && !this.keepMask) this.keepMask = keep(full(backend, [b, this.cap], 1));
    if (this.keepMask) {
      const m = mask ? cast(notEqual(mask, 0), 'f32') : full(backend, [b, n], 1);
      assign(slice(this.keepMask, [0, t], [b, n]), m);
    }
    this.used += n;
  }

  /**
   * Causal softmax attention of a block of `n` queries `[B, H, n, dh]` — the last `n` cached tokens — over
   * the cache: query `i` sees cached tokens `0 … length − n + i`. Returns `[B, H, n, dh]`.
   */
  attendBlock(q: Tensor, scale: number): Tensor {
    this.check('KVCache.attendBlock');
    const { batch: b, heads: h, headDim: d, used: total } = this;
    const n = q.shape[2] ?? 0;
    const keys = slice(this.keys, [0, 0, 0, 0], [b, h, total, d]);
    const values = slice(this.values, [0, 0, 0, 0], [b, h, total, d]);
    let scores = mul(matmul(q, transposeLast2(keys)), scale);
    const rows = arange(q.backend, total - n, total);
    const cols = arange(q.backend, 0, total);
    scores = where(
      greaterEqual(reshape(rows, [n, 1]), reshape(cols, [1, total])),
      scores,
      Number.NEGATIVE_INFINITY,
    );
    if (this.keepMask) {
      scores = where(
        reshape(slice(this.keepMask, [0, 0], [b, total]), [b, 1, 1, total]),
        scores,
        Number.NEGATIVE_INFINITY,
      );
    }
    return matmul(softmax(scores, -1), values);
  }

  /**
   * Softmax attention of `q: [B, H, dh]` over the cached tokens (scores `q·k·scale`) → `[B, H, dh]`; `0` for a
   * stream with no unmasked token yet.
   */
  attend(q: Tensor, scale: number): Tensor {
    this.check('KVCache.attend');
    const { batch: b, heads: h, headDim: d, used: n } = this;
    if (n === 0) return zeros(q.backend, [b, h, d]);
    if (b * h <= PER_HEAD_LIMIT) {
      const outs: Tensor[] = [];
      for (let i = 0; i < b; i++) {
        const maskRow = this.keepMask ? reshape(slice(this.keepMask, [i, 0], [1, n]), [1, n]) : null;
        for (let j = 0; j < h; j++) {
          const keys = reshape(slice(this.keys, [i, j, 0, 0], [1, 1, n, d]), [n, d]);
          const values = reshape(slice(this.values, [i, j, 0, 0], [1, 1, n, d]), [n, d]);
          const column = reshape(slice(q, [i, j, 0], [1, 1, d]), [d, 1]);
          let scores = mul(reshape(matmul(keys, column), [1, n]), scale);
          if (maskRow) scores = where(maskRow, scores, Number.NEGATIVE_INFINITY);
          outs.push(matmul(softmax(scores, -1), values));
        }
      }
      return reshape(outs.length === 1 ? outs[0]! : concat(outs, 0), [b, h, d]);
    }
    const keys = slice(this.keys, [0, 0, 0, 0], [b, h, n, d]);
    const values = slice(this.values, [0, 0, 0, 0], [b, h, n, d]);
    let scores = mul(reshape(matmul(keys, reshape(q, [b, h, d, 1])), [b, h, 1, n]), scale);
    if (this.keepMask) {
      scores = where(
        reshape(slice(this.keepMask, [0, 0], [b, n]), [b, 1, 1, n]),
        scores,
        Number.NEGATIVE_INFINITY,
      );
    }
    return reshape(matmul(softmax(scores, -1), values), [b, h, d]);
  }

  /** Frees the buffers. Idempotent. */
  dispose(): void {
    this.keys.dispose();
    this.values.dispose();
    this.keepMask?.dispose();
    this.disposed = true;
  }
}
