import { describe, expect, it } from 'vitest';
import { gradients, requireGrad } from '../autograd.js';
import { cpuBackend } from '../cpu/index.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkGradients } from '../testing/gradcheck.js';
import { createTestRng } from '../testing/test-rng.js';
import { arange, tensor, zeros } from './creation.js';
import { exp, mul } from './elementwise.js';
import {
  broadcastTo,
  concat,
  contiguous,
  expandDims,
  reshape,
  slice,
  sliceAxis,
  squeeze,
  stack,
  transpose,
  transposeLast2,
} from './layout.js';
import { sum } from './reduce.js';

// Layout ops move values without arithmetic: values are compared exactly. Gradients use the
// checkGradients defaults (eps 1e-2, rtol 2e-2, atol 2e-3); the gradients of pure layout ops are sums
// of projection weights, so they are also checked exactly where that is simple.

const backend = cpuBackend();
const rng = createTestRng(0x1a7);

const sizeOf = (shape: Shape) => shape.reduce((p, d) => p * d, 1);
const f32 = (data: ArrayLike<number>, shape: Shape) => tensor(backend, Float32Array.from(data), shape);
const param = (data: ArrayLike<number>, shape: Shape) => requireGrad(f32(data, shape));
const randomParam = (shape: Shape) => param(rng.floats(sizeOf(shape), -1, 1), shape);
const values = (t: Tensor) => Array.from(t.dataSync());
/** 0, 1, 2, ... as f32 of `shape`. */
const iota = (shape: Shape) =>
  f32(
    Array.from({ length: sizeOf(shape) }, (_, i) => i),
    shape,
  );

/** Row-major iteration over `shape`, calling `at` with each multi-index. */
function build(shape: Shape, at: (idx: number[]) => number): number[] {
  const out: number[] = [];
  for (let flat = 0; flat < sizeOf(shape); flat++) {
    const idx: number[] = [];
    let rest = flat;
    for (let k = shape.length - 1; k >= 0; k--) {
      idx[k] = rest % shape[k]!;
      rest = Math.floor(rest / shape[k]!);
    }
    out.push(at(idx));
  }
  return out;
}
/** Flat row-major index of `idx` in `shape`. */
const flatIndex = (shape: Shape, idx: readonly number[]) => shape.reduce((f, d, i) => f * d + idx[i]!, 0);

