/**
 * The decoding API of decayed linear attention: a fixed-size state per layer and head, updated one token at
 * a time (`S_t = γ S_{t−1} + φ(k_t)ᵀ v_t`, `o_t = φ(q_t) S_t`).
 * @packageDocumentation
 */
import { add, type Backend, div, matmul, mul, reshape, sum, type Tensor, zeros } from '@aaren/core';
import { AttentionShapeError } from '../errors.js';
import { assertF32, assertPositiveInteger, assertSameBackend } from '../shapes.js';
import { decayTensor, type LinearAttentionDecay } from './decay.js';
import { DEFAULT_LINEAR_EPS } from './defaults.js';

/**
 * Recurrent state of decayed linear attention: `S: [B, H, dk, dv]` (`Σ_i γ^{t−i} φ(k_i)ᵀ v_i`) and, with the
 * normaliser, `z: [B, H, dk]` (`Σ_i γ^{t−i} φ(k_i)`); `null` without. Its size never depends on the
 * number of tokens.
 */
export interface LinearAttentionState {
  /** `[B, H, dk, dv]`. */
  readonly S: Tensor;
  /** `[B, H, dk]`, or `null` when the normaliser is off. */
  readonly z: Tensor | null;
}

/** Extents of a {@link LinearAttentionState}. */
export interface LinearAttentionStateDims {
  /** Batch size `B`. */
  readonly batch: number;
  /** Heads `H`. */
  readonly heads: number;
  /** Feature dimension `dk`. */
  readonly dk: number;
  /** Value dimension `dv`. */
  readonly dv: number;
  /** Keep the normaliser `z`. Default false. */
  readonly normalize?: boolean;
}

/** Options of {@link linearAttentionStep}. */
export interface LinearAttentionStepOptions {
  /** Added to the normaliser `φ(q)·z`. Default `1e-6`. */
  readonly eps?: number;
}

/** Result of {@link linearAttentionStep}. */
export interface LinearAttentionStepResult {
  /** The state after the token. */
  readonly state: LinearAttentionState;
  /** `o_t`, `[B, H, dv]`. */
  readonly output: Tensor;
}

/**
 * The zero state: `S = 0` (and `z = 0` when `normalize`).
 *
 * @example
 * ```ts
 * let state = linearAttentionState(cpu, { batch: 1, heads: 8, dk: 64, dv: 64 });
 * ```
 */
export function linearAttentionState(backend: Backend, dims: LinearAttentionStateDims): LinearAttentionState {
  for (const key of ['batch', 'heads', 'dk', 'dv'] as const) {
    assertPositiveInteger('linearAttentionState', `dims.${key}`, dims[key]);
  }
  return {
    S: zeros(backend, [dims.batch, dims.heads, dims.dk, dims.dv]),
    z: dims.normalize ? zeros(backend, [dims.batch, dims.heads, dims.dk]) : null,
  };
}

/**
 * One decoding step: `S_t = γ S_{t−1} + φ(k_t)ᵀ v_t`, `o_t = φ(q_t) S_t` (divided by `φ(q_t)·z_t + eps` with
 * `z_t = γ z_{t−1} + φ(k_t)` when the state has `z`). O(H·dk·dv) per batch element, whatever the context
 * length. Differentiable in all tensor inputs but `decay`.
 *
 * @param state - from {@link linearAttentionState}, {@link linearAttentionWithState} or a previous step
 * @param q - `φ(q_t)`, `[B, H, dk]`
 * @param k - `φ(k_t)`, `[B, H, dk]`
 * @param v - `v_t`, `[B, H, dv]`
 * @param decay - `γ` per head (see {@link linearAttention})
 */
export function linearAttentionStep(
  state: LinearAttentionState,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  decay: LinearAttentionDecay,
  options: LinearAttentionStepOptions = {},
): LinearAttentionStepResult {
  const op = 'linearAttentionStep';
  const s = state.S;
  const [batch = 0, heads = 0, dk = 0, dv = 0] = s.shape;
  for (const [name, t, shape] of [
    ['q', q, [batch, heads, dk]],
    ['k', k, [batch, heads, dk]],
    ['v', v, [batch, heads, dv]],
  ] as const) {
    assertF32(op, name, t);
    if (t.rank !== 3 || t.shape.some((d, i) => d !== shape[i])) {
      throw new AttentionShapeError(
        op,
        name,
        `[${shape.join(', ')}] to match state.S [${s.shape.join(', ')}]`,
        [t.shape, s.shape],
      );
    }
  }
  assertSameBackend(op, [
    ['state.S', s],
    ['q', q],
    ['k', k],
    ['v', v],
  ]);
  const gamma = decayTensor(op, s.backend, decay, heads);
  const g = reshape(gamma, [heads, 1, 1]);
  const next = add(mul(s, g), mul(reshape(k, [batch, heads, dk, 1]), reshape(v, [batch, heads, 1, dv])));
  let output = reshape(matmul(reshape(q, [batch, heads, 1, dk]), next), [batch, heads, dv]);
  let z: Tensor | null = null;
  if (state.z) {
    z = add(mul(state.z, reshape(gamma, [heads, 1])), k);
    const normalizer = add(sum(mul(q, z), -1, true), options.eps ?? DEFAULT_LINEAR_EPS);
    output = div(output, normalizer);
  }
  return { state: { S: next, z }, output };
}
