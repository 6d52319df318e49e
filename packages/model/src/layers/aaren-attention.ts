/**
 * {@link AarenAttention}: multi-head attention of a learned query over every prefix of the layer's input
 * tokens, computed as the attention scan of Aaren (Feng et al., arXiv 2405.13956 §3.2–3.3).
 * @packageDocumentation
 */
import { attentionScan } from '@aaren/attention';
import { normalInit, reshape, type Tensor } from '@aaren/core';
import { mergeHeads, splitHeads } from './heads-layout.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

/**
 * The attention sub-layer of an Aaren layer. Aaren replaces the Transformer's per-token queries by one
 * **learned query token** `query ∈ ℝ^d_model` per layer, a parameter trained by backpropagation (not computed
 * from the input, §3.3). Like a Transformer token it goes through the query projection, giving one query per
 * head, `q = reshape(W_q·query + b_q, [H, d/H])`; keys and values are projections of the layer's input
 * tokens; the many-to-many scan gives, for every position `k`, softmax attention of `q` over tokens `1..k`;
 * heads are merged and projected by `W_o`.
 *
 * Parameters: `query [d]`, then `q`, `k`, `v`, `out` (each `Linear(d, d)`). That is exactly a Transformer
 * self-attention's four projections plus `d` numbers, which is how the paper's counts differ (3,152,384 vs
 * 3,152,896 at `d = 512`, `d_ff = 2048`, one layer): keeping `W_q` makes the two models differ only by the
 * query token. The query token is initialised from N(0, 1), the scale of a layer-normalised token.
 */
export class AarenAttention extends Module {
  /** Model width `d`. */
  readonly dModel: number;
  /** Number of heads `H`. */
  readonly heads: number;
  /** Per-head width `d / H`. */
  readonly headDim: number;
  /** Query projection (applied to the learned query token). */
  readonly q: Linear;
  /** Key projection of the input tokens. */
  readonly k: Linear;
  /** Value projection of the input tokens. */
  readonly v: Linear;
  /** Output projection of the merged heads. */
  readonly out: Linear;

  constructor(dModel: number, heads: number) {
    super();
    this.dModel = dModel;
    this.heads = heads;
    this.headDim = dModel / heads;
    this.addParameter('query', [dModel], normalInit(1));
    this.q = this.addModule('q', new Linear(dModel, dModel));
    this.k = this.addModule('k', new Linear(dModel, dModel));
    this.v = this.addModule('v', new Linear(dModel, dModel));
    this.out = this.addModule('out', new Linear(dModel, dModel));
  }

  /** The learned query token `[d]`. */
  get query(): Tensor {
    return this.param('query');
  }

  /** The per-head queries `[H, d/H]`: `W_q·query + b_q` split into heads. */
  headQueries(): Tensor {
    return reshape(this.q.forward(reshape(this.query, [1, this.dModel])), [this.heads, this.headDim]);
  }

  /**
   * Parallel (training) form: `x: [B, N, d]` → `[B, N, d]`, output `k` attending to input tokens `1..k`.
   * @param mask - optional padding mask `[B, N]` (nonzero keeps a token; masked tokens are never attended)
   */
  forward(x: Tensor, mask?: Tensor | null): Tensor {
    const k = splitHeads(this.k.forward(x), this.heads);
    const v = splitHeads(this.v.forward(x), this.heads);
    const o = attentionScan(this.headQueries(), k, v, { mask: mask ?? null });
    return this.out.forward(mergeHeads(o));
  }
}
