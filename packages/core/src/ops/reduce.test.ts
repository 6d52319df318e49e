import { describe, expect, it } from 'vitest';
import { gradients, requireGrad } from '../autograd.js';
import { cpuBackend } from '../cpu/index.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectAllClose } from '../testing/all-close.js';
import { checkGradients } from '../testing/gradcheck.js';
import { createTestRng } from '../testing/test-rng.js';
import { tensor, zeros } from './creation.js';
import { mul } from './elementwise.js';
import { transpose } from './layout.js';
import { argmax, logSumExp, max, mean, min, sum, sumToShape } from './reduce.js';

// Values: float64 reference from the same f32 inputs, |actual − expected| ≤ 1e-5 + 1e-5·|expected|;
// maxima/minima/argmax are exact. Gradients: checkGradients defaults (eps 1e-2, rtol 2e-2, atol 2e-3).
const VALUES = { rtol: 1e-5, atol: 1e-5 };

const backend = cpuBackend();
const rng = createTestRng(0x5ed);

const sizeOf = (shape: Shape) => shape.reduce((p, d) => p * d, 1);
const f32 = (data: ArrayLike<number>, shape: Shape) => tensor(backend, Float32Array.from(data), shape);
const param = (data: ArrayLike<number>, shape: Shape) => requireGrad(f32(data, shape));
const values = (t: Tensor) => Array.from(t.dataSync());

/** Distinct values on a grid of spacing 0.1 (no two within 2·eps of each other), shuffled. */
const distinct = (n: number) => Float32Array.from(rng.permutation(n), (k) => 0.1 * k - 0.05 * n);

/** Plain-JS reduction of row-major `data` of `shape` over `axes`, keeping reduced axes as extent 1. */
function reduceRef(
  data: ArrayLike<number>,
  shape: Shape,
  axes: readonly number[],
  init: number,
  f: (acc: number, v: number) => number,
): { kept: number[]; data: number[] } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Array<number>(sizeOf(kept)).fill(init);
  for (let flat = 0; flat < data.length; flat++) {
    let rest = flat;
    const idx: number[] = [];
    for (let k = shape.length - 1; k >= 0; k--) {
      idx[k] = rest % shape[k]!;
      rest = Math.floor(rest / shape[k]!);
    }
    const o = kept.reduce((acc, d, i) => acc * d + (axes.includes(i) ? 0 : idx[i]!), 0);
    out[o] = f(out[o]!, data[flat]!);
  }
  return { kept, data: out };
}

type Reducer = (x: Tensor, axes?: number | readonly number[], keepDims?: boolean) => Tensor;
const REDUCERS: readonly {
  name: string;
  op: Reducer;
  init: number;
  f: (a: number, v: number) => number;
  mean?: true;
}[] = [
  { name: 'sum', op: sum, init: 0, f: (a, v) => a + v },
  { name: 'mean', op: mean, init: 0, f: (a, v) => a + v, mean: true },
  { name: 'max', op: max, init: Number.NEGATIVE_INFINITY, f: Math.max },
  { name: 'min', op: min, init: Number.POSITIVE_INFINITY, f: Math.min },
];

const SHAPE = [2, 3, 4];
const AXES: readonly { axes: number | number[] | undefined; resolved: number[] }[] = [
  { axes: 1, resolved: [1] },
  { axes: -1, resolved: [2] },
  { axes: 0, resolved: [0] },
  { axes: [0, 2], resolved: [0, 2] },
  { axes: [2, -3], resolved: [0, 2] },
  { axes: undefined, resolved: [0, 1, 2] },
];

