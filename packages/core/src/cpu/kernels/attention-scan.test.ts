import { describe, expect, it } from 'vitest';
import { expectClose, Harness, randomArray, rng } from '../__fixtures__/harness.js';

/** Quadratic float64 reference: softmax attention over every prefix, one row. */
function prefixAttention(s: ArrayLike<number>, v: ArrayLike<number>, N: number, D: number) {
  const out = new Float64Array(N * D);
  const max = new Float64Array(N);
  const denom = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let i = 0; i <= k; i++) m = Math.max(m, s[i]!);
    max[k] = m;
    if (m === Number.NEGATIVE_INFINITY) continue;
    let w = 0;
    for (let i = 0; i <= k; i++) w += Math.exp(s[i]! - m);
    denom[k] = w;
    for (let i = 0; i <= k; i++) {
      const p = Math.exp(s[i]! - m) / w;
      for (let j = 0; j < D; j++) out[k * D + j]! += p * v[i * D + j]!;
    }
  }
  return { out, max, denom };
}

/** Analytic gradient of `L = Σ_k g_k·out_k` for the quadratic reference, computed naively (O(N²·D)). */
function prefixAttentionGrad(
  s: ArrayLike<number>,
  v: ArrayLike<number>,
  g: ArrayLike<number>,
  N: number,
  D: number,
) {
  const { out, max, denom } = prefixAttention(s, v, N, D);
  const gs = new Float64Array(N);
  const gv = new Float64Array(N * D);
  for (let k = 0; k < N; k++) {
    if (max[k] === Number.NEGATIVE_INFINITY) continue;
    for (let i = 0; i <= k; i++) {
      const p = Math.exp(s[i]! - max[k]!) / denom[k]!;
      let dot = 0;
      for (let j = 0; j < D; j++) {
        gv[i * D + j]! += p * g[k * D + j]!;
        dot += g[k * D + j]! * (v[i * D + j]! - out[k * D + j]!);
      }
      gs[i]! += p * dot;
    }
  }
  return { gs, gv };
}

/** Runs the forward kernel on `R` rows. */
function scan(
  h: Harness,
  scores: ArrayLike<number>,
  values: ArrayLike<number>,
  R: number,
  N: number,
  D: number,
) {
  const s = h.input(scores, [R, N]);
  const v = h.input(values, [R, N, D]);
  const out = h.output([R, N, D]);
  const maxOut = h.output([R, N]);
  const denomOut = h.output([R, N]);
  h.backend.kernels.attentionScan(s, v, out, maxOut, denomOut);
  return { s, v, out, maxOut, denomOut };
}

function checkForward(scores: Float32Array, values: Float32Array, R: number, N: number, D: number) {
  const h = new Harness();
  const { out, maxOut, denomOut } = scan(h, scores, values, R, N, D);
  const outs = h.read(out);
  const maxes = h.read(maxOut);
  const denoms = h.read(denomOut);
  for (let r = 0; r < R; r++) {
    const ref = prefixAttention(
      scores.subarray(r * N, (r + 1) * N),
      values.subarray(r * N * D, (r + 1) * N * D),
      N,
      D,
    );
    expectClose(outs.subarray(r * N * D, (r + 1) * N * D), ref.out, 1e-5, 1e-6);
    expectClose(maxes.subarray(r * N, (r + 1) * N), ref.max, 0, 0);
    expectClose(denoms.subarray(r * N, (r + 1) * N), ref.denom, 1e-5, 0);
  }
}

describe('cpu attentionScan', () => {
  it('reproduces the Aaren worked example: scores [0, 3, −1, 5], values [1, 2, 3, 4]', () => {
    const h = new Harness();
    const { out } = scan(h, [0, 3, -1, 5], [1, 2, 3, 4], 1, 4, 1);
    expect(Array.from(h.read(out), (x) => Number(x.toFixed(2)))).toEqual([1, 1.95, 1.97, 3.74]);
  });

  it('matches quadratic prefix softmax on random rows', () => {
    const random = rng(21);
    const R = 3;
    const N = 37;
    const D = 5;
    checkForward(randomArray(random, R * N, -4, 4), randomArray(random, R * N * D), R, N, D);
  });

  it('is stable for scores of ±1e4 and masks −∞ tokens, including a masked prefix', () => {
    const random = rng(22);
    const N = 12;
    const D = 3;
    const scores = randomArray(random, 2 * N, -1e4, 1e4);
    scores[0] = Number.NEGATIVE_INFINITY;
    scores[1] = Number.NEGATIVE_INFINITY;
    scores[5] = Number.NEGATIVE_INFINITY;
    scores[N + 3] = 1e4;
    scores[N + 4] = -1e4;
    scores[N + 7] = 1e4;
    checkForward(scores, randomArray(random, 2 * N * D), 2, N, D);
  });

  it('gives out = 0, m = −∞, w = 0 for a fully masked row, and no NaN anywhere', () => {
    const h = new Harness();
    const ninf = Number.NEGATIVE_INFINITY;
    const { out, maxOut, denomOut } = scan(h, [ninf, ninf, ninf], [1, 2, 3, 4, 5, 6], 1, 3, 2);
    expect(Array.from(h.read(out))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(h.read(maxOut))).toEqual([ninf, ninf, ninf]);
    expect(Array.from(h.read(denomOut))).toEqual([0, 0, 0]);
  });

  it('honours input offsets', () => {
    const h = new Harness();
    const s = h.input([99, 0, 3, -1, 5], [1, 4], { offset: 1 });
    const v = h.input([99, 99, 1, 2, 3, 4], [1, 4, 1], { offset: 2 });
    const out = h.output([1, 4, 1]);
    h.backend.kernels.attentionScan(s, v, out, h.output([1, 4]), h.output([1, 4]));
    expect(Array.from(h.read(out), (x) => Number(x.toFixed(2)))).toEqual([1, 1.95, 1.97, 3.74]);
  });
});

