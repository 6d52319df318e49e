/**
 * Attention scores of one query per head against every key: `s_i = q·k_i · scale` (scale `1/√d` by
 * default), with masked tokens set to `−∞`.
 * @packageDocumentation
 */
import { matmul, mul, reshape, type Tensor, where } from '@aaren/core';
import { AttentionShapeError } from './errors.js';
import { assertF32, assertSameBackend, checkMask, checkQuery, resolveScale } from './shapes.js';

/** Options of {@link attentionScores}. */
export interface AttentionScoresOptions {
  /** Padding mask `[B, N]` (f32 or i32): nonzero keeps token `i`, `0` masks it (its score becomes `−∞`). */
  readonly mask?: Tensor | null;
  /** Multiplier of `q·k_i`. Default `1/√d`. */
  readonly scale?: number;
}

/**
 * Scores `s[b, h, i] = q[h]·k[b, h, i] · scale` of a per-head query against keys, `−∞` where the mask is 0.
 * Differentiable in `q` and `k` (masked tokens get zero gradient).
 *
 * @param q - `[H, d]` (one query per head, shared by the batch, as Aaren learns it) or `[B, H, d]`
 * @param k - keys `[B, H, N, d]`
 * @returns `[B, H, N]`
 */
export function attentionScores(q: Tensor, k: Tensor, options: AttentionScoresOptions = {}): Tensor {
  const op = 'attentionScores';
  assertF32(op, 'k', k);
  if (k.rank !== 4) throw new AttentionShapeError(op, 'k', '[B, H, N, d]', [k.shape]);
  const [batch = 0, heads = 0, length = 0, dim = 0] = k.shape;
  checkQuery(op, q, batch, heads, dim);
  assertSameBackend(op, [
    ['k', k],
    ['q', q],
  ]);
  const scale = resolveScale(op, options.scale, dim);
  // [B, H, N, d] · [.., H, d, 1] → [B, H, N, 1]: one batched matrix-vector product per head.
  const column = reshape(q, q.rank === 2 ? [1, heads, dim, 1] : [batch, heads, dim, 1]);
  let scores = reshape(matmul(k, column), [batch, heads, length]);
  if (scale !== 1) scores = mul(scores, scale);
  const mask = options.mask;
  if (mask) {
    checkMask(op, 'options.mask', mask, [batch, length]);
    assertSameBackend(op, [
      ['k', k],
      ['options.mask', mask],
    ]);
    scores = where(reshape(mask, [batch, 1, length]), scores, Number.NEGATIVE_INFINITY);
  }
  return scores;
}
