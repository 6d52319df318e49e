import { describe, expect, it } from 'vitest';
import { requireGrad } from '../autograd.js';
import type { Backend, MatmulOptions } from '../backend.js';
import { cpuBackend } from '../cpu/index.js';
import { DTypeError, ShapeError } from '../errors.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectAllClose } from '../testing/all-close.js';
import { checkGradients } from '../testing/gradcheck.js';
import { createTestRng } from '../testing/test-rng.js';
import { tensor, zeros } from './creation.js';
import { broadcastTo, slice, transpose, transposeLast2 } from './layout.js';
import { linear, matmul } from './matmul.js';

// Values: a float64 triple loop over the same f32 inputs; |actual − expected| ≤ 1e-5 + 1e-5·|expected|
// (the products have K ≤ 6 terms of magnitude ≤ 1). Gradients: checkGradients defaults
// (eps 1e-2, rtol 2e-2, atol 2e-3); matmul is bilinear, so the central difference has no truncation error.
const VALUES = { rtol: 1e-5, atol: 1e-5 };

const backend = cpuBackend();
const rng = createTestRng(0x3a7);

const sizeOf = (shape: Shape) => shape.reduce((p, d) => p * d, 1);
const f32 = (data: ArrayLike<number>, shape: Shape) => tensor(backend, Float32Array.from(data), shape);
const random = (shape: Shape) => f32(rng.floats(sizeOf(shape), -1, 1), shape);
const randomParam = (shape: Shape) => requireGrad(random(shape));

/**
 * Reference batched product in float64 with NumPy batch broadcasting, from the row-major data of the
 * (already transposed, if any) logical operands.
 */
function matmulRef(
  a: ArrayLike<number>,
  aShape: Shape,
  b: ArrayLike<number>,
  bShape: Shape,
): { shape: number[]; data: number[] } {
  const m = aShape[aShape.length - 2]!;
  const k = aShape[aShape.length - 1]!;
  const n = bShape[bShape.length - 1]!;
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const pad = (s: Shape) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const ap = pad(aBatch);
  const bp = pad(bBatch);
  const batch = ap.map((d, i) => Math.max(d, bp[i]!));
  const out: number[] = [];
  for (let flat = 0; flat < sizeOf(batch); flat++) {
    const idx: number[] = [];
    let rest = flat;
    for (let q = rank - 1; q >= 0; q--) {
      idx[q] = rest % batch[q]!;
      rest = Math.floor(rest / batch[q]!);
    }
    const at = (s: number[]) => s.reduce((f, d, i) => f * d + (d === 1 ? 0 : idx[i]!), 0);
    const ao = at(ap) * m * k;
    const bo = at(bp) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += a[ao + i * k + p]! * b[bo + p * n + j]!;
        out.push(acc);
      }
    }
  }
  return { shape: [...batch, m, n], data: out };
}

function expectMatmul(y: Tensor, a: Tensor, b: Tensor, label: string): void {
  const ref = matmulRef(a.dataSync(), a.shape, b.dataSync(), b.shape);
  expect(y.shape).toEqual(ref.shape);
  expectAllClose(y.dataSync(), ref.data, { ...VALUES, shape: ref.shape }, label);
}

