/**
 * The source models with softmax attention (`LlamaForCausalLM`, `MistralForCausalLM`, `GPT2LMHeadModel`),
 * with a key/value cache for decoding.
 * @packageDocumentation
 */
import {
  add,
  type Backend,
  matmul,
  mul,
  reshape,
  rope,
  softmax,
  type Tensor,
  transpose,
  transposeLast2,
} from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';
import { checkWeights } from '../weights/load-weights.js';
import { DecoderLM } from './decoder-lm.js';
import type { ForwardContext } from './forward-context.js';
import { KVCache } from './kv-cache.js';

/** `[B, T, heads·d]` → `[B, heads, T, d]` (a view). */
export function splitHeads(x: Tensor, heads: number): Tensor {
  const [b = 0, t = 0, width = 0] = x.shape;
  return transpose(reshape(x, [b, t, heads, width / heads]), [0, 2, 1, 3]);
}

/** `[B, heads, T, d]` → `[B, T, heads·d]`. */
export function mergeHeads(x: Tensor): Tensor {
  const [b = 0, h = 0, t = 0, d = 0] = x.shape;
  return reshape(transpose(x, [0, 2, 1, 3]), [b, t, h * d]);
}

/** Number of key/value heads of a config. */
export function keyValueHeads(config: ModelConfig): number {
  return config.family === 'llama' ? config.numKeyValueHeads : config.numHeads;
}

/**
 * Causal softmax attention of `q: [B, H, T, d]` over `k, v: [B, KV, L, d]` (`H = r·KV`, grouped-query
 * attention: query head `h` uses key/value head `⌊h / r⌋`, as `repeat_kv` does), with scores scaled by
 * `scale` and the additive mask `bias: [T, L]`. The query groups are folded into the rows of one matmul per
 * key/value head, so keys and values are never copied per query head.
 */
export function groupedSoftmaxAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  scale: number,
  bias: Tensor | null,
): Tensor {
  const [b = 0, h = 0, t = 0, d = 0] = q.shape;
  const kv = k.shape[1]!;
  const l = k.shape[2]!;
  const r = h / kv;
  const grouped = reshape(mul(q, scale), [b, kv, r * t, d]);
  let scores = matmul(grouped, transposeLast2(k));
  if (bias) scores = reshape(add(reshape(scores, [b, kv, r, t, l]), bias), [b, kv, r * t, l]);
  return reshape(matmul(softmax(scores, -1), v), [b, h, t, d]);
}

/**
 * A Hugging Face causal LM with softmax attention, running in this engine: logits equal `transformers`'
 * (see the package README for the tolerance and how it is checked). Create it with `loadPretrained` (Node)
 * or from weights in memory.
 *
 * @example
 * ```ts
 * const model = new TransformerLM(config, weights, cpuBackend());
 * const logits = model.forward(tensor(cpu, new Int32Array([1, 5, 9]), [1, 3], 'i32'));
 * ```
 */
export class TransformerLM extends DecoderLM<KVCache> {
  /** Softmax attention needs the causal mask. */
  protected readonly usesAttentionMask = true;

  /**
   * @param config - a parsed config
   * @param weights - every tensor of `expectedWeights(config)` by name
   * @throws {@link CheckpointTensorError} when a weight is missing or has the wrong shape.
   */
  constructor(config: ModelConfig, weights: ReadonlyMap<string, Tensor>, backend: Backend) {
    checkWeights(config, weights);
    super(config, weights, backend);
  }

  /** {@inheritDoc CausalLM.createCache} */
  createCache(batch = 1): KVCache {
    return new KVCache(this.backend, {
      layers: this.config.numLayers,
      batch,
      heads: keyValueHeads(this.config),
      headDim: this.config.headDim,
    });
  }

  /** Scale of the attention scores of `layer`. */
  protected scoreScale(layer: number): number {
    const c = this.config;
    if (c.family === 'llama') return 1 / Math.sqrt(c.headDim);
    let scale = c.scaleAttnWeights ? 1 / Math.sqrt(c.headDim) : 1;
    if (c.scaleAttnByInverseLayerIdx) scale /= layer + 1;
    return scale;
  }

  /** {@inheritDoc DecoderLM.attention} */
  attention(
    layer: number,
    q: Tensor,
    k: Tensor,
    v: Tensor,
    context: ForwardContext,
    cache: KVCache | null,
  ): Tensor {
    const c = this.config;
    let qh = splitHeads(q, c.numHeads);
    let kh = splitHeads(k, keyValueHeads(c));
    let vh = splitHeads(v, keyValueHeads(c));
    const tables = context.rope(c.headDim);
    if (tables) {
      qh = rope(qh, tables.cos, tables.sin);
      kh = rope(kh, tables.cos, tables.sin);
    }
    if (cache) ({ keys: kh, values: vh } = cache.append(layer, kh, vh));
    return mergeHeads(groupedSoftmaxAttention(qh, kh, vh, this.scoreScale(layer), context.attentionBias));
  }
}
