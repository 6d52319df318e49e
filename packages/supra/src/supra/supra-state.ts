/**
 * The decoding state of a SUPRA model: per layer, the linear-attention state `S: [B, H, d_φ, d]` (and the
 * normaliser `z` with the `'denominator'` option). Its size never depends on the number of tokens.
 * @packageDocumentation
 */
import { type LinearAttentionState, linearAttentionState } from '@aaren/attention';
import { type Backend, keep } from '@aaren/core';
import type { DecodeCache } from '../models/causal-lm.js';

/** Sizes of a {@link SupraState}. */
export interface SupraStateDims {
  /** Layers. */
  readonly layers: number;
  /** Batch size. */
  readonly batch: number;
  /** Query heads. */
  readonly heads: number;
  /** Feature dimension `d_φ`. */
  readonly featureDim: number;
  /** Value dimension (the head dimension). */
  readonly valueDim: number;
  /** Keep the normaliser `z`. */
  readonly normalize: boolean;
}

/** Fixed-size recurrent state of a SUPRA model. */
export class SupraState implements DecodeCache {
  /** Tokens consumed so far. */
  position = 0;
  /** Batch size. */
  readonly batch: number;
  private readonly layers: LinearAttentionState[];

  constructor(backend: Backend, dims: SupraStateDims) {
    this.batch = dims.batch;
    this.layers = Array.from({ length: dims.layers }, () => {
      const s = linearAttentionState(backend, {
        batch: dims.batch,
        heads: dims.heads,
        dk: dims.featureDim,
        dv: dims.valueDim,
        normalize: dims.normalize,
      });
      keep(s.S);
      if (s.z) keep(s.z);
      return s;
    });
  }

  /** The state of `layer`. */
  get(layer: number): LinearAttentionState {
    return this.layers[layer]!;
  }

  /** Replaces the state of `layer` (the new tensors are kept out of `tidy` scopes, the old ones freed). */
  set(layer: number, state: LinearAttentionState): void {
    const old = this.layers[layer]!;
    keep(state.S);
    if (state.z) keep(state.z);
    if (old.S !== state.S) old.S.dispose();
    if (old.z && old.z !== state.z) old.z.dispose();
    this.layers[layer] = state;
  }

  /** Moves the position forward by `tokens` after a forward call. */
  advance(tokens: number): void {
    this.position += tokens;
  }

  /** Bytes held by the state (constant: independent of the number of tokens). */
  byteLength(): number {
    let bytes = 0;
    for (const s of this.layers) bytes += (s.S.size + (s.z?.size ?? 0)) * 4;
    return bytes;
  }

  /** Frees the state. */
  dispose(): void {
    for (const s of this.layers) {
      s.S.dispose();
      s.z?.dispose();
    }
  }
}