describe('matmul values', () => {
  const cases: [string, Shape, Shape][] = [
    ['2-D', [3, 4], [4, 5]],
    ['batched', [2, 3, 4], [2, 4, 5]],
    ['broadcast batch [2,1,3,4]·[5,4,6]', [2, 1, 3, 4], [5, 4, 6]],
    ['broadcast batch [3,4]·[2,4,2]', [3, 4], [2, 4, 2]],
    ['fold path [2,3,4]·[4,5]', [2, 3, 4], [4, 5]],
    ['fold path [2,2,3,4]·[4,2]', [2, 2, 3, 4], [4, 2]],
    ['vector-like extents [1,4]·[4,1]', [1, 4], [4, 1]],
  ];
  for (const [label, aShape, bShape] of cases) {
    it(label, () => {
      const a = random(aShape);
      const b = random(bShape);
      expectMatmul(matmul(a, b), a, b, label);
    });
  }

  it('transposed views as inputs (the kernel transpose flags), 2-D and batched', () => {
    const at = random([4, 3]);
    const bt = random([5, 4]);
    const a = transposeLast2(at);
    const b = transposeLast2(bt);
    const a0 = random([3, 4]);
    const b0 = random([4, 5]);
    expectMatmul(matmul(a, b0), a, b0, 'Aᵀ·B');
    expectMatmul(matmul(a0, b), a0, b, 'A·Bᵀ');
    expectMatmul(matmul(a, b), a, b, 'Aᵀ·Bᵀ');
    const abt = transposeLast2(random([2, 4, 3]));
    const bbt = transposeLast2(random([2, 5, 4]));
    expectMatmul(matmul(abt, bbt), abt, bbt, 'batched Aᵀ·Bᵀ');
    // Fold path with a transposed right operand.
    const x = random([2, 3, 4]);
    expectMatmul(matmul(x, b), x, b, 'fold ·Bᵀ');
  });

  it('passes transposed views to the kernel with transpose flags instead of copying them', () => {
    const calls: MatmulOptions[] = [];
    const spy: Backend = {
      ...backend,
      kernels: {
        ...backend.kernels,
        matmul: (a, b, out, options) => {
          calls.push(options);
          backend.kernels.matmul(a, b, out, options);
        },
      },
    };
    const rnd = (shape: Shape) => tensor(spy, rng.floats(sizeOf(shape), -1, 1), shape);
    const a = transposeLast2(rnd([2, 4, 3]));
    const b = transposeLast2(rnd([2, 5, 4]));
    const live = spy.memoryInfo().liveBuffers;
    const y = matmul(a, b);
    // Only the output was allocated: no materialised copy of either operand.
    expect(spy.memoryInfo().liveBuffers).toBe(live + 1);
    expect(calls).toEqual([{ transposeA: true, transposeB: true }]);
    expectMatmul(y, a, b, 'spied Aᵀ·Bᵀ');
    const x = rnd([2, 3, 4]);
    const w = rnd([5, 4]);
    matmul(x, transposeLast2(w));
    expect(calls[1]).toEqual({ transposeA: false, transposeB: true });
  });

  it('other strided views: sliced transposes (with offsets), permuted batches, broadcast views', () => {
    const big = random([6, 5]);
    // Columns 1..3 of the transpose of a contiguous [6, 5]: rows 1..3 of it, read transposed.
    const s = slice(transpose(big), [0, 1], [5, 3]);
    const b = random([3, 2]);
    expectMatmul(matmul(s, b), s, b, 'sliced transpose (offset)');
    const rowsOfT = slice(transpose(big), [1, 0], [3, 6]);
    const c = random([6, 2]);
    expectMatmul(matmul(rowsOfT, c), rowsOfT, c, 'row slice of a transpose');
    const permuted = transpose(random([3, 2, 4]), [1, 0, 2]);
    const d = random([2, 4, 3]);
    expectMatmul(matmul(permuted, d), permuted, d, 'permuted batch axes');
    const bc = broadcastTo(random([1, 3, 4]), [2, 3, 4]);
    const e = random([2, 4, 2]);
    expectMatmul(matmul(bc, e), bc, e, 'broadcast view input');
    const colSlice = slice(random([4, 6]), [0, 2], [4, 3]);
    const aa = random([2, 5, 4]);
    expectMatmul(matmul(aa, colSlice), aa, colSlice, 'fold path with a column slice');
    const offsetA = slice(random([3, 3, 4]), [1, 0, 0], [2, 3, 4]);
    expectMatmul(matmul(offsetA, colSlice), offsetA, colSlice, 'fold path with an offset left operand');
  });

  it('zero extents: K = 0 gives zeros, M = 0 gives an empty result', () => {
    const y = matmul(zeros(backend, [2, 0]), zeros(backend, [0, 3]));
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(matmul(zeros(backend, [0, 4]), random([4, 3])).shape).toEqual([0, 3]);
    expect(matmul(zeros(backend, [2, 0, 4]), random([4, 3])).shape).toEqual([2, 0, 3]);
  });

  it('rejects bad shapes and dtypes, naming matmul and both shapes', () => {
    expect(() => matmul(random([2, 3]), random([4, 5]))).toThrow(
      /matmul: inner extents differ .*\[2, 3\], \[4, 5\]/,
    );
    expect(() => matmul(random([3]), random([3, 2]))).toThrow(ShapeError);
    expect(() => matmul(random([2, 2, 3]), random([3, 3, 2]))).toThrow(/matmul/);
    expect(() => matmul(tensor(backend, new Int32Array(4), [2, 2]), random([2, 2]))).toThrow(DTypeError);
  });
});

