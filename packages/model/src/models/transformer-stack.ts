/**
 * {@link TransformerStack}: the causal Transformer baseline (softmax self-attention, same widths and depth
 * as an {@link AarenStack}) with a KV cache for token-by-token inference.
 * @packageDocumentation
 */
import { noGrad, reshape, slice, type Tensor, tidy } from '@aaren/core';
import { StreamingStateError } from '../errors.js';
import { activate } from '../layers/activation.js';
import { CausalSelfAttention } from '../layers/causal-self-attention.js';
import { EncoderBlock } from '../layers/encoder-block.js';
import { mergeHeads, splitHeads } from '../layers/heads-layout.js';
import { StepLinear } from '../layers/step-linear.js';
import { KVCache } from '../streaming/kv-cache.js';
import type { ForwardOptions, StepOptions, StreamingState } from '../streaming/streaming-state.js';
import { type EncoderConfig, resolveEncoderConfig } from './encoder-config.js';
import { SequenceEncoder } from './sequence-encoder.js';

/**
 * A causal Transformer encoder layer: an {@link EncoderBlock} around {@link CausalSelfAttention}.
 * `config.layers` is ignored.
 */
export class TransformerLayer extends EncoderBlock<CausalSelfAttention> {
  constructor(config: EncoderConfig) {
    const c = resolveEncoderConfig('TransformerLayer', { ...config, layers: 1 });
    super(new CausalSelfAttention(c.dModel, c.heads), c);
  }
}

interface TransformerLayerPlan {
  readonly qkv: StepLinear;
  readonly out: StepLinear;
  readonly ff1: StepLinear;
  readonly ff2: StepLinear;
}

/** Options of {@link TransformerStack.createCache}. */
export interface KVCacheOptions {
  /** Initial capacity in tokens (the buffers double when full). Default 64. */
  readonly capacity?: number;
}

/**
 * Streaming state of a {@link TransformerStack}: one {@link KVCache} per layer (keys and values of every
 * token seen: `2·L·B·N·d` numbers after N tokens) plus inference-layout weight copies.
 */
export class TransformerCache implements StreamingState {
  /** Always `'transformer'`. */
  readonly kind = 'transformer' as const;
  /** Batch size. */
  readonly batch: number;
  /** @internal The stack that made this cache. */
  readonly owner: TransformerStack;
  /** Per-layer caches. */
  readonly layers: readonly KVCache[];
  /** @internal Per-layer inference weights. */
  readonly plans: readonly TransformerLayerPlan[];
  private tokens = 0;
  private disposed = false;

  /** @internal Use {@link TransformerStack.createCache}. */
  constructor(owner: TransformerStack, batch: number, layers: KVCache[], plans: TransformerLayerPlan[]) {
    this.owner = owner;
    this.batch = batch;
    this.layers = layers;
    this.plans = plans;
  }

  /** Tokens consumed. */
  get position(): number {
    return this.tokens;
  }

  /** @internal */
  advance(n = 1): void {
    this.tokens += n;
  }

  /** Whether {@link TransformerCache.dispose} was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Bytes of cached keys and values in use (linear in the tokens seen). */
  stateBytes(): number {
    return this.layers.reduce((s, c) => s + c.usedBytes(), 0);
  }

  /** Bytes allocated for the caches (capacity ≥ tokens seen; doubles when full). */
  allocatedBytes(): number {
    return this.layers.reduce((s, c) => s + c.allocatedBytes(), 0);
  }

  /** Bytes of the inference weight copies. */
  weightBytes(): number {
    return this.plans.reduce((s, p) => s + p.qkv.bytes + p.out.bytes + p.ff1.bytes + p.ff2.bytes, 0);
  }

