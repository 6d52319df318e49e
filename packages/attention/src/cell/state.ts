/**
 * The state of the attention RNN cell (Aaren, arXiv 2405.13956 §3.1): `(m, u, w)` per batch element and
 * head, its initial value and its readout `o = u / w`.
 * @packageDocumentation
 */
import { type Backend, full, reshape, type Tensor, zeros } from '@aaren/core';
import { AttentionShapeError } from '../errors.js';
import { divPositive } from '../safe-math.js';
import { assertPositiveInteger } from '../shapes.js';

/**
 * State of the attention cell after some prefix of tokens, per batch element `b` and head `h`:
 * - `m: [B, H]`: running max of the scores; `−∞` before the first unmasked token. A constant of autograd
 *   (outputs do not depend on it mathematically; it only keeps every exponent `≤ 0`).
 * - `u: [B, H, dv]`: running numerator `Σ_i e^{s_i − m} v_i` (the paper's `a_k`, §3.1).
 * - `w: [B, H]`: running denominator `Σ_i e^{s_i − m}` (the paper's `c_k`, §3.1); `0` before the first token.
 *
 * Its size does not depend on the number of tokens seen: O(1) memory per head.
 */
export interface AttentionCellState {
  /** Running max `[B, H]`. */
  readonly m: Tensor;
  /** Running numerator `[B, H, dv]`. */
  readonly u: Tensor;
  /** Running denominator `[B, H]`. */
  readonly w: Tensor;
}

/** Extents of an {@link AttentionCellState}. */
export interface AttentionCellDims {
  /** Batch size `B`. */
  readonly batch: number;
  /** Number of heads `H`. */
  readonly heads: number;
  /** Value dimension `dv` (length of `u` and of the outputs). */
  readonly dim: number;
}

/**
 * The empty state (the monoid identity): `m = −∞`, `u = 0`, `w = 0`. Starting from `m = −∞` (not `0`) is what
 * keeps very negative scores from underflowing to a `0/0` output.
 *
 * @example
 * ```ts
 * const state = attentionCell.init(cpuBackend(), { batch: 2, heads: 4, dim: 16 });
 * ```
 */
export function initCellState(backend: Backend, dims: AttentionCellDims): AttentionCellState {
  assertPositiveInteger('attentionCell.init', 'dims.batch', dims.batch);
  assertPositiveInteger('attentionCell.init', 'dims.heads', dims.heads);
  assertPositiveInteger('attentionCell.init', 'dims.dim', dims.dim);
  return {
    m: full(backend, [dims.batch, dims.heads], Number.NEGATIVE_INFINITY),
    u: zeros(backend, [dims.batch, dims.heads, dims.dim]),
    w: zeros(backend, [dims.batch, dims.heads]),
  };
}

/**
 * The attention output `o = u / w` of a state, `[B, H, dv]`; `0` where no unmasked token was seen yet
 * (`w = 0`). Differentiable.
 */
export function readoutCellState(state: AttentionCellState): Tensor {
  return divPositive(state.u, expandLast(state.w));
}

/** `x: [B, H]` as `[B, H, 1]` (a differentiable view). @internal */
export function expandLast(x: Tensor): Tensor {
  return reshape(x, [...x.shape, 1]);
}

/** Checks that `state` holds `[B, H]`, `[B, H, dv]`, `[B, H]` tensors and returns `{ batch, heads, dim }`. */
export function checkCellState(op: string, state: AttentionCellState): AttentionCellDims {
  const { m, u, w } = state;
  const [batch = 0, heads = 0, dim = 0] = u.shape;
  const ok =
    u.rank === 3 &&
    m.rank === 2 &&
    w.rank === 2 &&
    m.shape[0] === batch &&
    m.shape[1] === heads &&
    w.shape[0] === batch &&
    w.shape[1] === heads;
  if (!ok) {
    throw new AttentionShapeError(op, 'state', '{ m: [B, H], u: [B, H, dv], w: [B, H] }', [
      m.shape,
      u.shape,
      w.shape,
    ]);
  }
  return { batch, heads, dim };
}