describe('cpu attentionScanBackward', () => {
  function checkBackward(
    scores: Float32Array,
    values: Float32Array,
    grad: Float32Array,
    R: number,
    N: number,
    D: number,
  ) {
    const h = new Harness();
    const { s, v, out, maxOut, denomOut } = scan(h, scores, values, R, N, D);
    const g = h.input(grad, [R, N, D]);
    const gs = h.output([R, N]);
    const gv = h.output([R, N, D]);
    h.backend.kernels.attentionScanBackward(s, v, out, maxOut, denomOut, g, gs, gv);
    const gsOut = h.read(gs);
    const gvOut = h.read(gv);
    for (let r = 0; r < R; r++) {
      const ref = prefixAttentionGrad(
        scores.subarray(r * N, (r + 1) * N),
        values.subarray(r * N * D, (r + 1) * N * D),
        grad.subarray(r * N * D, (r + 1) * N * D),
        N,
        D,
      );
      expectClose(gsOut.subarray(r * N, (r + 1) * N), ref.gs, 1e-4, 2e-6);
      expectClose(gvOut.subarray(r * N * D, (r + 1) * N * D), ref.gv, 1e-5, 1e-6);
    }
  }

  it('the naive analytic reference agrees with finite differences of the float64 forward', () => {
    const random = rng(30);
    const N = 6;
    const D = 2;
    const s = Float64Array.from(randomArray(random, N, -2, 2));
    s[2] = Number.NEGATIVE_INFINITY;
    const v = Float64Array.from(randomArray(random, N * D));
    const g = Float64Array.from(randomArray(random, N * D));
    const loss = (ss: Float64Array, vv: Float64Array) => {
      const { out } = prefixAttention(ss, vv, N, D);
      let l = 0;
      for (let i = 0; i < out.length; i++) l += out[i]! * g[i]!;
      return l;
    };
    const { gs, gv } = prefixAttentionGrad(s, v, g, N, D);
    const eps = 1e-6;
    for (let i = 0; i < N; i++) {
      if (s[i] === Number.NEGATIVE_INFINITY) {
        expect(gs[i]).toBe(0);
        continue;
      }
      const plus = Float64Array.from(s);
      const minus = Float64Array.from(s);
      plus[i]! += eps;
      minus[i]! -= eps;
      expect(gs[i]).toBeCloseTo((loss(plus, v) - loss(minus, v)) / (2 * eps), 7);
    }
    for (let i = 0; i < N * D; i++) {
      const plus = Float64Array.from(v);
      const minus = Float64Array.from(v);
      plus[i]! += eps;
      minus[i]! -= eps;
      expect(gv[i]).toBeCloseTo((loss(s, plus) - loss(s, minus)) / (2 * eps), 7);
    }
  });

  it('matches the analytic quadratic gradient on random rows', () => {
    const random = rng(31);
    const R = 3;
    const N = 29;
    const D = 4;
    checkBackward(
      randomArray(random, R * N, -4, 4),
      randomArray(random, R * N * D),
      randomArray(random, R * N * D),
      R,
      N,
      D,
    );
  });

  it('is stable for ±1e4 scores with masked tokens and a masked prefix (zero gradients there)', () => {
    const random = rng(32);
    const N = 10;
    const D = 3;
    const scores = randomArray(random, N, -1e4, 1e4);
    scores[0] = Number.NEGATIVE_INFINITY;
    scores[4] = Number.NEGATIVE_INFINITY;
    scores[6] = scores[7]!;
    checkBackward(scores, randomArray(random, N * D), randomArray(random, N * D), 1, N, D);
    // Moderate scores with the same masks: gradients are non-trivial everywhere but the masked tokens.
    const moderate = randomArray(random, N, -2, 2);
    moderate[0] = Number.NEGATIVE_INFINITY;
    moderate[4] = Number.NEGATIVE_INFINITY;
    checkBackward(moderate, randomArray(random, N * D), randomArray(random, N * D), 1, N, D);
  });

  it('writes zero gradients for a fully masked row', () => {
    const h = new Harness();
    const ninf = Number.NEGATIVE_INFINITY;
    const { s, v, out, maxOut, denomOut } = scan(h, [ninf, ninf], [1, 2], 1, 2, 1);
    const gs = h.output([1, 2]);
    const gv = h.output([1, 2, 1]);
    h.backend.kernels.attentionScanBackward(s, v, out, maxOut, denomOut, h.input([1, 1], [1, 2, 1]), gs, gv);
    expect(Array.from(h.read(gs))).toEqual([0, 0]);
    expect(Array.from(h.read(gv))).toEqual([0, 0]);
  });
});
