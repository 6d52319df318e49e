import { describe, expect, it } from 'vitest';
import { expectClose, Harness, randomArray, rng } from '../__fixtures__/harness.js';

/**
 * Naive quadratic float64 reference for one row: `o_t = Σ_{j≤t} γ^{t−j} (q_t·k_j) v_j + γ^{t+1} q_t S₀`,
 * and the final state `S = γ^N S₀ + Σ_j γ^{N−1−j} k_jᵀ v_j`.
 */
function naive(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  gamma: number,
  init: ArrayLike<number> | null,
  N: number,
  Dk: number,
  Dv: number,
) {
  const out = new Float64Array(N * Dv);
  for (let t = 0; t < N; t++) {
    for (let j = 0; j <= t; j++) {
      let dot = 0;
      for (let a = 0; a < Dk; a++) dot += q[t * Dk + a]! * k[j * Dk + a]!;
      const c = gamma ** (t - j) * dot;
      for (let b = 0; b < Dv; b++) out[t * Dv + b]! += c * v[j * Dv + b]!;
    }
    if (init !== null) {
      for (let a = 0; a < Dk; a++) {
        for (let b = 0; b < Dv; b++)
          out[t * Dv + b]! += gamma ** (t + 1) * q[t * Dk + a]! * init[a * Dv + b]!;
      }
    }
  }
  const state = new Float64Array(Dk * Dv);
  for (let a = 0; a < Dk; a++) {
    for (let b = 0; b < Dv; b++) {
      let s = init === null ? 0 : gamma ** N * init[a * Dv + b]!;
      for (let j = 0; j < N; j++) s += gamma ** (N - 1 - j) * k[j * Dk + a]! * v[j * Dv + b]!;
      state[a * Dv + b] = s;
    }
  }
  return { out, state };
}

describe('cpu linearAttention', () => {
  it('matches the quadratic form with per-row decay, an initial state and the final state', () => {
    const random = rng(41);
    const R = 3;
    const N = 13;
    const Dk = 4;
    const Dv = 5;
    const qd = randomArray(random, R * N * Dk);
    const kd = randomArray(random, R * N * Dk);
    const vd = randomArray(random, R * N * Dv);
    const gammas = Float32Array.from([1, 0.9, 0.5]);
    const initData = randomArray(random, R * Dk * Dv);
    for (const withInit of [false, true]) {
      const h = new Harness();
      const out = h.output([R, N, Dv]);
      const fin = h.output([R, Dk, Dv]);
      h.backend.kernels.linearAttention(
        h.input(qd, [R, N, Dk]),
        h.input(kd, [R, N, Dk]),
        h.input(vd, [R, N, Dv]),
        h.input(gammas, [R]),
        withInit ? h.input(initData, [R, Dk, Dv]) : null,
        out,
        fin,
      );
      const outs = h.read(out);
      const states = h.read(fin);
      for (let r = 0; r < R; r++) {
        const ref = naive(
          qd.subarray(r * N * Dk, (r + 1) * N * Dk),
          kd.subarray(r * N * Dk, (r + 1) * N * Dk),
          vd.subarray(r * N * Dv, (r + 1) * N * Dv),
          gammas[r]!,
          withInit ? initData.subarray(r * Dk * Dv, (r + 1) * Dk * Dv) : null,
          N,
          Dk,
          Dv,
        );
        expectClose(outs.subarray(r * N * Dv, (r + 1) * N * Dv), ref.out, 1e-5, 1e-5);
        expectClose(states.subarray(r * Dk * Dv, (r + 1) * Dk * Dv), ref.state, 1e-5, 1e-5);
      }
    }
  });

  it('copies the initial state to the final state when N = 0', () => {
    const h = new Harness();
    const fin = h.output([1, 1, 2]);
    h.backend.kernels.linearAttention(
      h.input([], [1, 0, 1]),
      h.input([], [1, 0, 1]),
      h.input([], [1, 0, 2]),
      h.input([0.5], [1]),
      h.input([3, 4], [1, 1, 2]),
      h.output([1, 0, 2]),
      fin,
    );
    expect(Array.from(h.read(fin))).toEqual([3, 4]);
  });

  it('backward matches central finite differences of the float64 reference', () => {
    const random = rng(42);
    const R = 2;
    const N = 7;
    const Dk = 3;
    const Dv = 4;
    const qd = randomArray(random, R * N * Dk);
    const kd = randomArray(random, R * N * Dk);
    const vd = randomArray(random, R * N * Dv);
    const gd = randomArray(random, R * N * Dv);
    const gammas = Float32Array.from([0.8, 1]);
    const h = new Harness();
    const gq = h.output([R, N, Dk]);
    const gk = h.output([R, N, Dk]);
    const gv = h.output([R, N, Dv]);
    // Offset inputs to check that offsets are honoured.
    const shifted = (data: Float32Array, shape: number[]) => {
      const buf = new Float32Array(data.length + 2);
      buf.set(data, 2);
      return h.input(buf, shape, { offset: 2, strides: [shape[1]! * shape[2]!, shape[2]!, 1] });
    };
    h.backend.kernels.linearAttentionBackward(
      shifted(qd, [R, N, Dk]),
      shifted(kd, [R, N, Dk]),
      shifted(vd, [R, N, Dv]),
      h.input(gammas, [R]),
      shifted(gd, [R, N, Dv]),
      gq,
      gk,
      gv,
    );
    const loss = (q: Float64Array, k: Float64Array, v: Float64Array, r: number) => {
      const { out } = naive(q, k, v, gammas[r]!, null, N, Dk, Dv);
      let l = 0;
      for (let i = 0; i < out.length; i++) l += out[i]! * gd[r * N * Dv + i]!;
      return l;
    };
    const eps = 1e-6;
    const numeric = (r: number, which: 0 | 1 | 2) => {
      const args = [
        Float64Array.from(qd.subarray(r * N * Dk, (r + 1) * N * Dk)),
        Float64Array.from(kd.subarray(r * N * Dk, (r + 1) * N * Dk)),
        Float64Array.from(vd.subarray(r * N * Dv, (r + 1) * N * Dv)),
      ] as const;
      const target = args[which];
      const grad = new Float64Array(target.length);
      for (let i = 0; i < target.length; i++) {
        const x = target[i]!;
        target[i] = x + eps;
        const up = loss(...args, r);
        target[i] = x - eps;
        const down = loss(...args, r);
        target[i] = x;
        grad[i] = (up - down) / (2 * eps);
      }
      return grad;
    };
    for (let r = 0; r < R; r++) {
      expectClose(h.read(gq).subarray(r * N * Dk, (r + 1) * N * Dk), numeric(r, 0), 1e-4, 1e-5);
      expectClose(h.read(gk).subarray(r * N * Dk, (r + 1) * N * Dk), numeric(r, 1), 1e-4, 1e-5);
      expectClose(h.read(gv).subarray(r * N * Dv, (r + 1) * N * Dv), numeric(r, 2), 1e-4, 1e-5);
    }
  });
});