describe('sum, mean, max, min', () => {
  for (const r of REDUCERS) {
    for (const { axes, resolved } of AXES) {
      for (const keepDims of [false, true]) {
        const label = `${r.name} over ${JSON.stringify(axes ?? 'all')} keepDims=${keepDims}`;
        it(`${label}: values and gradient`, async () => {
          const data = distinct(sizeOf(SHAPE));
          const y = r.op(f32(data, SHAPE), axes, keepDims);
          const ref = reduceRef(data, SHAPE, resolved, r.init, r.f);
          const count = resolved.reduce((p, a) => p * SHAPE[a]!, 1);
          const expected = r.mean ? ref.data.map((v) => v / count) : ref.data;
          const shape = keepDims ? ref.kept : SHAPE.filter((_, i) => !resolved.includes(i));
          expect(y.shape).toEqual(shape);
          expectAllClose(y.dataSync(), expected, { ...VALUES, shape }, label);
          await checkGradients((t) => r.op(t, axes, keepDims), [param(data, SHAPE)]);
        });
      }
    }
  }

  it('reduce non-contiguous views', () => {
    const x = transpose(f32([1, 2, 3, 4, 5, 6], [2, 3]));
    expect(values(sum(x, 1))).toEqual([5, 7, 9]);
    expect(values(max(x, 0))).toEqual([3, 6]);
    expect(values(min(x, 1))).toEqual([1, 2, 3]);
  });

  it('ties in max/min share the gradient equally', () => {
    const x = param([1, 3, 3, 2, 0, 0, 0, 5], [2, 4]);
    expect(values(gradients(sum(max(x, 1)), [x])[0]!)).toEqual([0, 0.5, 0.5, 0, 0, 0, 0, 1]);
    const gMin = values(gradients(sum(min(x, 1)), [x])[0]!);
    expect(gMin).toEqual([1, 0, 0, 0, 1 / 3, 1 / 3, 1 / 3, 0].map(Math.fround));
    // Over all axes: the three zeros tie for the minimum; max(all) is unique.
    expectAllClose(gradients(min(x), [x])[0]!.dataSync(), [0, 0, 0, 0, 1 / 3, 1 / 3, 1 / 3, 0], VALUES);
    // Multi-axis: the two 3s tie over axes [0, 1] of [2, 4].
    const y = param([3, 1, 3, 2], [2, 2]);
    expect(values(gradients(max(y, [0, 1]), [y])[0]!)).toEqual([0.5, 0, 0.5, 0]);
  });

  it('empty reductions: sum 0, mean NaN, max −∞, min +∞', () => {
    const e = zeros(backend, [2, 0]);
    expect(values(sum(e, 1))).toEqual([0, 0]);
    expect(values(mean(e, 1)).every(Number.isNaN)).toBe(true);
    expect(values(max(e, 1))).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(values(min(e, 1))).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(values(sum(e))).toEqual([0]);
    expect(sum(e, 0).shape).toEqual([0]);
  });

  it('reductions of a scalar and of an empty axis list', () => {
    const s = f32([4], []);
    expect(values(sum(s))).toEqual([4]);
    expect(values(mean(s))).toEqual([4]);
    const x = f32([1, 2, 3, 4], [2, 2]);
    expect(values(sum(x, []))).toEqual([1, 2, 3, 4]);
    expect(sum(x, []).shape).toEqual([2, 2]);
  });

  it('rejects out-of-range axes', () => {
    const x = f32([1, 2, 3, 4], [2, 2]);
    expect(() => sum(x, 2)).toThrow(InvalidArgumentError);
    expect(() => max(x, -3)).toThrow(/max: axis -3 is out of range/);
  });
});

describe('argmax', () => {
  it('returns the i32 index of the first maximum along an axis', () => {
    const x = f32([1, 5, 5, 2, 7, 7, 1, -1, 3, 3, 9, 1], [2, 2, 3]);
    const a = argmax(x);
    expect(a.dtype).toBe('i32');
    expect(a.shape).toEqual([2, 2]);
    expect(values(a)).toEqual([1, 1, 2, 1]);
    expect(values(argmax(x, 1))).toEqual([1, 1, 1, 1, 1, 0]);
    // Ties (the 1s at [0, 0, 0] and [1, 0, 0]) resolve to the first index.
    expect(values(argmax(x, 0))).toEqual([0, 0, 0, 1, 1, 0]);
    expect(argmax(x, 0, true).shape).toEqual([1, 2, 3]);
    expect(values(argmax(transpose(f32([1, 4, 3, 2], [2, 2])), 1))).toEqual([1, 0]);
    expect(values(argmax(f32([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY], [2])))).toEqual([0]);
  });

  it('is not differentiable and rejects empty axes', () => {
    const x = param([1, 2], [2]);
    expect(argmax(x).requiresGrad).toBe(false);
    expect(() => argmax(zeros(backend, [2, 0]), 1)).toThrow(ShapeError);
  });
});

