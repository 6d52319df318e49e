/**
 * A lean attention-cell update for unmasked tokens, used by {@link AarenStack.step}.
 * @packageDocumentation
 */
import type { AttentionCellState } from '@aaren/attention';
import { add, div, exp, maximum, mul, reshape, sub, sum, type Tensor } from '@aaren/core';

/**
 * One token into the attention cell state when the token is not masked and the query is pre-scaled
 * (`q·scale`): `s = q·k`, `m' = max(m, s)`, `u' = u·e^{m−m'} + v·e^{s−m'}`, `w' = w·e^{m−m'} + e^{s−m'}`,
 * output `u'/w'`. Same result as `attentionCell.step` (which also handles masks and all-masked prefixes)
 * with about half the intermediate tensors: `s` is finite, so `m'` is finite and `e^{m−m'}` is `0` for the
 * empty state (`m = −∞`) without special cases, and `w' ≥ 1`.
 * @param q - pre-scaled queries `[H, d]`
 * @param k - key `[B, H, d]`
 * @param v - value `[B, H, dv]`
 */
export function unmaskedCellStep(
  state: AttentionCellState,
  q: Tensor,
  k: Tensor,
  v: Tensor,
): { state: AttentionCellState; output: Tensor } {
  const [b = 0, h = 0] = k.shape;
  const s = sum(mul(k, q), -1);
  const m = maximum(state.m, s);
  const keep = exp(sub(state.m, m));
  const weight = exp(sub(s, m));
  const w = add(mul(state.w, keep), weight);
  const column = (t: Tensor) => reshape(t, [b, h, 1]);
  const u = add(mul(state.u, column(keep)), mul(v, column(weight)));
  return { state: { m, u, w }, output: div(u, column(w)) };
}
