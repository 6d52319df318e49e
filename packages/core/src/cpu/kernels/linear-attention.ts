/**
 * Linear attention with per-row decay (SUPRA, arXiv 2405.06640 eq. 4) as a recurrence over a float64
 * `Dk×Dv` state, and its backward pass. Both cost O(N·Dk·Dv) per row.
 *
 * Forward: `S_t = γ S_{t−1} + k_tᵀ v_t`, `out_t = q_t S_t`.
 * Backward (zero initial state): `∂L/∂q_t = g_t S_tᵀ` (the forward states, recomputed), and with the
 * reverse recurrence `G_t = q_tᵀ g_t + γ G_{t+1}` (the total gradient reaching `k_tᵀ v_t`),
 * `∂L/∂k_t = G_t v_tᵀ` and `∂L/∂v_t = k_t G_t`.
 * @packageDocumentation
 */
import type { TensorView } from '../../backend.js';
import { arrayOf } from '../buffer.js';

/**
 * Linear-attention forward. For each row r: `S_t = γ_r S_{t−1} + k_tᵀ v_t`, `out_t = q_t S_t`, with
 * `q, k: [R, N, Dk]`, `v: [R, N, Dv]`, `decay: [R]`, `initialState: [R, Dk, Dv]` or `null` (zeros),
 * `out: [R, N, Dv]` and `finalState: [R, Dk, Dv]` (the state after the last token) or `null`.
 */
export function linearAttention(
  q: TensorView,
  k: TensorView,
  v: TensorView,
  decay: TensorView,
  initialState: TensorView | null,
  out: TensorView,
  finalState: TensorView | null,
): void {
  const [R = 0, N = 0, Dk = 0] = q.shape;
  const Dv = v.shape[2] ?? 0;
  if (R === 0) return;
  const qd = arrayOf(q);
  const kd = arrayOf(k);
  const vd = arrayOf(v);
  const gammas = arrayOf(decay);
  const od = arrayOf(out);
  const init = initialState === null ? null : arrayOf(initialState);
  const fin = finalState === null ? null : arrayOf(finalState);
  const S = new Float64Array(Dk * Dv);
  const o = new Float64Array(Dv);
  const stateSize = Dk * Dv;
  for (let r = 0; r < R; r++) {
    const gamma = gammas[decay.offset + r]!;
    if (init !== null && initialState !== null) {
      const base = initialState.offset + r * stateSize;
      for (let e = 0; e < stateSize; e++) S[e] = init[base + e]!;
    } else {
      S.fill(0);
    }
    for (let t = 0; t < N; t++) {
      const qi = q.offset + (r * N + t) * Dk;
      const ki = k.offset + (r * N + t) * Dk;
      const vi = v.offset + (r * N + t) * Dv;
      o.fill(0);
      for (let a = 0; a < Dk; a++) {
        const ka = kd[ki + a]!;
        const qa = qd[qi + a]!;
        const row = a * Dv;
        for (let b = 0; b < Dv; b++) {
          const s = gamma * S[row + b]! + ka * vd[vi + b]!;
          S[row + b] = s;
          o[b]! += qa * s;
        }
      }
      const oi = out.offset + (r * N + t) * Dv;
      for (let b = 0; b < Dv; b++) od[oi + b] = o[b]!;
    }
    if (fin !== null && finalState !== null) {
      const base = finalState.offset + r * stateSize;
      for (let e = 0; e < stateSize; e++) fin[base + e] = S[e]!;
    }
  }
}

/**
 * Backward of {@link linearAttention} with a zero initial state. Given `gradOut: [R, N, Dv]` writes
 * `gradQ`, `gradK: [R, N, Dk]` and `gradV: [R, N, Dv]`. The decay receives no gradient.
 */
export function linearAttentionBackward(
  q: TensorView,
  k: TensorView,
  v: TensorView,
  decay: TensorView,
  gradOut: TensorView,
  gradQ: TensorView,
  gradK: TensorView,
  gradV: TensorView,
): void {
  const [R = 0, N = 0, Dk = 0] = q.shape;
  const Dv = v.shape[2] ?? 0;
  if (R === 0 || N === 0) return;
  const qd = arrayOf(q);
  const kd = arrayOf(k);
  const vd = arrayOf(v);
  const gammas = arrayOf(decay);
  const gd = arrayOf(gradOut);
  const gqd = arrayOf(gradQ);
  const gkd = arrayOf(gradK);
  const gvd = arrayOf(gradV);
  const S = new Float64Array(Dk * Dv);
  const gv = new Float64Array(Dv);
  for (let r = 0; r < R; r++) {
    const gamma = gammas[decay.offset + r]!;
    // Forward again for the states: ∂L/∂q_t[a] = Σ_b g_t[b] S_t[a, b].
    S.fill(0);
    for (let t = 0; t < N; t++) {
      const ki = k.offset + (r * N + t) * Dk;
      const vi = v.offset + (r * N + t) * Dv;
      const gi = gradOut.offset + (r * N + t) * Dv;
      const gqi = gradQ.offset + (r * N + t) * Dk;
      for (let a = 0; a < Dk; a++) {
        const ka = kd[ki + a]!;
        const row = a * Dv;
        let acc = 0;
        for (let b = 0; b < Dv; b++) {
          const s = gamma * S[row + b]! + ka * vd[vi + b]!;
          S[row + b] = s;
          acc += gd[gi + b]! * s;
        }
        gqd[gqi + a] = acc;
      }
    }
    // Reverse: G_t = q_tᵀ g_t + γ G_{t+1}; ∂L/∂k_t[a] = Σ_b G_t[a, b] v_t[b]; ∂L/∂v_t[b] = Σ_a k_t[a] G_t[a, b].
    const G = S;
    G.fill(0);
    for (let t = N - 1; t >= 0; t--) {
      const qi = q.offset + (r * N + t) * Dk;
      const ki = k.offset + (r * N + t) * Dk;
      const vi = v.offset + (r * N + t) * Dv;
      const gi = gradOut.offset + (r * N + t) * Dv;
      const gki = gradK.offset + (r * N + t) * Dk;
      gv.fill(0);
      for (let a = 0; a < Dk; a++) {
        const qa = qd[qi + a]!;
        const ka = kd[ki + a]!;
        const row = a * Dv;
        let acc = 0;
        for (let b = 0; b < Dv; b++) {
          const value = gamma * G[row + b]! + qa * gd[gi + b]!;
          G[row + b] = value;
          acc += value * vd[vi + b]!;
          gv[b]! += ka * value;
        }
        gkd[gki + a] = acc;
      }
      const gvi = gradV.offset + (r * N + t) * Dv;
      for (let b = 0; b < Dv; b++) gvd[gvi + b] = gv[b]!;
    }
  }
}
