/**
 * Float64 reference of `attentionScan` and `attentionScanBackward`: quadratic causal softmax attention,
 * computed separately for every prefix (no scan, no monoid).
 * @packageDocumentation
 */

/** Every prefix output, running max and running denominator of one scan row. */
export interface AttentionScanResult {
  /** `[R, N, D]`: `out[r, k] = Σ_{i≤k} softmax_{i≤k}(s)_i · v_i`, 0 for a fully masked prefix. */
  readonly out: Float64Array;
  /** `[R, N]`: `m_k = max_{i≤k} s_i` (−∞ for a fully masked prefix). */
  readonly max: Float64Array;
  /** `[R, N]`: `w_k = Σ_{i≤k} e^{s_i − m_k}` (0 for a fully masked prefix). */
  readonly denom: Float64Array;
}

/** Quadratic reference of the attention scan for `scores: [R, N]`, `values: [R, N, D]`. */
export function attentionScanReference(
  scores: ArrayLike<number>,
  values: ArrayLike<number>,
  rows: number,
  n: number,
  d: number,
): AttentionScanResult {
  const out = new Float64Array(rows * n * d);
  const max = new Float64Array(rows * n);
  const denom = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < n; k++) {
      let m = -Infinity;
      for (let i = 0; i <= k; i++) m = Math.max(m, scores[r * n + i]!);
      max[r * n + k] = m;
      if (m === -Infinity) continue; // fully masked prefix: out 0, w 0
      let w = 0;
      for (let i = 0; i <= k; i++) w += Math.exp(scores[r * n + i]! - m);
      denom[r * n + k] = w;
      for (let e = 0; e < d; e++) {
        let u = 0;
        for (let i = 0; i <= k; i++) u += Math.exp(scores[r * n + i]! - m) * values[(r * n + i) * d + e]!;
        out[(r * n + k) * d + e] = u / w;
      }
    }
  }
  return { out, max, denom };
}

/**
 * Analytic gradient of the quadratic attention above, with `p_{k,i} = e^{s_i − m_k} / w_k` for i ≤ k:
 * `dL/dv_i = Σ_{k≥i} p_{k,i} g_k` and `dL/ds_i = Σ_{k≥i} p_{k,i} (g_k·v_i − g_k·o_k)`.
 * Masked tokens and fully masked prefixes contribute nothing.
 */
export function attentionScanBackwardReference(
  scores: ArrayLike<number>,
  values: ArrayLike<number>,
  gradOut: ArrayLike<number>,
  rows: number,
  n: number,
  d: number,
): { gradScores: Float64Array; gradValues: Float64Array } {
  const forward = attentionScanReference(scores, values, rows, n, d);
  const gradScores = new Float64Array(rows * n);
  const gradValues = new Float64Array(rows * n * d);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      const s = scores[r * n + i]!;
      if (s === -Infinity) continue;
      for (let k = i; k < n; k++) {
        const m = forward.max[r * n + k]!;
        const p = Math.exp(s - m) / forward.denom[r * n + k]!;
        let gv = 0;
        let go = 0;
        for (let e = 0; e < d; e++) {
          const g = gradOut[(r * n + k) * d + e]!;
          gradValues[(r * n + i) * d + e]! += p * g;
          gv += g * values[(r * n + i) * d + e]!;
          go += g * forward.out[(r * n + k) * d + e]!;
        }
        gradScores[r * n + i]! += p * (gv - go);
      }
    }
  }
  return { gradScores, gradValues };
}