describe('matmul gradients', () => {
  const cases: [string, Shape, Shape][] = [
    ['2-D', [3, 4], [4, 2]],
    ['batched', [2, 2, 3], [2, 3, 2]],
    ['broadcast batch [2,1,3,4]·[5,4,6]', [2, 1, 3, 4], [5, 4, 6]],
    ['fold path [2,3,4]·[4,2]', [2, 3, 4], [4, 2]],
    ['[3,4]·[2,4,2] (left operand broadcast)', [3, 4], [2, 4, 2]],
  ];
  for (const [label, aShape, bShape] of cases) {
    it(label, async () => {
      await checkGradients((a, b) => matmul(a, b), [randomParam(aShape), randomParam(bShape)]);
    });
  }

  it('through transposed views (the transposed path runs in forward and backward)', async () => {
    await checkGradients((a, b) => matmul(transposeLast2(a), b), [randomParam([4, 3]), randomParam([4, 2])]);
    await checkGradients(
      (a, b) => matmul(a, transposeLast2(b)),
      [randomParam([2, 3, 4]), randomParam([2, 2, 4])],
    );
    await checkGradients(
      (a, b) => matmul(transposeLast2(a), transposeLast2(b)),
      [randomParam([4, 3]), randomParam([2, 4])],
    );
    await checkGradients(
      (a, b) => matmul(a, transposeLast2(b)),
      [randomParam([2, 3, 4]), randomParam([2, 4])],
    );
  });

  it('only inputs that require gradients get one', async () => {
    await checkGradients((a, b) => matmul(a, b), [randomParam([2, 3]), random([3, 2])]);
    await checkGradients((a, b) => matmul(a, b), [random([2, 3]), randomParam([3, 2])]);
  });
});

describe('linear', () => {
  it('x·Wᵀ + b for rank 1, 2 and 3 inputs, with and without bias', () => {
    const w = random([5, 4]);
    const bias = random([5]);
    const wData = Array.from(w.dataSync());
    const biasData = Array.from(bias.dataSync());
    for (const shape of [[4], [3, 4], [2, 3, 4]] as Shape[]) {
      const x = random(shape);
      const xData = x.dataSync();
      const rows = sizeOf(shape) / 4;
      const ref = (withBias: boolean) => {
        const out: number[] = [];
        for (let r = 0; r < rows; r++) {
          for (let o = 0; o < 5; o++) {
            let acc = withBias ? biasData[o]! : 0;
            for (let i = 0; i < 4; i++) acc += xData[r * 4 + i]! * wData[o * 4 + i]!;
            out.push(acc);
          }
        }
        return out;
      };
      const outShape = [...shape.slice(0, -1), 5];
      const y = linear(x, w, bias);
      expect(y.shape).toEqual(outShape);
      expectAllClose(y.dataSync(), ref(true), VALUES, `linear ${shape} with bias`);
      const y0 = linear(x, w);
      expect(y0.shape).toEqual(outShape);
      expectAllClose(y0.dataSync(), ref(false), VALUES, `linear ${shape} without bias`);
      expectAllClose(linear(x, w, null).dataSync(), ref(false), VALUES);
    }
  });

  it('gradients for x, weight and bias', async () => {
    await checkGradients(
      (x, w, b) => linear(x, w, b),
      [randomParam([2, 3, 4]), randomParam([2, 4]), randomParam([2])],
    );
    await checkGradients((x, w) => linear(x, w), [randomParam([3, 4]), randomParam([2, 4])]);
    await checkGradients((x, w) => linear(x, w), [randomParam([4]), randomParam([3, 4])]);
    await checkGradients((x, w) => linear(transposeLast2(x), w), [randomParam([4, 3]), randomParam([2, 4])]);
  });

  it('rejects a weight that does not match the input features', () => {
    expect(() => linear(random([2, 3]), random([4, 4]))).toThrow(/linear: .*\[2, 3\], \[4, 4\]/);
    expect(() => linear(random([2, 3]), random([3]))).toThrow(ShapeError);
  });
});
