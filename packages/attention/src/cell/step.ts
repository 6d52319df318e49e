/**
 * One step of the attention RNN cell (Aaren, arXiv 2405.13956 §3.1): absorb one token in O(1) time and
 * memory per head, with the monoid's rescaling so that every exponent stays `≤ 0`.
 * @packageDocumentation
 */
import { add, maximum, mul, noGrad, reshape, sum, type Tensor, where } from '@aaren/core';
import { expShifted, rescale } from '../safe-math.js';
import { assertSameBackend, checkMask, checkQuery, resolveScale } from '../shapes.js';
import { checkToken } from './shapes.js';
import { type AttentionCellState, checkCellState, expandLast, readoutCellState } from './state.js';

/** Options of {@link stepCell}. */
export interface AttentionCellStepOptions {
  /** `[B]` (f32 or i32): `0` skips this token for that batch element (its state is unchanged). */
  readonly mask?: Tensor | null;
  /** Multiplier of `q·k`. Default `1/√d`. */
  readonly scale?: number;
}

/** Result of {@link stepCell}. */
export interface AttentionCellStepResult {
  /** The state after the token. */
  readonly state: AttentionCellState;
  /** Attention output `o = u / w` over every token seen so far, `[B, H, dv]`; `0` while none is unmasked. */
  readonly output: Tensor;
}

/**
 * Absorbs one token `(k, v)` into the state with the RNN update of §3.1 written on `(m, u, w)`:
 *
 * `s = q·k · scale`, `m' = max(m, s)`, `u' = u·e^{m − m'} + v·e^{s − m'}`, `w' = w·e^{m − m'} + e^{s − m'}`,
 * `o = u' / w'`.
 *
 * Cost O(H·(d + dv)) per batch element whatever the number of tokens seen. Differentiable in `q`, `k`, `v`
 * and the state's `u`, `w`; equal to quadratic softmax attention over the prefix.
 *
 * @param state - the state after the previous tokens (from {@link initCellState} at the start)
 * @param q - per-head query `[H, d]` or `[B, H, d]`
 * @param k - the token's key `[B, H, d]`
 * @param v - the token's value `[B, H, dv]`
 *
 * @example
 * ```ts
 * let state = attentionCell.init(cpu, { batch: 1, heads: 1, dim: 1 });
 * for (const [k, v] of tokens) ({ state, output } = attentionCell.step(state, q, k, v));
 * ```
 */
export function stepCell(
  state: AttentionCellState,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: AttentionCellStepOptions = {},
): AttentionCellStepResult {
  const op = 'attentionCell.step';
  const { batch, heads, dim } = checkCellState(op, state);
  const d = checkToken(op, k, v, batch, heads, dim);
  checkQuery(op, q, batch, heads, d);
  assertSameBackend(op, [
    ['state.u', state.u],
    ['q', q],
    ['k', k],
    ['v', v],
  ]);
  const scale = resolveScale(op, options.scale, d);
  let s = sum(mul(k, q), -1);
  if (scale !== 1) s = mul(s, scale);
  if (options.mask) {
    checkMask(op, 'options.mask', options.mask, [batch]);
    s = where(reshape(options.mask, [batch, 1]), s, Number.NEGATIVE_INFINITY);
  }
  const m = noGrad(() => maximum(state.m, s));
  const keep = rescale(state.m, m);
  const weight = expShifted(s, m);
  const w = add(mul(state.w, keep), weight);
  const u = add(mul(state.u, expandLast(keep)), mul(v, expandLast(weight)));
  const next = { m, u, w };
  return { state: next, output: readoutCellState(next) };
}
