import { describe, expect, it } from 'vitest';
import { gradients, requireGrad } from '../autograd.js';
import { cpuBackend } from '../cpu/index.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../errors.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectAllClose } from '../testing/all-close.js';
import { checkGradients } from '../testing/gradcheck.js';
import { createTestRng } from '../testing/test-rng.js';
import { tensor } from './creation.js';
import { mul } from './elementwise.js';
import { transpose } from './layout.js';
import {
  crossEntropy,
  embedding,
  groupNorm,
  layerNorm,
  logSoftmax,
  mseLoss,
  rmsNorm,
  rope,
  softmax,
} from './nn.js';
import { sum } from './reduce.js';
import { ropeAngles } from './rope-angles.js';

// Values: float64 references from the same f32 inputs. Softmax, rope, losses: rtol 1e-5, atol 1e-6;
// norms: rtol 1e-4, atol 1e-5 (rsqrt of a variance accumulated in f32). Gradients: checkGradients
// defaults (eps 1e-2, rtol 2e-2, atol 2e-3); norm inputs have a spread of order 1 so rstd stays moderate.
const VALUES = { rtol: 1e-5, atol: 1e-6 };
const NORM = { rtol: 1e-4, atol: 1e-5 };

const backend = cpuBackend();
const rng = createTestRng(0x22);

const sizeOf = (shape: Shape) => shape.reduce((p, d) => p * d, 1);
const f32 = (data: ArrayLike<number>, shape: Shape) => tensor(backend, Float32Array.from(data), shape);
const i32 = (data: ArrayLike<number>, shape: Shape) => tensor(backend, Int32Array.from(data), shape);
const random = (shape: Shape, lo = -2, hi = 2) => f32(rng.floats(sizeOf(shape), lo, hi), shape);
const randomParam = (shape: Shape, lo = -2, hi = 2) => requireGrad(random(shape, lo, hi));
const param = (data: ArrayLike<number>, shape: Shape) => requireGrad(f32(data, shape));
const values = (t: Tensor) => Array.from(t.dataSync());
const rowsOf = (data: ArrayLike<number>, n: number) =>
  Array.from({ length: data.length / n }, (_, r) => Array.from(data).slice(r * n, r * n + n));