describe('reshape', () => {
  it('reshapes with an inferred -1 extent, as a zero-copy view of contiguous tensors', () => {
    const x = iota([2, 3, 4]);
    const live = backend.memoryInfo().liveBuffers;
    const y = reshape(x, [4, -1]);
    expect(y.shape).toEqual([4, 6]);
    expect(backend.memoryInfo().liveBuffers).toBe(live);
    expect(values(y)).toEqual(values(x));
    expect(reshape(x, [-1]).shape).toEqual([24]);
    expect(reshape(x, [2, -1, 2]).shape).toEqual([2, 6, 2]);
    expect(reshape(f32([5], [1, 1]), []).shape).toEqual([]);
  });

  it('copies non-contiguous inputs and keeps row-major element order', () => {
    const x = iota([2, 3]);
    const y = reshape(transpose(x), [6]);
    expect(values(y)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('rejects two -1s, uninferable and size-changing shapes, naming reshape and both shapes', () => {
    const x = iota([2, 3]);
    expect(() => reshape(x, [-1, -1])).toThrow(ShapeError);
    expect(() => reshape(x, [4, -1])).toThrow(/reshape/);
    expect(() => reshape(x, [7])).toThrow(/reshape: .*\(shapes: \[2, 3\], \[7\]\)/);
  });

  it('gradient', async () => {
    await checkGradients(
      (t) => mul(reshape(t, [3, -1]), f32([1, 2, 3, 4, 5, 6], [3, 2])),
      [randomParam([2, 3])],
    );
    await checkGradients((t) => reshape(transpose(t), [-1]), [randomParam([2, 3])]);
  });
});

describe('transpose', () => {
  it('permutes axes with perm (negative axes allowed) and reverses them by default', () => {
    const shape = [2, 3, 4];
    const x = iota(shape);
    const y = transpose(x, [2, 0, 1]);
    expect(y.shape).toEqual([4, 2, 3]);
    expect(values(y)).toEqual(build([4, 2, 3], ([a, b, c]) => flatIndex(shape, [b!, c!, a!])));
    expect(values(transpose(x, [-1, 0, -2]))).toEqual(values(y));
    const r = transpose(x);
    expect(r.shape).toEqual([4, 3, 2]);
    expect(values(r)).toEqual(build([4, 3, 2], ([a, b, c]) => flatIndex(shape, [c!, b!, a!])));
  });

  it('is a zero-copy view', () => {
    const x = iota([3, 4]);
    const live = backend.memoryInfo().liveBuffers;
    const y = transpose(x);
    expect(backend.memoryInfo().liveBuffers).toBe(live);
    expect(y.isContiguous).toBe(false);
  });

  it('rejects a perm that is not a permutation', () => {
    const x = iota([2, 3]);
    expect(() => transpose(x, [0, 0])).toThrow(InvalidArgumentError);
    expect(() => transpose(x, [0])).toThrow(/transpose/);
    expect(() => transpose(x, [0, 2])).toThrow(InvalidArgumentError);
  });

  it('transposeLast2 swaps the last two axes of every batch element', () => {
    const shape = [2, 3, 4];
    const y = transposeLast2(iota(shape));
    expect(y.shape).toEqual([2, 4, 3]);
    expect(values(y)).toEqual(build([2, 4, 3], ([a, b, c]) => flatIndex(shape, [a!, c!, b!])));
    expect(() => transposeLast2(iota([3]))).toThrow(ShapeError);
  });

  it('gradients', async () => {
    await checkGradients((t) => transpose(t, [2, 0, 1]), [randomParam([2, 3, 2])]);
    await checkGradients((t) => transposeLast2(t), [randomParam([2, 2, 3])]);
    await checkGradients((t) => exp(transpose(t)), [randomParam([3, 2])]);
  });
});

describe('slice', () => {
  it('takes a view with an offset; -1 extents and missing trailing axes run to the end', () => {
    const shape = [3, 4, 5];
    const x = iota(shape);
    const live = backend.memoryInfo().liveBuffers;
    const y = slice(x, [1, 1, 2], [2, 2, -1]);
    expect(backend.memoryInfo().liveBuffers).toBe(live);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(values(y)).toEqual(build([2, 2, 3], ([a, b, c]) => flatIndex(shape, [a! + 1, b! + 1, c! + 2])));
    const z = slice(x, [2]);
    expect(z.shape).toEqual([1, 4, 5]);
    expect(values(z)).toEqual(build([1, 4, 5], ([, b, c]) => flatIndex(shape, [2, b!, c!])));
    // A slice of a slice composes the offsets.
    const w = slice(y, [1, 0, 1], [1, 2, 2]);
    expect(values(w)).toEqual(build([1, 2, 2], ([, b, c]) => flatIndex(shape, [2, b! + 1, c! + 3])));
  });

  it('rejects ranges outside the tensor', () => {
    const x = iota([3, 4]);
    expect(() => slice(x, [2, 0], [2, 4])).toThrow(/slice: axis 0/);
    expect(() => slice(x, [0, -1])).toThrow(ShapeError);
    expect(() => slice(x, [0, 0, 0])).toThrow(ShapeError);
  });

  it('gradient is the upstream gradient padded with zeros', async () => {
    const x = randomParam([3, 4]);
    const seed = f32([1, 2, 3, 4], [2, 2]);
    const [g] = gradients(slice(x, [1, 2], [2, 2]), [x], { seed });
    expect(values(g!)).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4]);
    await checkGradients((t) => slice(t, [1, 0, 1], [1, 2, 2]), [randomParam([2, 3, 3])]);
    // Second order through the padding (its backward is a slice again).
    await checkGradients(
      (t) => gradients(sum(mul(slice(t, [1], [1]), slice(t, [1], [1]))), [t], { createGraph: true })[0]!,
      [randomParam([3, 2])],
    );
  });

  it('sliceAxis takes a range of one axis (negative axis allowed)', async () => {
    const shape = [2, 5, 3];
    const y = sliceAxis(iota(shape), 1, 1, 3);
    expect(y.shape).toEqual([2, 3, 3]);
    expect(values(y)).toEqual(build([2, 3, 3], ([a, b, c]) => flatIndex(shape, [a!, b! + 1, c!])));
    expect(values(sliceAxis(iota(shape), -1, 2, 1))).toEqual(
      build([2, 5, 1], ([a, b]) => flatIndex(shape, [a!, b!, 2])),
    );
    expect(() => sliceAxis(iota(shape), 3, 0, 1)).toThrow(InvalidArgumentError);
    await checkGradients((t) => sliceAxis(t, 0, 1, 2), [randomParam([4, 2])]);
  });
});

describe('broadcastTo, expandDims, squeeze', () => {
  it('broadcastTo makes a stride-0 view; its gradient sums over the broadcast axes', async () => {
    const x = f32([1, 2, 3], [3, 1]);
    const live = backend.memoryInfo().liveBuffers;
    const y = broadcastTo(x, [2, 3, 4]);
    expect(backend.memoryInfo().liveBuffers).toBe(live);
    expect(y.shape).toEqual([2, 3, 4]);
    expect(values(y)).toEqual(build([2, 3, 4], ([, b]) => b! + 1));
    expect(values(broadcastTo(x, [3, 1]))).toEqual([1, 2, 3]);
    expect(() => broadcastTo(x, [2, 4])).toThrow(ShapeError);
    expect(() => broadcastTo(iota([2, 3]), [3])).toThrow(/broadcastTo/);
    const p = param([1, 2, 3], [3, 1]);
    const [g] = gradients(sum(broadcastTo(p, [2, 3, 4])), [p]);
    expect(values(g!)).toEqual([8, 8, 8]);
    await checkGradients((t) => broadcastTo(t, [2, 3, 2]), [randomParam([3, 1])]);
    await checkGradients((t) => broadcastTo(t, [2, 3]), [randomParam([3])]);
  });

  it('expandDims inserts an axis of extent 1 (front, middle, end, negative)', async () => {
    const x = iota([2, 3]);
    expect(expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(expandDims(x, 1).shape).toEqual([2, 1, 3]);
    expect(expandDims(x, 2).shape).toEqual([2, 3, 1]);
    expect(expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(expandDims(x, -3).shape).toEqual([1, 2, 3]);
    expect(values(expandDims(transpose(x), 1))).toEqual([0, 3, 1, 4, 2, 5]);
    expect(() => expandDims(x, 3)).toThrow(InvalidArgumentError);
    await checkGradients((t) => expandDims(t, 1), [randomParam([2, 3])]);
  });

  it('squeeze removes all extent-1 axes or the listed ones', async () => {
    const x = iota([1, 3, 1, 2]);
    expect(squeeze(x).shape).toEqual([3, 2]);
    expect(squeeze(x, [0]).shape).toEqual([3, 1, 2]);
    expect(squeeze(x, [-2]).shape).toEqual([1, 3, 2]);
    expect(values(squeeze(x))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(squeeze(f32([7], [1, 1])).shape).toEqual([]);
    expect(() => squeeze(x, [1])).toThrow(/squeeze: axis 1 has extent 3/);
    await checkGradients((t) => squeeze(t), [randomParam([1, 3, 1])]);
  });
});

describe('concat and stack', () => {
  it('concatenates three tensors of different extents along a middle axis', async () => {
    const shapes: Shape[] = [
      [2, 1, 3],
      [2, 3, 3],
      [2, 2, 3],
    ];
    const xs = shapes.map((s, k) =>
      f32(
        build(s, (idx) => 100 * k + flatIndex(s, idx)),
        s,
      ),
    );
    const y = concat(xs, 1);
    expect(y.shape).toEqual([2, 6, 3]);
    const starts = [0, 1, 4];
    expect(values(y)).toEqual(
      build([2, 6, 3], ([a, b, c]) => {
        const k = b! >= 4 ? 2 : b! >= 1 ? 1 : 0;
        return 100 * k + flatIndex(shapes[k]!, [a!, b! - starts[k]!, c!]);
      }),
    );
    expect(values(concat(xs, -2))).toEqual(values(y));
    const params = shapes.map(randomParam);
    await checkGradients((a, b, c) => concat([a!, b!, c!], 1), params);
  });

  it('concatenates along the first and last axes, views and size-0 pieces', () => {
    const a = iota([2, 2]);
    const b = f32([10, 11], [1, 2]);
    expect(values(concat([a, b], 0))).toEqual([0, 1, 2, 3, 10, 11]);
    expect(values(concat([a, transpose(a)], 1))).toEqual([0, 1, 0, 2, 2, 3, 1, 3]);
    expect(values(concat([a, zeros(backend, [0, 2]), b], 0))).toEqual([0, 1, 2, 3, 10, 11]);
    expect(values(concat([a], 0))).toEqual([0, 1, 2, 3]);
  });

  it('gradient reaches only inputs that require it (a size-0 piece gets a size-0 gradient)', () => {
    const a = param([1, 2], [1, 2]);
    const e = param([], [0, 2]);
    const c = f32([3, 4], [1, 2]);
    const [ga, ge, gc] = gradients(concat([a, e, c], 0), [a, e, c], { seed: f32([5, 6, 7, 8], [2, 2]) });
    expect(values(ga!)).toEqual([5, 6]);
    expect(ge!.shape).toEqual([0, 2]);
    expect(gc).toBeNull();
  });

  it('rejects mismatched extents, naming concat and every shape', () => {
    expect(() => concat([iota([2, 3]), iota([3, 2])], 0)).toThrow(/concat: .*\(shapes: \[2, 3\], \[3, 2\]\)/);
    expect(() => concat([iota([2, 3]), iota([2])], 0)).toThrow(ShapeError);
    expect(() => concat([], 0)).toThrow(InvalidArgumentError);
    expect(() => concat([iota([2]), tensor(backend, new Int32Array(2), [2])], 0)).toThrow(ShapeError);
  });

  it('stack joins equal shapes along a new axis (0, 1, -1)', async () => {
    const a = iota([2, 3]);
    const b = f32(
      build([2, 3], (idx) => 10 + flatIndex([2, 3], idx)),
      [2, 3],
    );
    const s0 = stack([a, b]);
    expect(s0.shape).toEqual([2, 2, 3]);
    expect(values(s0)).toEqual([...values(a), ...values(b)]);
    const s1 = stack([a, b], 1);
    expect(s1.shape).toEqual([2, 2, 3]);
    expect(values(s1)).toEqual([0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15]);
    const s2 = stack([a, b], -1);
    expect(s2.shape).toEqual([2, 3, 2]);
    expect(values(s2)).toEqual([0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15]);
    await checkGradients((x, y) => stack([x!, y!], 1), [randomParam([2, 2]), randomParam([2, 2])]);
  });
});

describe('non-contiguous chains and edge extents', () => {
  it('transpose → slice → reshape → broadcast gives the values of a plain index computation', () => {
    const shape = [3, 4, 5];
    const data = rng.floats(sizeOf(shape), -1, 1);
    const x = f32(data, shape);
    const at = (i: number, j: number, k: number) => data[flatIndex(shape, [i, j, k])]!;
    // t[a, b, c] = x[b, c, a] : [5, 3, 4]; s[a, b, c] = t[a + 1, b, c + 1] : [3, 2, 3]
    const t = transpose(x, [2, 0, 1]);
    const s = slice(t, [1, 0, 1], [3, 2, 3]);
    const sRef = build([3, 2, 3], ([a, b, c]) => at(b!, c! + 1, a! + 1));
    expect(values(s)).toEqual(sRef);
    const r = reshape(s, [9, 2]);
    expect(values(r)).toEqual(sRef);
    // A further transpose of the copy, then a slice along the last axis.
    const u = slice(transpose(r), [0, 3], [2, 4]);
    expect(values(u)).toEqual(build([2, 4], ([a, b]) => sRef[(b! + 3) * 2 + a!]!));
    // Broadcasting a strided slice.
    const v = broadcastTo(expandDims(sliceAxis(t, 2, 3, 1), 0), [2, 5, 3, 1]);
    expect(values(v)).toEqual(build([2, 5, 3, 1], ([, a, b]) => at(b!, 3, a!)));
    expect(values(contiguous(s))).toEqual(sRef);
    expect(contiguous(s).isContiguous).toBe(true);
  });

  it('gradient through a non-contiguous chain', async () => {
    await checkGradients(
      (x) =>
        mul(reshape(slice(transpose(x, [2, 0, 1]), [1, 0, 1], [2, 2, 2]), [4, 2]), exp(f32([0, 1], [2]))),
      [randomParam([2, 3, 3])],
    );
    await checkGradients((x) => contiguous(transpose(x)), [randomParam([2, 3])]);
  });

  it('size-0 axes flow through every layout op', () => {
    const e = zeros(backend, [2, 0, 3]);
    expect(e.size).toBe(0);
    expect(values(e)).toEqual([]);
    expect(transpose(e).shape).toEqual([3, 0, 2]);
    expect(reshape(e, [0, 5]).shape).toEqual([0, 5]);
    expect(() => reshape(e, [-1, 0])).toThrow(ShapeError);
    expect(slice(iota([3, 4]), [1, 2], [0, 2]).shape).toEqual([0, 2]);
    expect(values(slice(iota([3, 4]), [3, 0], [0, 4]))).toEqual([]);
    expect(broadcastTo(f32([1], [1]), [0]).shape).toEqual([0]);
    expect(values(contiguous(transpose(e)))).toEqual([]);
    expect(stack([e, e], 1).shape).toEqual([2, 2, 0, 3]);
    expect(values(arange(backend, 0, 0))).toEqual([]);
  });

  it('size-1 axes: views with arbitrary strides on extent-1 axes read correctly', () => {
    const x = iota([1, 3, 1]);
    expect(values(transpose(x))).toEqual([0, 1, 2]);
    expect(transpose(x).isContiguous).toBe(true);
    const s = slice(iota([4, 3]), [2, 0], [1, 3]);
    expect(values(expandDims(s, 2))).toEqual([6, 7, 8]);
    expect(values(reshape(s, [3]))).toEqual([6, 7, 8]);
    expect(values(broadcastTo(slice(iota([2, 3]), [1, 1], [1, 1]), [2, 2]))).toEqual([4, 4, 4, 4]);
  });
});