describe('logSumExp', () => {
  const lseRef = (row: number[]) => {
    const m = Math.max(...row);
    if (m === Number.NEGATIVE_INFINITY) return m;
    return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  };

  it('values over the last axis, over several axes and with keepDims', () => {
    const data = rng.floats(24, -3, 3);
    const rows = Array.from({ length: 6 }, (_, i) => Array.from(data.subarray(i * 4, i * 4 + 4)));
    const x = f32(data, [2, 3, 4]);
    expectAllClose(logSumExp(x, -1).dataSync(), rows.map(lseRef), VALUES);
    expect(logSumExp(x, -1, true).shape).toEqual([2, 3, 1]);
    expectAllClose(logSumExp(x).dataSync(), [lseRef(Array.from(data))], VALUES);
    expect(logSumExp(x).shape).toEqual([]);
    const ref02 = [0, 1, 2].map((j) => lseRef([0, 1].flatMap((i) => rows[i * 3 + j]!)));
    expectAllClose(logSumExp(x, [0, 2]).dataSync(), ref02, VALUES);
  });

  it('is stable for huge values and handles −∞: partial rows are finite, all-−∞ rows give −∞, no NaN', () => {
    const inf = Number.NEGATIVE_INFINITY;
    const x = f32([1000, 1000, 999, inf, 0, 1, inf, inf, inf, -1000, -1001, inf], [4, 3]);
    const y = values(logSumExp(x, 1));
    expect(y.some(Number.isNaN)).toBe(false);
    expectAllClose(y, [lseRef([1000, 1000, 999]), lseRef([0, 1]), inf, lseRef([-1000, -1001])], VALUES);
    expect(y[2]).toBe(inf);
  });

  it('gradient is the softmax; −∞ entries get 0, never NaN', async () => {
    await checkGradients((t) => logSumExp(t, 1), [param(rng.floats(8, -2, 2), [2, 4])]);
    await checkGradients((t) => logSumExp(t, [0, 2], true), [param(rng.floats(12, -2, 2), [2, 3, 2])]);
    await checkGradients((t) => logSumExp(t), [param(rng.floats(6, -2, 2), [3, 2])]);
    const inf = Number.NEGATIVE_INFINITY;
    const x = param([inf, 0, Math.log(3)], [3]);
    expectAllClose(gradients(logSumExp(x), [x])[0]!.dataSync(), [0, 0.25, 0.75], VALUES);
  });

  it('second derivatives (createGraph) match finite differences of the gradient', async () => {
    // ∂²lse/∂x² = diag(p) − p·pᵀ with p = softmax(x): the −p·pᵀ term flows through lse itself.
    await checkGradients(
      (t) => gradients(sum(logSumExp(t, 1)), [t], { createGraph: true })[0]!,
      [param(rng.floats(6, -1, 1), [2, 3])],
    );
    await checkGradients(
      (t) => gradients(logSumExp(t), [t], { createGraph: true })[0]!,
      [param(rng.floats(4, -1, 1), [4])],
    );
  });

  it('gradient of an all −∞ row is 0 (as for softmax), not NaN', () => {
    const inf = Number.NEGATIVE_INFINITY;
    const x = param([inf, inf, 0, Math.log(3)], [2, 2]);
    const g = values(gradients(sum(logSumExp(x, 1)), [x])[0]!);
    expect(g.some(Number.isNaN)).toBe(false);
    expectAllClose(g, [0, 0, 0.25, 0.75], VALUES);
  });
});

describe('sumToShape', () => {
  it('sums leading axes and extent-1 axes (the adjoint of broadcasting)', () => {
    const data = Array.from({ length: 24 }, (_, i) => i);
    const g = f32(data, [2, 3, 4]);
    const toRow = sumToShape(g, [3, 1]);
    expect(toRow.shape).toEqual([3, 1]);
    expect(values(toRow)).toEqual(reduceRef(data, [2, 3, 4], [0, 2], 0, (a, v) => a + v).data);
    expect(values(sumToShape(g, [4]))).toEqual(reduceRef(data, [2, 3, 4], [0, 1], 0, (a, v) => a + v).data);
    expect(values(sumToShape(g, [1, 3, 1]))).toEqual(values(toRow));
    expect(values(sumToShape(g, []))).toEqual([276]);
    expect(sumToShape(g, [2, 3, 4])).toBe(g);
    expect(() => sumToShape(f32([1, 2], [2]), [1, 2])).toThrow(ShapeError);
  });

  it('is differentiable', async () => {
    await checkGradients((t) => mul(sumToShape(t, [3, 1]), t), [param(rng.floats(12, -1, 1), [4, 3, 1])]);
  });
});
