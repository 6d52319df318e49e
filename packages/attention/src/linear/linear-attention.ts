/**
 * Decayed linear attention (SUPRA, arXiv 2405.06640 §3): `S_t = γ S_{t−1} + φ(k_t)ᵀ v_t`, `o_t = φ(q_t) S_t`,
 * with an optional normaliser, in recurrent form (backend kernel) or chunked-parallel form (core ops).
 * @packageDocumentation
 */
import { add, concat, div, ones, reshape, slice, squeeze, type Tensor } from '@aaren/core';
import { AttentionOptionError, AttentionShapeError } from '../errors.js';
import { assertPositiveInteger } from '../shapes.js';
import { chunkedLinearAttention } from './chunked.js';
import { decayTensor, type LinearAttentionDecay } from './decay.js';
import { DEFAULT_LINEAR_CHUNK_SIZE, DEFAULT_LINEAR_EPS } from './defaults.js';
import { recurrentLinearAttention } from './recurrent.js';
import { checkLinearInputs, type LinearDims } from './shapes.js';
import type { LinearAttentionState } from './step.js';

/** Options shared by {@link linearAttention} and {@link linearAttentionWithState}. */
export interface LinearAttentionOptions {
  /**
   * `'chunked'` (default): chunked-parallel form written with core ops (the training form; decay masks inside
   * chunks, state between chunks). `'recurrent'`: the backend's `linearAttention` kernel, token by token.
   * Both give the same result.
   */
  readonly mode?: 'recurrent' | 'chunked';
  /** Tokens per chunk of the chunked form (positive integer). Default {@link DEFAULT_LINEAR_CHUNK_SIZE}. */
  readonly chunkSize?: number;
  /**
   * Divide by the normaliser: `z_t = γ z_{t−1} + φ(k_t)`, `o_t = φ(q_t) S_t / (φ(q_t)·z_t + eps)`. Needs
   * non-negative features. Default false (SUPRA replaces it with a GroupNorm of the outputs).
   */
  readonly normalize?: boolean;
  /** Added to the normaliser. Default {@link DEFAULT_LINEAR_EPS}. */
  readonly eps?: number;
}

/** Options of {@link linearAttentionWithState}. */
export interface LinearAttentionWithStateOptions extends Omit<LinearAttentionOptions, 'mode'> {
  /** State to start from (from a previous call or steps). Default zeros. */
  readonly initialState?: LinearAttentionState | null;
}

/** Result of {@link linearAttentionWithState}. */
export interface LinearAttentionResult {
  /** `[B, H, N, dv]`. */
  readonly output: Tensor;
  /** The state after the last token (feed it to `linearAttentionStep` to keep decoding). */
  readonly state: LinearAttentionState;
}

function resolveOptions(op: string, options: LinearAttentionOptions): { chunkSize: number; eps: number } {
  const chunkSize = options.chunkSize ?? DEFAULT_LINEAR_CHUNK_SIZE;
  assertPositiveInteger(op, 'options.chunkSize', chunkSize);
  const eps = options.eps ?? DEFAULT_LINEAR_EPS;
  if (!Number.isFinite(eps)) throw new AttentionOptionError(op, 'options.eps', `must be finite, got ${eps}`);
  return { chunkSize, eps };
}

/** `v` with a column of ones appended, so one pass computes `q S` and `q·z` together. */
function withOnes(v: Tensor): Tensor {
  const [b = 0, h = 0, n = 0] = v.shape;
  return concat([v, ones(v.backend, [b, h, n, 1])], 3);
}

/** Splits `[..., dv + 1]` into the numerator `[..., dv]` and the normaliser `[..., 1]`. */
function splitLast(x: Tensor, dv: number): [Tensor, Tensor] {
  const begin = x.shape.map(() => 0);
  const size = x.shape.map((d) => d);
  size[size.length - 1] = dv;
  const numerator = slice(x, begin, size);
  begin[begin.length - 1] = dv;
  size[size.length - 1] = 1;
  return [numerator, slice(x, begin, size)];
}

function checkState(op: string, state: LinearAttentionState, dims: LinearDims, normalize: boolean): void {
  const { batch, heads, keyDim, valueDim } = dims;
  const s = state.S;
  if (
    s.rank !== 4 ||
    s.shape[0] !== batch ||
    s.shape[1] !== heads ||
    s.shape[2] !== keyDim ||
    s.shape[3] !== valueDim
  ) {
    throw new AttentionShapeError(
      op,
      'options.initialState.S',
      `[B, H, dk, dv] = [${batch}, ${heads}, ${keyDim}, ${valueDim}]`,
      [s.shape],
    );
  }
  if (normalize) {
    const z = state.z;
    if (z?.rank !== 3 || z.shape[0] !== batch || z.shape[1] !== heads || z.shape[2] !== keyDim) {
      throw new AttentionShapeError(
        op,
        'options.initialState.z',
        `[B, H, dk] = [${batch}, ${heads}, ${keyDim}] (normalize is on)`,
        [z?.shape ?? []],
      );
    }
  }
}

