/**
 * The parts of a decoder-only model other than the token mixer: embedding, the per-layer residual blocks
 * (norms, projections, MLP) and the output head. Attention is passed in, so that the same body runs with
 * softmax attention (the source model) or SUPRA's linear attention.
 * @packageDocumentation
 */
import type { Tensor } from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';
import { CheckpointTensorError } from '../errors.js';

/**
 * Mixes tokens of layer `layer`: `q: [B, T, H·d]`, `k, v: [B, T, KV·d]` (projections, before RoPE) →
 * `[B, T, H·d]` (before the output projection).
 */
export type AttendFn = (layer: number, q: Tensor, k: Tensor, v: Tensor) => Tensor;

/** Embedding, residual blocks and head of one architecture family. */
export interface DecoderBody {
  /** Hidden states `[B, T, D]` of token ids `[B, T]` whose first position is `start`. */
  embed(inputIds: Tensor, start: number): Tensor;
  /** One residual block (attention through `attend`, then the MLP). */
  layer(index: number, h: Tensor, attend: AttendFn): Tensor;
  /** Final norm and vocabulary projection: `[B, T, D]` → `[B, T, V]`. */
  head(h: Tensor): Tensor;
}

/** Looks weights up by name, with a typed error naming a missing one. @internal */
export function weightGetter(
  weights: ReadonlyMap<string, Tensor>,
  config: ModelConfig,
): { get(name: string): Tensor; optional(name: string): Tensor | null } {
  return {
    get(name) {
      const t = weights.get(name);
      if (t === undefined) {
        throw new CheckpointTensorError('missing', `(${config.architecture} weights)`, name, null, null);
      }
      return t;
    },
    optional: (name) => weights.get(name) ?? null,
  };
}
