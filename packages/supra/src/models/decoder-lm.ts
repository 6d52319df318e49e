/**
 * The shared forward of every model here: body (embedding, residual blocks, head) plus a token mixer
 * supplied by the subclass (softmax attention with a KV cache, or SUPRA's linear attention with a state).
 * @packageDocumentation
 */
import type { Backend, Tensor } from '@aaren/core';
import { sliceAxis } from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';
import { ModelInputError } from '../errors.js';
import type { CausalLM, DecodeCache, ForwardOptions } from './causal-lm.js';
import type { DecoderBody } from './decoder-body.js';
import { type ForwardContext, forwardContext } from './forward-context.js';
import { gpt2Body } from './gpt2-body.js';
import { llamaBody } from './llama-body.js';

/** Base class of the models: runs the body and delegates attention to {@link DecoderLM.attention}. */
export abstract class DecoderLM<C extends DecodeCache & { advance(tokens: number): void }>
  implements CausalLM<C>
{
  /** The parsed configuration. */
  readonly config: ModelConfig;
  /** The backend the weights live on. */
  readonly backend: Backend;
  /** Every weight by its Hugging Face name. */
  readonly weights: ReadonlyMap<string, Tensor>;
  /** Embedding, blocks and head. */
  protected readonly body: DecoderBody;
  /** Whether the forward needs the causal mask of softmax attention. */
  protected abstract readonly usesAttentionMask: boolean;

  constructor(config: ModelConfig, weights: ReadonlyMap<string, Tensor>, backend: Backend) {
    this.config = config;
    this.weights = weights;
    this.backend = backend;
    this.body = config.family === 'llama' ? llamaBody(config, weights) : gpt2Body(config, weights);
  }

  /**
   * Token mixing of layer `layer`: `q: [B, T, H·d]`, `k, v: [B, T, KV·d]` (projections) → `[B, T, H·d]`
   * (before the output projection), continuing from and updating `cache` when given. Public so that another
   * model's forward can call it (attention transfer); {@link DecoderLM.forward} is the usual entry.
   */
  abstract attention(
    layer: number,
    q: Tensor,
    k: Tensor,
    v: Tensor,
    context: ForwardContext,
    cache: C | null,
  ): Tensor;

  /** {@inheritDoc CausalLM.createCache} */
  abstract createCache(batch?: number): C;

  /** {@inheritDoc CausalLM.forward} */
  forward(inputIds: Tensor, options: ForwardOptions<C> = {}): Tensor {
    return this.run(inputIds, options, (layer, q, k, v, context, cache) =>
      this.attention(layer, q, k, v, context, cache),
    );
  }

  /**
   * The forward with `mixer` in place of this model's attention (with this model's weights everywhere
   * else): how attention transfer runs a teacher while comparing a student's attention on the same inputs.
   */
  forwardWith(
    inputIds: Tensor,
    mixer: (layer: number, q: Tensor, k: Tensor, v: Tensor, context: ForwardContext) => Tensor,
  ): Tensor {
    return this.run(inputIds, {}, (layer, q, k, v, context) => mixer(layer, q, k, v, context));
  }

  private run(
    inputIds: Tensor,
    options: ForwardOptions<C>,
    mix: (layer: number, q: Tensor, k: Tensor, v: Tensor, context: ForwardContext, cache: C | null) => Tensor,
  ): Tensor {
    const op = `${this.config.architecture}.forward`;
    if (inputIds.dtype !== 'i32' || inputIds.rank !== 2) {
      throw new ModelInputError(op, 'inputIds', 'an i32 tensor [B, T]', inputIds.shape);
    }
    const [batch = 0, length = 0] = inputIds.shape;
    const cache = options.cache ?? null;
    if (cache && cache.batch !== batch) {
      throw new ModelInputError(
        op,
        'inputIds',
        `[${cache.batch}, T] to match the cache's batch`,
        inputIds.shape,
      );
    }
    const start = cache?.position ?? 0;
    const context = forwardContext(this.backend, this.config, batch, length, start, this.usesAttentionMask);
    let h = this.body.embed(inputIds, start);
    for (let i = 0; i < this.config.numLayers; i++) {
      h = this.body.layer(i, h, (layer, q, k, v) => mix(layer, q, k, v, context, cache));
    }
    if (options.lastOnly && length > 0) h = sliceAxis(h, 1, length - 1, 1);
    const logits = this.body.head(h);
    cache?.advance(length);
    return logits;
  }

  /** {@inheritDoc CausalLM.dispose} */
  dispose(): void {
    for (const t of this.weights.values()) t.dispose();
  }
}