  /** Frees every tensor. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.layers) c.dispose();
    for (const p of this.plans) for (const l of [p.qkv, p.out, p.ff1, p.ff2]) l.dispose();
  }
}

/**
 * A causal Transformer encoder stack — the baseline Aaren is compared with (same `dModel`, `heads`, `dFF`,
 * `layers`, norms and feed-forward; only the attention differs: queries are projections of each token and
 * token `k` attends to tokens `1..k`).
 *
 * - {@link TransformerStack.forward}: parallel, O(N²) scores per head.
 * - {@link TransformerStack.createCache} + {@link TransformerStack.step}: one token at a time with a KV
 *   cache: O(N) time and memory per token after N tokens; outputs equal the parallel forward's.
 *
 * Parameters (one layer, `d = 512`, `d_ff = 2048`, post-norm): 4·(512² + 512) + (512·2048 + 2048 + 2048·512
 * + 512) + 2·(2·512) = 3,152,384, as the paper reports.
 */
export class TransformerStack extends SequenceEncoder<
  TransformerCache,
  CausalSelfAttention,
  TransformerLayer
> {
  /** Always `'transformer'`. */
  readonly kind = 'transformer' as const;

  constructor(config: EncoderConfig) {
    super('TransformerStack', config, (c) => new TransformerLayer(c));
  }

  /** An empty KV cache for `batch` streams (plus inference-layout weights). Dispose it when done. */
  createCache(batch: number, options: KVCacheOptions = {}): TransformerCache {
    const { heads, dModel } = this.config;
    const backend = this.backend;
    return noGrad(() => {
      const caches: KVCache[] = [];
      const plans: TransformerLayerPlan[] = [];
      for (const block of this.layers.items) {
        caches.push(new KVCache(backend, batch, heads, dModel / heads, options.capacity));
        plans.push({
          qkv: new StepLinear([block.attn.q, block.attn.k, block.attn.v]),
          out: new StepLinear([block.attn.out]),
          ff1: new StepLinear([block.ffn.linear1]),
          ff2: new StepLinear([block.ffn.linear2]),
        });
      }
      return new TransformerCache(this, batch, caches, plans);
    });
  }

  /** Same as {@link TransformerStack.createCache} (the common streaming interface). */
  createState(batch: number): TransformerCache {
    return this.createCache(batch);
  }

  /**
   * Consumes a block of tokens per stream, `x: [B, n, d]` (e.g. a prompt), in parallel: per layer, appends
   * the block's keys and values to the cache and attends causally over everything cached. Returns the
   * outputs `[B, n, d]`, equal to `n` calls of {@link TransformerStack.step}.
   * @param options.mask - `[B, n]` padding mask of the block
   */
  prefill(state: TransformerCache, x: Tensor, options: ForwardOptions = {}): Tensor {
    const where = 'TransformerStack.prefill';
    if (state.owner !== this) throw new StreamingStateError(where, 'the cache was created by another stack');
    if (state.isDisposed) throw new StreamingStateError(where, 'the cache was disposed');
    this.checkTokens(where, x, options.mask);
    if (x.shape[0] !== state.batch)
      throw new StreamingStateError(where, `x has batch ${x.shape[0]}, the cache ${state.batch}`);
    const scale = 1 / Math.sqrt(this.config.dModel / this.config.heads);
    const n = x.shape[1]!;
    const out = noGrad(() =>
      tidy(() => {
        let h = x;
        this.layers.items.forEach((block, i) => {
          const cache = state.layers[i]!;
          const attn = block.attn;
          h = block.around(h, (t) => {
            const q = splitHeads(attn.q.forward(t), attn.heads);
            cache.appendBlock(
              splitHeads(attn.k.forward(t), attn.heads),
              splitHeads(attn.v.forward(t), attn.heads),
              options.mask,
            );
            return attn.out.forward(mergeHeads(cache.attendBlock(q, scale)));
          });
        });
        return this.norm ? this.norm.forward(h) : h;
      }),
    );
    state.advance(n);
    return out;
  }

  /**
   * Consumes one token per stream, `x: [B, d]`: per layer, appends its key and value to the cache and
   * attends with its query over every cached token; returns this position's output `[B, d]`.
   */
  step(state: TransformerCache, x: Tensor, options: StepOptions = {}): Tensor {
    const where = 'TransformerStack.step';
    if (state.owner !== this) throw new StreamingStateError(where, 'the cache was created by another stack');
    if (state.isDisposed) throw new StreamingStateError(where, 'the cache was disposed');
    this.checkToken(where, x, state.batch, options.mask);
    const { heads, dModel, activation } = this.config;
    const b = state.batch;
    const dh = dModel / heads;
    const scale = 1 / Math.sqrt(dh);
    const out = noGrad(() =>
      tidy(() => {
        let h = x;
        this.layers.items.forEach((block, i) => {
          const plan = state.plans[i]!;
          const cache = state.layers[i]!;
          h = block.around(
            h,
            (t) => {
              const qkv = plan.qkv.apply(t);
              const part = (j: number) => reshape(slice(qkv, [0, j * dModel], [b, dModel]), [b, heads, dh]);
              cache.append(part(1), part(2), options.mask ?? null);
              const o = cache.attend(part(0), scale);
              return plan.out.apply(reshape(o, [b, dModel]));
            },
            (t) => plan.ff2.apply(activate(activation, plan.ff1.apply(t))),
          );
        });
        return this.norm ? this.norm.forward(h) : h;
      }),
    );
    state.advance();
    return out;
  }
}