const softmaxRow = (row: number[]) => {
  const m = Math.max(...row);
  const e = row.map((v) => (m === Number.NEGATIVE_INFINITY ? 0 : Math.exp(v - m)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => (s === 0 ? 0 : v / s));
};
const logSoftmaxRow = (row: number[]) => {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
};

describe('softmax and logSoftmax', () => {
  it('last axis: values', () => {
    const x = random([2, 3, 4], -3, 3);
    const rows = rowsOf(x.dataSync(), 4);
    expectAllClose(softmax(x).dataSync(), rows.flatMap(softmaxRow), VALUES, 'softmax');
    expectAllClose(logSoftmax(x).dataSync(), rows.flatMap(logSoftmaxRow), VALUES, 'logSoftmax');
    expectAllClose(softmax(x, 2).dataSync(), rows.flatMap(softmaxRow), VALUES, 'softmax axis 2');
  });

  it('middle axis: values match the transposed computation', () => {
    const x = random([2, 3, 4], -3, 3);
    const d = x.dataSync();
    // Columns along axis 1 for each (i, k).
    const expected = new Array<number>(24);
    const expectedLog = new Array<number>(24);
    for (let i = 0; i < 2; i++) {
      for (let k = 0; k < 4; k++) {
        const col = [0, 1, 2].map((j) => d[i * 12 + j * 4 + k]!);
        const s = softmaxRow(col);
        const l = logSoftmaxRow(col);
        [0, 1, 2].forEach((j) => {
          expected[i * 12 + j * 4 + k] = s[j]!;
          expectedLog[i * 12 + j * 4 + k] = l[j]!;
        });
      }
    }
    const y = softmax(x, 1);
    expect(y.shape).toEqual([2, 3, 4]);
    expectAllClose(y.dataSync(), expected, VALUES, 'softmax axis 1');
    expectAllClose(logSoftmax(x, -2).dataSync(), expectedLog, VALUES, 'logSoftmax axis -2');
    expectAllClose(
      softmax(x, 0).dataSync(),
      values(transpose(softmax(transpose(x, [1, 2, 0])), [2, 0, 1])),
      VALUES,
    );
  });

  it('is stable for huge logits and −∞ (an all −∞ row gives zeros, never NaN)', () => {
    const inf = Number.NEGATIVE_INFINITY;
    const x = f32([1000, 1001, 999, inf, 0, inf, inf, inf, inf], [3, 3]);
    const y = values(softmax(x));
    expect(y.some(Number.isNaN)).toBe(false);
    expectAllClose(y, [...softmaxRow([1000, 1001, 999]), 0, 1, 0, 0, 0, 0], VALUES);
    const l = values(logSoftmax(f32([1000, 1001, inf, 0], [2, 2])));
    expectAllClose(l, [...logSoftmaxRow([1000, 1001]), inf, 0], VALUES);
  });

  it('gradients on the last and on a middle axis', async () => {
    await checkGradients((t) => softmax(t), [randomParam([2, 4])]);
    await checkGradients((t) => logSoftmax(t), [randomParam([2, 4])]);
    await checkGradients((t) => softmax(t, 1), [randomParam([2, 3, 2])]);
    await checkGradients((t) => logSoftmax(t, 0), [randomParam([3, 2])]);
    await checkGradients((t) => softmax(transpose(t)), [randomParam([3, 2])]);
  });

  it('rejects i32 inputs and bad axes', () => {
    expect(() => softmax(i32([1, 2], [2]))).toThrow(DTypeError);
    expect(() => logSoftmax(random([2, 2]), 2)).toThrow(InvalidArgumentError);
  });
});

/** Plain-JS layer norm of each row (biased variance), then `· gamma + beta`. */
function layerNormRef(
  rows: number[][],
  eps: number,
  gamma?: ArrayLike<number>,
  beta?: ArrayLike<number>,
): number[] {
  return rows.flatMap((row) => {
    const n = row.length;
    const mu = row.reduce((a, b) => a + b, 0) / n;
    const v = row.reduce((a, b) => a + (b - mu) ** 2, 0) / n;
    return row.map((x, i) => ((x - mu) / Math.sqrt(v + eps)) * (gamma?.[i] ?? 1) + (beta?.[i] ?? 0));
  });
}

describe('layerNorm, rmsNorm, groupNorm', () => {
  it('layerNorm values with and without affine parameters', () => {
    const x = random([2, 3, 5]);
    const gamma = random([5]);
    const beta = random([5]);
    const rows = rowsOf(x.dataSync(), 5);
    const g = gamma.dataSync();
    const b = beta.dataSync();
    expectAllClose(layerNorm(x, gamma, beta).dataSync(), layerNormRef(rows, 1e-5, g, b), NORM, 'affine');
    expectAllClose(layerNorm(x).dataSync(), layerNormRef(rows, 1e-5), NORM, 'plain');
    expectAllClose(layerNorm(x, gamma).dataSync(), layerNormRef(rows, 1e-5, g), NORM, 'gamma only');
    expectAllClose(
      layerNorm(x, null, beta, 0.5).dataSync(),
      layerNormRef(rows, 0.5, undefined, b),
      NORM,
      'eps',
    );
    const xt = transpose(random([5, 3]));
    expectAllClose(layerNorm(xt).dataSync(), layerNormRef(rowsOf(values(xt), 5), 1e-5), NORM, 'strided');
  });

  it('layerNorm gradients for x, gamma and beta', async () => {
    await checkGradients(
      (x, g, b) => layerNorm(x, g, b),
      [randomParam([3, 4]), randomParam([4]), randomParam([4])],
    );
    await checkGradients((x) => layerNorm(x), [randomParam([2, 2, 5])]);
    await checkGradients((x, g) => layerNorm(x, g), [random([3, 4]), randomParam([4])]);
    await checkGradients(
      (x, g, b) => layerNorm(x, g, b),
      [randomParam([3, 4]), random([4]), randomParam([4])],
    );
  });

  it('rmsNorm values and gradients', async () => {
    const x = random([3, 4]);
    const gamma = random([4]);
    const g = gamma.dataSync();
    const ref = (eps: number, withGamma: boolean) =>
      rowsOf(x.dataSync(), 4).flatMap((row) => {
        const r = 1 / Math.sqrt(row.reduce((a, v) => a + v * v, 0) / row.length + eps);
        return row.map((v, i) => v * r * (withGamma ? g[i]! : 1));
      });
    expectAllClose(rmsNorm(x, gamma).dataSync(), ref(1e-6, true), NORM, 'affine');
    expectAllClose(rmsNorm(x).dataSync(), ref(1e-6, false), NORM, 'plain');
    expectAllClose(rmsNorm(x, null, 0.25).dataSync(), ref(0.25, false), NORM, 'eps');
    await checkGradients((t, w) => rmsNorm(t, w), [randomParam([3, 4]), randomParam([4])]);
    await checkGradients((t) => rmsNorm(t), [randomParam([2, 5])]);
  });

  it('groupNorm values (contiguous channel groups) with and without affine parameters', () => {
    const x = random([2, 2, 6]);
    const gamma = random([6]);
    const beta = random([6]);
    const g = gamma.dataSync();
    const b = beta.dataSync();
    for (const groups of [1, 2, 3]) {
      const size = 6 / groups;
      const groupRows = rowsOf(x.dataSync(), size);
      const plain = layerNormRef(groupRows, 1e-5);
      expectAllClose(groupNorm(x, groups).dataSync(), plain, NORM, `groups=${groups}`);
      const affine = plain.map((v, i) => v * g[i % 6]! + b[i % 6]!);
      expectAllClose(groupNorm(x, groups, gamma, beta).dataSync(), affine, NORM, `groups=${groups} affine`);
    }
    expectAllClose(groupNorm(x, 6).dataSync(), new Array(24).fill(0), NORM, 'groups of one channel');
  });

  it('groupNorm gradients for x, gamma and beta', async () => {
    await checkGradients(
      (x, g, b) => groupNorm(x, 2, g, b),
      [randomParam([2, 6]), randomParam([6]), randomParam([6])],
    );
    await checkGradients((x) => groupNorm(x, 2), [randomParam([2, 2, 6])]);
  });

  it('second derivatives (createGraph) of every norm match finite differences', async () => {
    const hessian = (f: (t: Tensor) => Tensor) => (t: Tensor) =>
      gradients(sum(mul(f(t), f32([0.5, -1, 2, 1, -0.5, 1.5], [6]))), [t], { createGraph: true })[0]!;
    const gamma = random([6]);
    const beta = random([6]);
    // Fixed inputs whose groups of 3 have a spread of order 1: with a tiny group variance the third
    // derivative is large and the central difference (eps 1e-2) would carry a truncation error of ~5%.
    const x = [-1.5, 0.3, 1.2, -0.6, 1.8, -0.9, 0.7, -1.1, 0.2, 1.4, -0.3, -1.6];
    await checkGradients(
      hessian((t) => layerNorm(t, gamma, beta)),
      [param(x, [2, 6])],
    );
    await checkGradients(
      hessian((t) => rmsNorm(t, gamma)),
      [param(x, [2, 6])],
    );
    await checkGradients(
      hessian((t) => groupNorm(t, 2, gamma, beta)),
      [param(x, [2, 6])],
    );
  });

  it('rejects mismatched parameters and bad group counts', () => {
    const x = random([2, 4]);
    expect(() => layerNorm(x, random([3]))).toThrow(/layerNorm: parameter must have shape \[4\]/);
    expect(() => rmsNorm(x, random([4, 1]))).toThrow(ShapeError);
    expect(() => groupNorm(x, 3)).toThrow(InvalidArgumentError);
    expect(() => groupNorm(x, 2, random([2]))).toThrow(ShapeError);
  });
});

describe('embedding', () => {
  it('looks up rows for indices of any shape', () => {
    const table = f32(
      Array.from({ length: 12 }, (_, i) => i),
      [4, 3],
    );
    const y = embedding(table, i32([1, 3, 0, 1], [2, 2]));
    expect(y.shape).toEqual([2, 2, 3]);
    expect(values(y)).toEqual([3, 4, 5, 9, 10, 11, 0, 1, 2, 3, 4, 5]);
    expect(embedding(table, i32([2], [])).shape).toEqual([3]);
    expect(values(embedding(table, i32([], [0])))).toEqual([]);
  });

  it('gradient accumulates over repeated indices and skips the indices', async () => {
    const table = randomParam([4, 3]);
    const indices = i32([1, 3, 1, 1], [2, 2]);
    const [g] = gradients(sum(embedding(table, indices)), [table]);
    expect(values(g!)).toEqual([0, 0, 0, 3, 3, 3, 0, 0, 0, 1, 1, 1]);
    await checkGradients((t, i) => embedding(t, i!), [table, indices]);
    await checkGradients((t, i) => mul(embedding(t, i!), embedding(t, i!)), [table, i32([2, 2, 0], [3])]);
  });

  it('createGraph: the table gradient stays differentiable with respect to the upstream gradient', async () => {
    // L = Σ embedding(table, i) ⊙ x  →  ∂L/∂table = scatterAdd(i, x), a linear function of x.
    const table = randomParam([4, 3]);
    const indices = i32([1, 3, 1], [3]);
    await checkGradients(
      (x) => gradients(sum(mul(embedding(table, indices), x)), [table], { createGraph: true })[0]!,
      [randomParam([3, 3])],
    );
  });

  it('rejects f32 indices and a table that is not [V, D]', () => {
    expect(() => embedding(random([4, 3]), random([2]))).toThrow(DTypeError);
    expect(() => embedding(random([4]), i32([0], [1]))).toThrow(ShapeError);
  });
});

describe('rope', () => {
  /** Plain-JS rotation with angles (start + t)·base^(−2j/D), computed in float64. */
  function ropeRef(
    data: ArrayLike<number>,
    shape: Shape,
    interleaved: boolean,
    base: number,
    start: number,
  ): number[] {
    const d = shape[shape.length - 1]!;
    const t = shape[shape.length - 2]!;
    const half = d / 2;
    const out = Array.from(data);
    for (let r = 0; r < data.length / (t * d); r++) {
      for (let p = 0; p < t; p++) {
        for (let j = 0; j < half; j++) {
          const angle = (start + p) * base ** ((-2 * j) / d);
          const i1 = r * t * d + p * d + (interleaved ? 2 * j : j);
          const i2 = i1 + (interleaved ? 1 : half);
          const x1 = data[i1]!;
          const x2 = data[i2]!;
          out[i1] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
          out[i2] = x1 * Math.sin(angle) + x2 * Math.cos(angle);
        }
      }
    }
    return out;
  }

  for (const interleaved of [false, true]) {
    const pairing = interleaved ? 'interleaved (2i, 2i+1)' : 'rotate-half (i, i + D/2)';
    it(`${pairing}: values vs a plain rotation`, () => {
      const { cos, sin } = ropeAngles(backend, { length: 3, dim: 4, base: 10, start: 2 });
      const x = random([2, 3, 4]);
      expectAllClose(
        rope(x, cos, sin, { interleaved }).dataSync(),
        ropeRef(x.dataSync(), [2, 3, 4], interleaved, 10, 2),
        VALUES,
        pairing,
      );
      const x4 = random([1, 2, 3, 4]);
      expectAllClose(
        rope(x4, cos, sin, { interleaved }).dataSync(),
        ropeRef(x4.dataSync(), [1, 2, 3, 4], interleaved, 10, 2),
        VALUES,
      );
      // A strided input: [2, 4, 3] transposed to [2, 3, 4].
      const xt = transpose(random([2, 4, 3]), [0, 2, 1]);
      expectAllClose(
        rope(xt, cos, sin, { interleaved }).dataSync(),
        ropeRef(values(xt), [2, 3, 4], interleaved, 10, 2),
        VALUES,
      );
    });

    it(`${pairing}: gradient (the inverse rotation)`, async () => {
      const { cos, sin } = ropeAngles(backend, { length: 3, dim: 6, base: 5 });
      await checkGradients((t) => rope(t, cos, sin, { interleaved }), [randomParam([2, 3, 6])]);
      // Second order through ropeInverse.
      await checkGradients(
        (t) => gradients(sum(mul(rope(t, cos, sin, { interleaved }), t)), [t], { createGraph: true })[0]!,
        [randomParam([1, 3, 6])],
      );
    });
  }

  it('default pairing is rotate-half and rotations preserve the norm of each pair', () => {
    const { cos, sin } = ropeAngles(backend, { length: 2, dim: 2 });
    const x = f32([1, 0, 3, 4], [2, 2]);
    const y = values(rope(x, cos, sin));
    expectAllClose(y, [1, 0, 3 * Math.cos(1) - 4 * Math.sin(1), 3 * Math.sin(1) + 4 * Math.cos(1)], VALUES);
  });

  it('rejects odd D and mismatched tables', () => {
    const { cos, sin } = ropeAngles(backend, { length: 3, dim: 4 });
    expect(() => rope(random([3, 5]), cos, sin)).toThrow(ShapeError);
    expect(() => rope(random([4, 4]), cos, sin)).toThrow(/rope: cos and sin must be \[4, 2\]/);
  });
});

describe('crossEntropy and mseLoss', () => {
  /** Mean over valid labels of −log_softmax(logits)[label]; labels outside [0, V) are skipped. */
  function crossEntropyRef(logits: ArrayLike<number>, v: number, labels: readonly number[]): number {
    const rows = rowsOf(logits, v);
    let total = 0;
    let count = 0;
    rows.forEach((row, r) => {
      const label = labels[r]!;
      if (label < 0 || label >= v) return;
      total -= logSoftmaxRow(row)[label]!;
      count++;
    });
    return count === 0 ? 0 : total / count;
  }

  it('matches a plain log-softmax NLL, leaving out labels outside [0, V)', () => {
    const logits = random([2, 3, 5], -3, 3);
    const labels = [0, 4, -100, 2, 5, 1];
    const loss = crossEntropy(logits, i32(labels, [2, 3]));
    expect(loss.shape).toEqual([]);
    expectAllClose(loss.dataSync(), [crossEntropyRef(logits.dataSync(), 5, labels)], VALUES);
    const all = crossEntropy(logits, i32([0, 1, 2, 3, 4, 0], [2, 3]));
    expectAllClose(all.dataSync(), [crossEntropyRef(logits.dataSync(), 5, [0, 1, 2, 3, 4, 0])], VALUES);
  });

  it('is 0 (not NaN) when every label is ignored', () => {
    const loss = crossEntropy(random([2, 3]), i32([-100, 3], [2]));
    expect(Math.abs(loss.dataSync()[0]!)).toBe(0);
  });

  it('gradient for the logits (ignored rows get zero gradient)', async () => {
    const labels = i32([1, -100, 2, 0], [4]);
    const logits = randomParam([4, 3]);
    await checkGradients((l, y) => crossEntropy(l, y!), [logits, labels]);
    const [g] = gradients(crossEntropy(logits, labels), [logits]);
    expect(values(g!).slice(3, 6).map(Math.abs)).toEqual([0, 0, 0]);
    await checkGradients((l, y) => crossEntropy(l, y!), [randomParam([2, 2, 3]), i32([2, 0, 1, 1], [2, 2])]);
  });

  it('rejects f32 labels and mismatched shapes', () => {
    expect(() => crossEntropy(random([2, 3]), random([2]))).toThrow(DTypeError);
    expect(() => crossEntropy(random([2, 3]), i32([0, 1, 2], [3]))).toThrow(/crossEntropy/);
  });

  it('mseLoss: values and gradients for both arguments', async () => {
    const a = random([2, 3]);
    const b = random([2, 3]);
    const ad = a.dataSync();
    const bd = b.dataSync();
    const ref = Array.from(ad).reduce((s, v, i) => s + (v - bd[i]!) ** 2, 0) / 6;
    expectAllClose(mseLoss(a, b).dataSync(), [ref], VALUES);
    await checkGradients((x, y) => mseLoss(x, y), [randomParam([2, 3]), randomParam([2, 3])]);
    await checkGradients((x, y) => mseLoss(x, y), [randomParam([2, 3]), randomParam([3])]);
  });
});
