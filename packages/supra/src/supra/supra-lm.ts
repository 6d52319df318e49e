/**
 * A SUPRA model: the source model's weights with every softmax attention replaced by decayed linear
 * attention over learned features (Mercat et al., arXiv 2405.06640, §3):
 *
 * `φ(x) = ReLU(W_φ x + b_φ)`, `q̃ = RoPE(φ(q))`, `k̃ = RoPE(φ(k))/√d_φ`, `S_t = γ_h S_{t−1} + k̃_tᵀ v_t`,
 * `o_t = GroupNorm_h(q̃_t S_t)`, followed by the original output projection.
 *
 * Training and prefill use the chunked-parallel form; decoding uses the recurrent step with a state of fixed
 * size per layer and head.
 * @packageDocumentation
 */
import { linearAttention, linearAttentionStep, linearAttentionWithState } from '@aaren/attention';
import {
  type Backend,
  broadcastTo,
  groupNorm,
  keep,
  linear,
  mul,
  relu,
  reshape,
  rope,
  type Tensor,
  tensor,
} from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';
import { DecoderLM } from '../models/decoder-lm.js';
import type { ForwardContext } from '../models/forward-context.js';
import { keyValueHeads, mergeHeads, splitHeads } from '../models/transformer-lm.js';
import { checkWeights } from '../weights/load-weights.js';
import { featureMapNames, supraExtraWeights } from './feature-maps.js';
import { hasKeyFeatureMap, type SupraSettings } from './supra-options.js';
import { SupraState } from './supra-state.js';

/** `[B, KV, T, d]` → `[B, KV·r, T, d]` with head `h` a copy of head `⌊h / r⌋` (`repeat_kv`). */
export function repeatHeads(x: Tensor, r: number): Tensor {
  if (r === 1) return x;
  const [b = 0, kv = 0, t = 0, d = 0] = x.shape;
  return reshape(broadcastTo(reshape(x, [b, kv, 1, t, d]), [b, kv, r, t, d]), [b, kv * r, t, d]);
}

/**
 * A linearized model (see the module documentation). Make one with `convertToSupra`, or load a saved one.
 *
 * @example
 * ```ts
 * const supra = convertToSupra(teacher);                 // paper defaults
 * const logits = supra.forward(ids);                     // chunked-parallel (training)
 * const state = supra.createCache();                     // fixed-size recurrent state
 * supra.forward(prompt, { cache: state });               // prefill, then one token at a time
 * ```
 */
export class SupraLM extends DecoderLM<SupraState> {
  /** Linear attention needs no mask. */
  protected readonly usesAttentionMask = false;
  /** The resolved SUPRA choices. */
  readonly settings: SupraSettings;
  /** γ per query head, `[H]`. */
  readonly decay: Tensor;

  /**
   * @param weights - the source model's weights plus the feature maps of `supraExtraWeights(config, settings)`
   * @throws {@link CheckpointTensorError} when a weight is missing or has the wrong shape.
   */
  constructor(
    config: ModelConfig,
    weights: ReadonlyMap<string, Tensor>,
    backend: Backend,
    settings: SupraSettings,
  ) {
    checkWeights(config, weights, '(weights)', supraExtraWeights(config, settings));
    super(config, weights, backend);
    this.settings = settings;
    this.decay = keep(tensor(backend, Float32Array.from(settings.decay), [config.numHeads]));
  }

  /** {@inheritDoc CausalLM.createCache} */
  createCache(batch = 1): SupraState {
    return new SupraState(this.backend, {
      layers: this.config.numLayers,
      batch,
      heads: this.config.numHeads,
      featureDim: this.settings.featureDim,
      valueDim: this.config.headDim,
      normalize: this.settings.normalization === 'denominator',
    });
  }

  /** `φ(x) = ReLU(x W_φᵀ + b_φ)` with the feature map `name` (without `.weight`). */
  protected featureMap(x: Tensor, name: string): Tensor {
    const w = this.weights.get(`${name}.weight`)!;
    return relu(linear(x, w, this.weights.get(`${name}.bias`) ?? null));
  }

  /**
   * The features `φ(q), φ(k)/√d_φ: [B, H, T, d_φ]` (RoPE applied) and values `[B, H, T, d]` of layer `layer`,
   * key/value heads repeated to the query heads.
   */
  features(
    layer: number,
    q: Tensor,
    k: Tensor,
    v: Tensor,
    context: ForwardContext,
  ): [Tensor, Tensor, Tensor] {
    const c = this.config;
    const s = this.settings;
    const kvHeads = keyValueHeads(c);
    const names = featureMapNames(c, layer);
    let fq = splitHeads(this.featureMap(q, names.query), c.numHeads);
    let fk = splitHeads(this.featureMap(k, hasKeyFeatureMap(c, s) ? names.key : names.query), kvHeads);
    const r = c.numHeads / kvHeads;
    fk = repeatHeads(fk, r);
    const vh = repeatHeads(splitHeads(v, kvHeads), r);
    const tables = s.rope ? context.rope(s.featureDim) : null;
    if (tables) {
      fq = rope(fq, tables.cos, tables.sin);
      fk = rope(fk, tables.cos, tables.sin);
    }
    return [fq, mul(fk, s.keyScale), vh];
  }

  /** {@inheritDoc DecoderLM.attention} */
  attention(
    layer: number,
    q: Tensor,
    k: Tensor,
    v: Tensor,
    context: ForwardContext,
    state: SupraState | null,
  ): Tensor {
    const c = this.config;
    const s = this.settings;
    const [fq, fk, vh] = this.features(layer, q, k, v, context);
    const normalize = s.normalization === 'denominator';
    let out: Tensor;
    if (state === null) {
      out = linearAttention(fq, fk, vh, this.decay, { mode: 'chunked', chunkSize: s.chunkSize, normalize });
    } else if (context.length === 1) {
      const [b = 0, h = 0, , d = 0] = vh.shape;
      const step = linearAttentionStep(
        state.get(layer),
        reshape(fq, [b, h, s.featureDim]),
        reshape(fk, [b, h, s.featureDim]),
        reshape(vh, [b, h, d]),
        this.decay,
      );
      state.set(layer, step.state);
      out = reshape(step.output, [b, h, 1, d]);
    } else {
      const result = linearAttentionWithState(fq, fk, vh, this.decay, {
        chunkSize: s.chunkSize,
        normalize,
        initialState: state.get(layer),
      });
      state.set(layer, result.state);
      out = result.output;
    }
    const merged = mergeHeads(out);
    return s.normalization === 'group-norm'
      ? groupNorm(merged, c.numHeads, null, null, s.groupNormEps)
      : merged;
  }

  /** {@inheritDoc CausalLM.dispose} */
  override dispose(): void {
    super.dispose();
    this.decay.dispose();
  }
}
