/**
 * Many-to-many softmax attention as a parallel scan (Aaren, arXiv 2405.13956 §3.2): every prefix output
 * `o_k = u_k / w_k` for a per-head query, with batch and head axes, padding masks and a custom scale.
 * @packageDocumentation
 */
import type { Tensor } from '@aaren/core';
import { attentionScanFromScores } from './scan-primitive.js';
import { attentionScores } from './scores.js';
import { checkKeysValues, checkQuery } from './shapes.js';

/** Options of {@link attentionScan} (and of the blockwise form and the quadratic reference). */
export interface AttentionScanOptions {
  /**
   * Padding mask `[B, N]` (f32 or i32): nonzero keeps token `i`, `0` masks it for every later query, so
   * sequences of different lengths share one batch. Output `k` attends to the unmasked tokens `i ≤ k`; a
   * prefix with no unmasked token outputs `0` (so left padding gives zeros and right padding repeats the
   * last real output).
   */
  readonly mask?: Tensor | null;
  /** Multiplier of `q·k_i` in the scores. Default `1/√d`. */
  readonly scale?: number;
}

/**
 * Softmax attention of one query per head over every prefix of the sequence, computed as a scan of the
 * attention monoid on `(m, u, w)`:
 *
 * `s_i = q·k_i · scale`, `m_k = max_{i≤k} s_i`, `u_k = Σ_{i≤k} e^{s_i − m_k} v_i`, `w_k = Σ_{i≤k} e^{s_i − m_k}`,
 * `out_k = u_k / w_k = Σ_{i≤k} softmax(s_{1..k})_i v_i`.
 *
 * Work and memory O(B·H·N·(d + dv)); equal to quadratic causal softmax attention (see
 * {@link quadraticAttention}). Differentiable in `q`, `k` and `v` (the scan's backward is a reverse scan).
 * Stable for scores of any finite magnitude.
 *
 * @param q - per-head query `[H, d]` (shared by the batch) or `[B, H, d]`
 * @param k - keys `[B, H, N, d]`
 * @param v - values `[B, H, N, dv]`
 * @returns `[B, H, N, dv]`
 *
 * @example
 * ```ts
 * const cpu = cpuBackend();
 * const q = tensor(cpu, [[1, 0]]);                       // H = 1, d = 2
 * const k = tensor(cpu, [[[[1, 0], [0, 1], [2, 0]]]]);     // B = 1, H = 1, N = 3
 * const v = tensor(cpu, [[[[1], [2], [3]]]]);
 * const out = attentionScan(q, k, v, { scale: 1 });       // [1, 1, 3, 1]: o_1, o_2, o_3
 * ```
 */
export function attentionScan(q: Tensor, k: Tensor, v: Tensor, options: AttentionScanOptions = {}): Tensor {
  const dims = checkKeysValues('attentionScan', k, v);
  checkQuery('attentionScan', q, dims.batch, dims.heads, dims.dim);
  const scores = attentionScores(q, k, options);
  return attentionScanFromScores(scores, v);
}
