import { describe, expect, it } from 'vitest';
import { createTestRng } from '../test-rng.js';
import { attentionScanBackwardReference, attentionScanReference } from './attention-scan.js';
import { cumulativeReference } from './cumulative.js';
import { erfReference, unaryReference } from './elementwise.js';
import { ropeReference } from './indexing.js';
import { linearAttentionBackwardReference, linearAttentionReference } from './linear-attention.js';
import { matmulReference } from './matmul.js';
import { groupNormReference, layerNormReference } from './norm.js';
import { softmaxReference } from './softmax.js';

/** Central finite difference of `f` at `x[i]`. */
function finiteDifference(f: (x: Float64Array) => number, x: Float64Array, i: number, h = 1e-6): number {
  const plus = Float64Array.from(x);
  const minus = Float64Array.from(x);
  plus[i]! += h;
  minus[i]! -= h;
  return (f(plus) - f(minus)) / (2 * h);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe('reference implementations (the oracle checks itself)', () => {
  it('erf matches known values', () => {
    const known: [number, number][] = [
      [0, 0],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [-1.5, -0.9661051464753108],
    ];
    for (const [x, e] of known) expect(erfReference(x)).toBeCloseTo(e, 14);
    expect(erfReference(4.4)).toBeCloseTo(1 - 4.891710270605872e-10, 14);
    expect(erfReference(5.9)).toBeLessThanOrEqual(1);
    expect(unaryReference('softplus', 1000)).toBe(1000);
    expect(unaryReference('softplus', -1000)).toBe(0);
  });

  it('attention scan: the pitfall case scores [0, 3, −1, 5], values [1, 2, 3, 4]', () => {
    const { out, max, denom } = attentionScanReference([0, 3, -1, 5], [1, 2, 3, 4], 1, 4, 1);
    expect(Array.from(out, (v) => Math.round(v * 100) / 100)).toEqual([1, 1.95, 1.97, 3.74]);
    expect(Array.from(max)).toEqual([0, 3, 3, 5]);
    expect(denom[1]).toBeCloseTo(1 + Math.exp(-3), 12);
  });

  it('attention scan: fully masked prefixes give out 0, max −∞, denominator 0', () => {
    const { out, max, denom } = attentionScanReference([-Infinity, -Infinity, 2], [5, 6, 7], 1, 3, 1);
    expect(Array.from(out)).toEqual([0, 0, 7]);
    expect(Array.from(max)).toEqual([-Infinity, -Infinity, 2]);
    expect(Array.from(denom)).toEqual([0, 0, 1]);
  });

  it('attention scan backward equals finite differences of the forward', () => {
    const rng = createTestRng(1);
    const [rows, n, d] = [2, 5, 3];
    const scores = Float64Array.from({ length: rows * n }, () => rng.normal());
    scores[0] = -Infinity;
    scores[6] = -Infinity;
    const values = Float64Array.from({ length: rows * n * d }, () => rng.normal());
    const g = Float64Array.from({ length: rows * n * d }, () => rng.normal());
    const loss = (s: Float64Array, v: Float64Array): number =>
      dot(attentionScanReference(s, v, rows, n, d).out, g);
    const { gradScores, gradValues } = attentionScanBackwardReference(scores, values, g, rows, n, d);
    for (let i = 0; i < scores.length; i++) {
      if (scores[i] === -Infinity) expect(gradScores[i]).toBe(0);
      else
        expect(gradScores[i]).toBeCloseTo(
          finiteDifference((s) => loss(s, values), scores, i),
          7,
        );
    }
    for (let i = 0; i < values.length; i++) {
      expect(gradValues[i]).toBeCloseTo(
        finiteDifference((v) => loss(scores, v), values, i),
        7,
      );
    }
  });

  it('linear attention (closed form) equals the recurrence S_t = γ S_{t−1} + k_tᵀ v_t', () => {
    const rng = createTestRng(2);
    const [rows, n, dk, dv] = [2, 6, 3, 2];
    const q = Array.from({ length: rows * n * dk }, () => rng.normal());
    const k = Array.from({ length: rows * n * dk }, () => rng.normal());
    const v = Array.from({ length: rows * n * dv }, () => rng.normal());
    const init = Array.from({ length: rows * dk * dv }, () => rng.normal());
    const decay = [0.8, 0];
    const expected = linearAttentionReference(q, k, v, decay, init, { rows, n, dk, dv });
    for (let r = 0; r < rows; r++) {
      const state = init.slice(r * dk * dv, (r + 1) * dk * dv);
      for (let t = 0; t < n; t++) {
        for (let a = 0; a < dk; a++) {
          for (let e = 0; e < dv; e++) {
            state[a * dv + e] =
              decay[r]! * state[a * dv + e]! + k[(r * n + t) * dk + a]! * v[(r * n + t) * dv + e]!;
          }
        }
        for (let e = 0; e < dv; e++) {
          let o = 0;
          for (let a = 0; a < dk; a++) o += q[(r * n + t) * dk + a]! * state[a * dv + e]!;
          expect(expected.out[(r * n + t) * dv + e]).toBeCloseTo(o, 12);
        }
      }
      for (let i = 0; i < dk * dv; i++)
        expect(expected.finalState[r * dk * dv + i]).toBeCloseTo(state[i]!, 12);
    }
  });

  it('linear attention backward equals finite differences of the forward', () => {
    const rng = createTestRng(3);
    const p = { rows: 2, n: 5, dk: 3, dv: 2 };
    const q = Float64Array.from({ length: p.rows * p.n * p.dk }, () => rng.normal());
    const k = Float64Array.from({ length: p.rows * p.n * p.dk }, () => rng.normal());
    const v = Float64Array.from({ length: p.rows * p.n * p.dv }, () => rng.normal());
    const g = Float64Array.from({ length: p.rows * p.n * p.dv }, () => rng.normal());
    const decay = [0.7, 1];
    const loss = (qq: Float64Array, kk: Float64Array, vv: Float64Array): number =>
      dot(linearAttentionReference(qq, kk, vv, decay, null, p).out, g);
    const grads = linearAttentionBackwardReference(q, k, v, decay, g, p);
    for (let i = 0; i < q.length; i++) {
      expect(grads.gradQ[i]).toBeCloseTo(
        finiteDifference((x) => loss(x, k, v), q, i),
        6,
      );
      expect(grads.gradK[i]).toBeCloseTo(
        finiteDifference((x) => loss(q, x, v), k, i),
        6,
      );
    }
    for (let i = 0; i < v.length; i++) {
      expect(grads.gradV[i]).toBeCloseTo(
        finiteDifference((x) => loss(q, k, x), v, i),
        6,
      );
    }
  });

  it('softmax rows sum to 1; an all −∞ row is all 0', () => {
    const out = softmaxReference(
      [1, 2, 3, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
      2,
      4,
      false,
    );
    expect(out[0]! + out[1]! + out[2]! + out[3]!).toBeCloseTo(1, 14);
    expect(Array.from(out.slice(4))).toEqual([0, 0, 0, 0]);
  });

  it('matmul, norms, cumulative and rope agree with hand-computed values', () => {
    // [1 2; 3 4] · [5; 6] and the same with a stored transposed.
    expect(
      Array.from(
        matmulReference([1, 2, 3, 4], [5, 6], {
          batch: 1,
          m: 2,
          k: 2,
          n: 1,
          transposeA: false,
          transposeB: false,
        }),
      ),
    ).toEqual([17, 39]);
    expect(
      Array.from(
        matmulReference([1, 3, 2, 4], [5, 6], {
          batch: 1,
          m: 2,
          k: 2,
          n: 1,
          transposeA: true,
          transposeB: true,
        }),
      ),
    ).toEqual([17, 39]);
    const ln = layerNormReference([1, 3], 1, 2, null, null, 0);
    expect(Array.from(ln)).toEqual([-1, 1]);
    expect(Array.from(groupNormReference([1, 3, 10, 30], 1, 4, 2, null, [0, 0, 5, 5], 0))).toEqual([
      -1, 1, 4, 6,
    ]);
    expect(Array.from(cumulativeReference('sum', [1, 2, 3], 1, 3, 1, false, true))).toEqual([0, 1, 3]);
    expect(Array.from(cumulativeReference('max', [1, 3, 2], 1, 3, 1, true, true))).toEqual([3, 2, -Infinity]);
    // Rotating (1, 0) by 90°: rotate-half pairs features 0 and 1 of D = 2.
    const r = ropeReference([1, 0], 1, 1, 2, [0], [1], false, false);
    expect(r[0]).toBeCloseTo(0, 15);
    expect(r[1]).toBeCloseTo(1, 15);
  });
});
