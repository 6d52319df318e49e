/**
 * The Aaren attention scan (arXiv 2405.13956 §3) and its backward pass, sequentially per row in float64.
 *
 * Forward: a running state `(m, w, u)` (max score, denominator, numerator vector) absorbs one token at a
 * time, rescaling by `e^{m − m'}` when the max grows, so every exponent is ≤ 0 and nothing overflows.
 *
 * Backward: with `p_{k,i} = e^{s_i − m_k}/w_k` (i ≤ k) and `g_k = ∂L/∂out_k`,
 * `∂L/∂v_i = Σ_{k≥i} p_{k,i} g_k` and `∂L/∂s_i = v_i·(∂L/∂v_i) − Σ_{k≥i} p_{k,i} (g_k·out_k)`.
 * Both are reverse scans `R_i = e^{s_i − m_i}·acc_i` of accumulators kept relative to the current max,
 * `acc_i = X_i/w_i + e^{m_i − m_{i+1}}·acc_{i+1}`; since `m` never decreases along the row, every factor is
 * ≤ 1. Cost O(N·D) per row, no N×N matrix.
 * @packageDocumentation
 */
import type { TensorView } from '../../backend.js';
import { arrayOf } from '../buffer.js';

const NEG_INF = Number.NEGATIVE_INFINITY;

/**
 * Forward attention scan. For each row r of `scores: [R, N]` and `values: [R, N, D]` writes the prefix
 * outputs `out[r, k] = Σ_{i≤k} e^{s_i − m_k} v_i / w_k` (`[R, N, D]`), the running max `maxOut[r, k] = m_k`
 * and the running denominator `denomOut[r, k] = w_k` (both `[R, N]`). A score of −∞ masks its token; a
 * prefix with no unmasked token gives `out = 0`, `m = −∞`, `w = 0`.
 */
export function attentionScan(
  scores: TensorView,
  values: TensorView,
  out: TensorView,
  maxOut: TensorView,
  denomOut: TensorView,
): void {
  const [R = 0, N = 0, D = 0] = values.shape;
  if (R === 0 || N === 0) return;
  const sd = arrayOf(scores);
  const vd = arrayOf(values);
  const od = arrayOf(out);
  const md = arrayOf(maxOut);
  const wd = arrayOf(denomOut);
  const u = new Float64Array(D);
  for (let r = 0; r < R; r++) {
    u.fill(0);
    let m = NEG_INF;
    let w = 0;
    for (let k = 0; k < N; k++) {
      const s = sd[scores.offset + r * N + k]!;
      const vi = values.offset + (r * N + k) * D;
      const oi = out.offset + (r * N + k) * D;
      if (s !== NEG_INF) {
        const mNext = Math.max(s, m);
        // e^{m − m'} is 0 while the prefix is still empty (m = −∞); guard it to avoid −∞ − (−∞).
        const keep = m === NEG_INF ? 0 : Math.exp(m - mNext);
        const add = Math.exp(s - mNext);
        w = w * keep + add;
        for (let j = 0; j < D; j++) u[j] = u[j]! * keep + add * vd[vi + j]!;
        m = mNext;
      }
      md[maxOut.offset + r * N + k] = m;
      wd[denomOut.offset + r * N + k] = w;
      if (w > 0) {
        for (let j = 0; j < D; j++) od[oi + j] = u[j]! / w;
      } else {
        od.fill(0, oi, oi + D);
      }
    }
  }
}

/**
 * Backward of {@link attentionScan}. Given the forward inputs, its outputs (`out`, `maxOut`, `denomOut`) and
 * `gradOut: [R, N, D]`, writes `gradScores: [R, N]` and `gradValues: [R, N, D]` with reverse scans in
 * O(N·D) per row. Masked tokens (score −∞) and empty prefixes get zero gradients.
 */
export function attentionScanBackward(
  scores: TensorView,
  values: TensorView,
  out: TensorView,
  maxOut: TensorView,
  denomOut: TensorView,
  gradOut: TensorView,
  gradScores: TensorView,
  gradValues: TensorView,
): void {
  const [R = 0, N = 0, D = 0] = values.shape;
  if (R === 0 || N === 0) return;
  const sd = arrayOf(scores);
  const vd = arrayOf(values);
  const od = arrayOf(out);
  const md = arrayOf(maxOut);
  const wd = arrayOf(denomOut);
  const gd = arrayOf(gradOut);
  const gsd = arrayOf(gradScores);
  const gvd = arrayOf(gradValues);
  // accG_i = e^{m_i} Σ_{k≥i} g_k e^{−m_k}/w_k (vector); accC_i likewise with the scalar g_k·out_k.
  const accG = new Float64Array(D);
  for (let r = 0; r < R; r++) {
    accG.fill(0);
    let accC = 0;
    let mNext = NEG_INF;
    for (let k = N - 1; k >= 0; k--) {
      const row = r * N + k;
      const m = md[maxOut.offset + row]!;
      const w = wd[denomOut.offset + row]!;
      const vi = values.offset + row * D;
      const gi = gradOut.offset + row * D;
      const oi = out.offset + row * D;
      const gvi = gradValues.offset + row * D;
      if (m === NEG_INF || !(w > 0)) {
        // Empty prefix: every token up to k is masked, and out_k is the constant 0.
        accG.fill(0);
        accC = 0;
        mNext = NEG_INF;
        gsd[gradScores.offset + row] = 0;
        gvd.fill(0, gvi, gvi + D);
        continue;
      }
      const decay = mNext === NEG_INF ? 0 : Math.exp(m - mNext);
      const invW = 1 / w;
      let go = 0;
      for (let j = 0; j < D; j++) {
        const g = gd[gi + j]!;
        go += g * od[oi + j]!;
        accG[j] = accG[j]! * decay + g * invW;
      }
      accC = accC * decay + go * invW;
      mNext = m;
      const s = sd[scores.offset + row]!;
      if (s === NEG_INF) {
        gsd[gradScores.offset + row] = 0;
        gvd.fill(0, gvi, gvi + D);
        continue;
      }
      const e = Math.exp(s - m);
      let vg = 0;
      for (let j = 0; j < D; j++) {
        const a = accG[j]!;
        vg += vd[vi + j]! * a;
        gvd[gvi + j] = e * a;
      }
      gsd[gradScores.offset + row] = e * (vg - accC);
    }
  }
}
