/**
 * Quadratic causal softmax attention written plainly with core ops: the oracle the scan forms are tested
 * against, and the baseline of the benchmarks. O(N²) work and memory per head.
 * @packageDocumentation
 */
import { arange, expandDims, greaterEqual, matmul, reshape, softmax, type Tensor, where } from '@aaren/core';
import type { AttentionScanOptions } from './attention-scan.js';
import { attentionScores } from './scores.js';
import { checkKeysValues, checkQuery } from './shapes.js';

/**
 * Causal softmax attention of one query per head, materialising the `N × N` score matrix:
 * `P[k, i] = softmax_{i ≤ k, mask_i = 1}(s_i)`, `out_k = Σ_i P[k, i] v_i` with `s_i = q·k_i · scale`. Rows with no
 * allowed token output `0` (the softmax of an all-`−∞` row is 0). Differentiable through core ops
 * (autograd), so it checks the hand-derived backward of {@link attentionScan}.
 *
 * @param q - `[H, d]` or `[B, H, d]`
 * @param k - `[B, H, N, d]`
 * @param v - `[B, H, N, dv]`
 * @returns `[B, H, N, dv]`
 */
export function quadraticAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: AttentionScanOptions = {},
): Tensor {
  const dims = checkKeysValues('quadraticAttention', k, v);
  checkQuery('quadraticAttention', q, dims.batch, dims.heads, dims.dim);
  const n = dims.length;
  const scores = attentionScores(q, k, options);
  const positions = arange(k.backend, 0, n);
  const causal = greaterEqual(reshape(positions, [n, 1]), reshape(positions, [1, n]));
  // [B, H, 1, N] broadcast against the [N, N] causal mask: row k sees tokens i ≤ k.
  const matrix = where(causal, expandDims(scores, 2), Number.NEGATIVE_INFINITY);
  return matmul(softmax(matrix, -1), v);
}
