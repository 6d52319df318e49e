/**
 * What every layer of one forward call shares: sizes, positions, RoPE tables and the attention mask.
 * @packageDocumentation
 */
import type { Backend, Tensor } from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';
import { defaultInverseFrequencies, ropeParameters } from '../config/rope-frequencies.js';
import { causalAttentionBias } from './attention-bias.js';
import { ropeTables } from './rope-tables.js';

/** Per-call context shared by the layers of one forward. */
export interface ForwardContext {
  /** Batch size `B`. */
  readonly batch: number;
  /** New tokens `T`. */
  readonly length: number;
  /** Position of the first new token. */
  readonly start: number;
  /**
   * RoPE tables `[T, dim/2]` for per-head dimension `dim` (the model's own scaling when `dim` is its head
   * dimension, plain RoPE with the model's base otherwise), or `null` for models without RoPE.
   */
  rope(dim: number): { cos: Tensor; sin: Tensor } | null;
  /** The additive causal (and sliding-window) mask `[T, start + T]` of softmax attention, or `null`. */
  readonly attentionBias: Tensor | null;
}

/** Builds the {@link ForwardContext} of a call; tables are made on first use. @internal */
export function forwardContext(
  backend: Backend,
  config: ModelConfig,
  batch: number,
  length: number,
  start: number,
  needsMask: boolean,
): ForwardContext {
  const tables = new Map<number, { cos: Tensor; sin: Tensor }>();
  const window = config.family === 'llama' ? config.slidingWindow : null;
  return {
    batch,
    length,
    start,
    attentionBias: needsMask ? causalAttentionBias(backend, start, length, window) : null,
    rope(dim) {
      if (config.family !== 'llama') return null;
      let t = tables.get(dim);
      if (t === undefined) {
        if (dim === config.headDim) {
          const p = ropeParameters(config, start + length);
          t = ropeTables(backend, p.inverseFrequencies, start, length, p.attentionScaling);
        } else {
          t = ropeTables(backend, defaultInverseFrequencies(dim, config.ropeTheta), start, length);
        }
        tables.set(dim, t);
      }
      return t;
    },
  };
}
