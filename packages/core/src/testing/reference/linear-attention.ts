/**
 * Float64 reference of `linearAttention` and `linearAttentionBackward` in closed (quadratic) form:
 * `S_t = γ S_{t−1} + k_tᵀ v_t` unrolled to `S_t = γ^{t+1} S_init + Σ_{j≤t} γ^{t−j} k_jᵀ v_j`.
 * @packageDocumentation
 */

/** Sizes of a linear-attention problem: `q, k: [R, N, Dk]`, `v: [R, N, Dv]`, state `[R, Dk, Dv]`. */
export interface LinearAttentionProblem {
  readonly rows: number;
  readonly n: number;
  readonly dk: number;
  readonly dv: number;
}

/**
 * `out_t = γ^{t+1} q_t S_init + Σ_{j≤t} γ^{t−j} (q_t·k_j) v_j` and
 * `finalState = γ^N S_init + Σ_j γ^{N−1−j} k_jᵀ v_j` (= `S_init` when N = 0). `initialState` null is zeros.
 */
export function linearAttentionReference(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  decay: ArrayLike<number>,
  initialState: ArrayLike<number> | null,
  p: LinearAttentionProblem,
): { out: Float64Array; finalState: Float64Array } {
  const { rows, n, dk, dv } = p;
  const out = new Float64Array(rows * n * dv);
  const finalState = new Float64Array(rows * dk * dv);
  for (let r = 0; r < rows; r++) {
    const gamma = decay[r]!;
    for (let t = 0; t < n; t++) {
      for (let e = 0; e < dv; e++) {
        let sum = 0;
        if (initialState) {
          for (let a = 0; a < dk; a++) {
            sum += gamma ** (t + 1) * q[(r * n + t) * dk + a]! * initialState[(r * dk + a) * dv + e]!;
          }
        }
        for (let j = 0; j <= t; j++) {
          let qk = 0;
          for (let a = 0; a < dk; a++) qk += q[(r * n + t) * dk + a]! * k[(r * n + j) * dk + a]!;
          sum += gamma ** (t - j) * qk * v[(r * n + j) * dv + e]!;
        }
        out[(r * n + t) * dv + e] = sum;
      }
    }
    for (let a = 0; a < dk; a++) {
      for (let e = 0; e < dv; e++) {
        let s = initialState ? gamma ** n * initialState[(r * dk + a) * dv + e]! : 0;
        for (let j = 0; j < n; j++)
          s += gamma ** (n - 1 - j) * k[(r * n + j) * dk + a]! * v[(r * n + j) * dv + e]!;
        finalState[(r * dk + a) * dv + e] = s;
      }
    }
  }
  return { out, finalState };
}

/**
 * Gradients of `L = Σ_t g_t·out_t` for zero initial state, from `out_t = Σ_{j≤t} γ^{t−j} (q_t·k_j) v_j`:
 * `dq_t = Σ_{j≤t} γ^{t−j} (g_t·v_j) k_j`, `dk_j = Σ_{t≥j} γ^{t−j} (g_t·v_j) q_t`,
 * `dv_j = Σ_{t≥j} γ^{t−j} (q_t·k_j) g_t`.
 */
export function linearAttentionBackwardReference(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  decay: ArrayLike<number>,
  gradOut: ArrayLike<number>,
  p: LinearAttentionProblem,
): { gradQ: Float64Array; gradK: Float64Array; gradV: Float64Array } {
  const { rows, n, dk, dv } = p;
  const gradQ = new Float64Array(rows * n * dk);
  const gradK = new Float64Array(rows * n * dk);
  const gradV = new Float64Array(rows * n * dv);
  for (let r = 0; r < rows; r++) {
    const gamma = decay[r]!;
    for (let t = 0; t < n; t++) {
      for (let j = 0; j <= t; j++) {
        const w = gamma ** (t - j);
        let gv = 0; // g_t · v_j
        for (let e = 0; e < dv; e++) gv += gradOut[(r * n + t) * dv + e]! * v[(r * n + j) * dv + e]!;
        let qk = 0; // q_t · k_j
        for (let a = 0; a < dk; a++) qk += q[(r * n + t) * dk + a]! * k[(r * n + j) * dk + a]!;
        for (let a = 0; a < dk; a++) {
          gradQ[(r * n + t) * dk + a]! += w * gv * k[(r * n + j) * dk + a]!;
          gradK[(r * n + j) * dk + a]! += w * gv * q[(r * n + t) * dk + a]!;
        }
        for (let e = 0; e < dv; e++) gradV[(r * n + j) * dv + e]! += w * qk * gradOut[(r * n + t) * dv + e]!;
      }
    }
  }
  return { gradQ, gradK, gradV };
}
