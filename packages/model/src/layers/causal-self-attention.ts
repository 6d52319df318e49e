/**
 * {@link CausalSelfAttention}: the Transformer baseline's multi-head causal softmax self-attention.
 * @packageDocumentation
 */
import {
  arange,
  greaterEqual,
  matmul,
  mul,
  reshape,
  softmax,
  type Tensor,
  transposeLast2,
  where,
} from '@aaren/core';
import { mergeHeads, splitHeads } from './heads-layout.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

/**
 * Multi-head causal self-attention (Vaswani et al., 2017): queries, keys and values are projections of the
 * input tokens, token `k` attends with softmax to tokens `1..k`. `4·(d² + d)` parameters (`q`, `k`, `v`,
 * `out`). The parallel form materialises the `N × N` scores (O(N²) memory); the streaming form keeps a KV
 * cache (see `TransformerStack.step`).
 */
export class CausalSelfAttention extends Module {
  /** Model width `d`. */
  readonly dModel: number;
  /** Number of heads `H`. */
  readonly heads: number;
  /** Per-head width `d / H`. */
  readonly headDim: number;
  /** Query projection. */
  readonly q: Linear;
  /** Key projection. */
  readonly k: Linear;
  /** Value projection. */
  readonly v: Linear;
  /** Output projection. */
  readonly out: Linear;

  constructor(dModel: number, heads: number) {
    super();
    this.dModel = dModel;
    this.heads = heads;
    this.headDim = dModel / heads;
    this.q = this.addModule('q', new Linear(dModel, dModel));
    this.k = this.addModule('k', new Linear(dModel, dModel));
    this.v = this.addModule('v', new Linear(dModel, dModel));
    this.out = this.addModule('out', new Linear(dModel, dModel));
  }

  /**
   * `x: [B, N, d]` → `[B, N, d]`.
   * @param mask - optional padding mask `[B, N]`; masked tokens are never attended (a position with no
   *   visible token outputs `0` before the output projection)
   */
  forward(x: Tensor, mask?: Tensor | null): Tensor {
    const [b = 0, n = 0] = x.shape;
    const q = splitHeads(this.q.forward(x), this.heads);
    const k = splitHeads(this.k.forward(x), this.heads);
    const v = splitHeads(this.v.forward(x), this.heads);
    let scores = mul(matmul(q, transposeLast2(k)), 1 / Math.sqrt(this.headDim));
    const positions = arange(x.backend, 0, n);
    const causal = greaterEqual(reshape(positions, [n, 1]), reshape(positions, [1, n]));
    scores = where(causal, scores, Number.NEGATIVE_INFINITY);
    if (mask) scores = where(reshape(mask, [b, 1, 1, n]), scores, Number.NEGATIVE_INFINITY);
    const o = matmul(softmax(scores, -1), v);
    return this.out.forward(mergeHeads(o));
  }
}
