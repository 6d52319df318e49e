/**
 * A block of tokens through the attention RNN cell at once: the state is carried into a scan over the
 * block (arXiv 2405.13956 §3.2) and updated with the block's contribution. O(b) memory for b tokens.
 * @packageDocumentation
 */
import {
  add,
  concat,
  matmul,
  max,
  maximum,
  mul,
  noGrad,
  reshape,
  slice,
  sub,
  sum,
  type Tensor,
  where,
  zeros,
} from '@aaren/core';
import { AttentionShapeError } from '../errors.js';
import { aboveNegInf, expShifted, logPositive, rescale } from '../safe-math.js';
import { attentionScanFromScores } from '../scan-primitive.js';
import { attentionScores } from '../scores.js';
import { checkKeysValues, checkMask, checkQuery } from '../shapes.js';
import { type AttentionCellState, checkCellState, expandLast, readoutCellState } from './state.js';

/** Options of {@link blockCell}. */
export interface AttentionCellBlockOptions {
  /** `[B, b]` (f32 or i32): nonzero keeps token `i` of the block, `0` skips it for that batch element. */
  readonly mask?: Tensor | null;
  /** Multiplier of `q·k`. Default `1/√d`. */
  readonly scale?: number;
}

/** Result of {@link blockCell}. */
export interface AttentionCellBlockResult {
  /** The state after the whole block. */
  readonly state: AttentionCellState;
  /** The output after every token of the block, `[B, H, b, dv]` (over the whole prefix, not just the block). */
  readonly outputs: Tensor;
}

/**
 * Absorbs a block of `b` tokens into the state and returns the output after each of them; equal to `b`
 * calls of {@link stepCell} (and to quadratic softmax attention for every prefix).
 *
 * How: the carried state `(m, u, w)` acts as one extra token placed before the block, with score `log w` and
 * value `u / w`, after shifting the block's scores by `m` (softmax is shift-invariant, and `m` is the
 * state's own reference, so nothing is rounded at large `|m|`). One scan over the `b + 1` tokens gives every
 * output; the new state is `m' = max(m, max_i s_i)`, `w' = w·e^{m − m'} + Σ_i e^{s_i − m'}`,
 * `u' = u·e^{m − m'} + Σ_i e^{s_i − m'} v_i`. Differentiable in `q`, keys, values and the state's `u`, `w`.
 *
 * @param state - the state after the previous tokens
 * @param q - per-head query `[H, d]` or `[B, H, d]`
 * @param kBlock - keys `[B, H, b, d]`
 * @param vBlock - values `[B, H, b, dv]`
 */
export function blockCell(
  state: AttentionCellState,
  q: Tensor,
  kBlock: Tensor,
  vBlock: Tensor,
  options: AttentionCellBlockOptions = {},
): AttentionCellBlockResult {
  const op = 'attentionCell.block';
  const { batch, heads, dim } = checkCellState(op, state);
  const dims = checkKeysValues(op, kBlock, vBlock, 'kBlock', 'vBlock');
  if (dims.batch !== batch || dims.heads !== heads || dims.valueDim !== dim) {
    throw new AttentionShapeError(op, 'vBlock', `[B, H, b, dv] = [${batch}, ${heads}, b, ${dim}]`, [
      vBlock.shape,
      state.u.shape,
    ]);
  }
  checkQuery(op, q, batch, heads, dims.dim);
  if (options.mask) checkMask(op, 'options.mask', options.mask, [batch, dims.length]);
  const b = dims.length;
  if (b === 0) return { state, outputs: zeros(vBlock.backend, [batch, heads, 0, dim]) };
  const scores = attentionScores(q, kBlock, options);

  // Outputs: scan [carried state as one token, block tokens], all scores relative to ref = m (0 if empty).
  const ref = noGrad(() => where(aboveNegInf(state.m), state.m, 0));
  const carriedScore = reshape(logPositive(state.w), [batch, heads, 1]);
  const carriedValue = reshape(readoutCellState(state), [batch, heads, 1, dim]);
  const shifted = sub(scores, expandLast(ref));
  const scanned = attentionScanFromScores(
    concat([carriedScore, shifted], 2),
    concat([carriedValue, vBlock], 2),
  );
  const outputs = slice(scanned, [0, 0, 1, 0], [batch, heads, b, dim]);

  // New state, with the block's max as the new reference.
  const m = noGrad(() => maximum(state.m, max(scores, -1)));
  const keep = rescale(state.m, m);
  const weights = expShifted(scores, expandLast(m));
  const w = add(mul(state.w, keep), sum(weights, -1));
  const blockU = reshape(matmul(reshape(weights, [batch, heads, 1, b]), vBlock), [batch, heads, dim]);
  const u = add(mul(state.u, expandLast(keep)), blockU);
  return { state: { m, u, w }, outputs };
}