/**
 * Decayed linear attention over a whole sequence (SUPRA, arXiv 2405.06640 eq. 4 with per-head decay):
 *
 * `S_t = γ_h S_{t−1} + φ(k_t)ᵀ v_t`, `o_t = φ(q_t) S_t` (from `S_0 = 0`),
 *
 * optionally divided by `φ(q_t)·z_t + eps` with `z_t = γ_h z_{t−1} + φ(k_t)`. The feature map `φ` is applied
 * by the caller (pass `φ(q)` and `φ(k)`). Differentiable in `q`, `k` and `v` in both modes; `decay` is a
 * constant (no gradient).
 *
 * @param q - features of the queries `[B, H, N, dk]`
 * @param k - features of the keys `[B, H, N, dk]`
 * @param v - values `[B, H, N, dv]`
 * @param decay - `γ` per head: a tensor `[H]`, `H` numbers, or one number; values in `[0, 1]`
 *   (e.g. {@link supraDecay})
 * @returns `[B, H, N, dv]`
 *
 * @example
 * ```ts
 * const out = linearAttention(relu(q), relu(k), v, supraDecay(heads), { mode: 'chunked', chunkSize: 64 });
 * ```
 */
export function linearAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  decay: LinearAttentionDecay,
  options: LinearAttentionOptions = {},
): Tensor {
  const op = 'linearAttention';
  const dims = checkLinearInputs(op, q, k, v);
  const { chunkSize, eps } = resolveOptions(op, options);
  const mode = options.mode ?? 'chunked';
  if (mode !== 'chunked' && mode !== 'recurrent') {
    throw new AttentionOptionError(
      op,
      'options.mode',
      `must be 'chunked' or 'recurrent', got '${String(mode)}'`,
    );
  }
  const gamma = decayTensor(op, q.backend, decay, dims.heads);
  const values = options.normalize ? withOnes(v) : v;
  const raw =
    mode === 'recurrent'
      ? recurrentLinearAttention(q, k, values, gamma)
      : chunkedLinearAttention(q, k, values, gamma, chunkSize, null).output;
  if (!options.normalize) return raw;
  const [numerator, normalizer] = splitLast(raw, dims.valueDim);
  return div(numerator, add(normalizer, eps));
}

/**
 * {@link linearAttention} in chunked form that starts from `options.initialState` and returns the final
 * state `{ S, z }`: the prefill before decoding with {@link linearAttentionStep}, or one segment of a long
 * stream. Differentiable in `q`, `k`, `v` and the initial state.
 *
 * @param q - `[B, H, N, dk]` (features)
 * @param k - `[B, H, N, dk]` (features)
 * @param v - `[B, H, N, dv]`
 * @param decay - `γ` per head (see {@link linearAttention})
 *
 * @example
 * ```ts
 * let { output, state } = linearAttentionWithState(q, k, v, gamma);      // prompt
 * ({ output, state } = linearAttentionStep(state, qT, kT, vT, gamma));    // then token by token
 * ```
 */
export function linearAttentionWithState(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  decay: LinearAttentionDecay,
  options: LinearAttentionWithStateOptions = {},
): LinearAttentionResult {
  const op = 'linearAttentionWithState';
  const dims = checkLinearInputs(op, q, k, v);
  const { chunkSize, eps } = resolveOptions(op, options);
  const normalize = options.normalize ?? false;
  const gamma = decayTensor(op, q.backend, decay, dims.heads);
  const init = options.initialState ?? null;
  if (init) checkState(op, init, dims, normalize);
  const values = normalize ? withOnes(v) : v;
  const initial =
    init && normalize
      ? concat([init.S, reshape(init.z!, [dims.batch, dims.heads, dims.keyDim, 1])], 3)
      : (init?.S ?? null);
  const { output, state } = chunkedLinearAttention(q, k, values, gamma, chunkSize, initial);
  if (!normalize) return { output, state: { S: state, z: null } };
  const [numerator, normalizer] = splitLast(output, dims.valueDim);
  const [s, z] = splitLast(state, dims.valueDim);
  return { output: div(numerator, add(normalizer, eps)), state: { S: s, z: squeeze(z, [3]) } };
}
