import { describe, expect, it } from 'vitest';
import type { BinaryOp, TensorView, UnaryOp } from '../../backend.js';
import { contiguousStrides } from '../../shape.js';
import { expectClose, Harness, randomArray, rng } from '../__fixtures__/harness.js';

/** Every multi-index of `shape`, row-major. */
function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) {
    const next: number[][] = [];
    for (const prefix of out) for (let i = 0; i < d; i++) next.push([...prefix, i]);
    out = next;
  }
  return out;
}

/** Buffer position of element `index` of `view`, computed explicitly. */
function at(view: TensorView, index: readonly number[]): number {
  let p = view.offset;
  for (let a = 0; a < index.length; a++) p += index[a]! * view.strides[a]!;
  return p;
}

/** A random strided layout of `shape`: permuted axes, gaps, random broadcast axes (stride 0), an offset. */
function randomLayout(
  random: () => number,
  shape: readonly number[],
  allowBroadcast: boolean,
): { strides: number[]; offset: number; size: number } {
  const rank = shape.length;
  const order = Array.from({ length: rank }, (_, i) => i).sort(() => random() - 0.5);
  const strides = new Array<number>(rank).fill(0);
  let step = 1 + Math.floor(random() * 2);
  for (const axis of order) {
    if (allowBroadcast && random() < 0.25) continue;
    strides[axis] = step;
    step *= shape[axis]! + Math.floor(random() * 2);
  }
  const offset = Math.floor(random() * 5);
  let size = offset + 1;
  for (let a = 0; a < rank; a++) size += (shape[a]! - 1) * strides[a]!;
  return { strides, offset, size };
}

function randomShape(random: () => number): number[] {
  const rank = Math.floor(random() * 5);
  return Array.from({ length: rank }, () => 1 + Math.floor(random() * 4));
}

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: Math.max,
  minimum: Math.min,
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
};

describe('cpu strided elementwise kernels', () => {
  it('binary ops on random broadcast, permuted and offset views match an explicit index computation', () => {
    const random = rng(3);
    const h = new Harness();
    for (let trial = 0; trial < 200; trial++) {
      const shape = randomShape(random);
      const la = randomLayout(random, shape, true);
      const lb = randomLayout(random, shape, true);
      const lo = randomLayout(random, shape, false);
      const aData = randomArray(random, la.size, 0.5, 2);
      const bData = randomArray(random, lb.size, 0.5, 2);
      // Equal values in places so the comparisons see ties.
      if (random() < 0.5) bData.set(aData.subarray(0, Math.min(aData.length, bData.length)));
      const a = h.input(aData, shape, la);
      const b = h.input(bData, shape, lb);
      const ops = Object.keys(BINARY) as BinaryOp[];
      const op = ops[trial % ops.length]!;
      const outInit = randomArray(random, lo.size);
      const out = h.input(outInit, shape, lo);
      h.backend.kernels.binary(op, a, b, out);
      const expected = Float32Array.from(outInit);
      for (const index of indices(shape)) {
        expected[at(out, index)] = BINARY[op](aData[at(a, index)]!, bData[at(b, index)]!);
      }
      expectClose(h.read(out), expected, 1e-6, 0);
    }
  });

  it('broadcasts a row and a column into an offset output', () => {
    const h = new Harness();
    const row = h.input([0, 1, 2, 3, 10], [3, 4], { strides: [0, 1], offset: 0 });
    const col = h.input([9, 100, 200, 300], [3, 4], { strides: [1, 0], offset: 1 });
    const out = h.input(new Float32Array(14), [3, 4], { strides: [4, 1], offset: 2 });
    h.backend.kernels.binary('add', row, col, out);
    expect(Array.from(h.read(out))).toEqual([
      0, 0, 100, 101, 102, 103, 200, 201, 202, 203, 300, 301, 302, 303,
    ]);
  });

  it('handles rank 0 and empty shapes', () => {
    const h = new Harness();
    const out = h.input([5, 5], [], { offset: 1 });
    h.backend.kernels.binary('mul', h.input([3], []), h.input([0, 4], [], { offset: 1 }), out);
    expect(Array.from(h.read(out))).toEqual([5, 12]);
    const empty = h.input([1, 2], [2, 0, 3]);
    h.backend.kernels.unary('neg', h.input([1, 2], [2, 0, 3]), empty);
    expect(Array.from(h.read(empty))).toEqual([1, 2]);
  });

  it('unary ops on a transposed view', () => {
    const h = new Harness();
    const ops: [UnaryOp, (x: number) => number][] = [
      ['neg', (x) => -x],
      ['exp', Math.exp],
      ['tanh', Math.tanh],
      ['square', (x) => x * x],
      ['relu', (x) => Math.max(x, 0)],
      ['sigmoid', (x) => 1 / (1 + Math.exp(-x))],
      ['softplus', (x) => Math.log(1 + Math.exp(x))],
      ['silu', (x) => x / (1 + Math.exp(-x))],
      ['geluTanh', (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))],
      ['step', (x) => (x > 0 ? 1 : 0)],
    ];
    const data = randomArray(rng(9), 12, -3, 3);
    for (const [op, f] of ops) {
      const x = h.input(data, [4, 3], { strides: [1, 4] });
      const out = h.output([4, 3]);
      h.backend.kernels.unary(op, x, out);
      const expected = new Float32Array(12);
      for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) expected[i * 3 + j] = f(data[j * 4 + i]!);
      expectClose(h.read(out), expected, 2e-6, 1e-7);
    }
  });

  it('erf and gelu are accurate across the line, including tiny and large arguments', () => {
    const h = new Harness();
    // erf reference values (Abramowitz & Stegun table / high-precision).
    const xs = [1e-8, -0.1, 0.5, 1, 2, 3.5, -6];
    const erfs = [
      1.1283791670955126e-8, -0.1124629160182849, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527,
      0.9999992569016276, -1,
    ];
    const out = h.output([xs.length]);
    h.backend.kernels.unary('erf', h.input(xs, [xs.length]), out);
    expectClose(h.read(out), erfs, 1e-6, 1e-7);
    const gelus = xs.map((x) => 0.5 * x * (1 + erfOf(x / Math.SQRT2)));
    h.backend.kernels.unary('gelu', h.input(xs, [xs.length]), out);
    expectClose(h.read(out), gelus, 1e-5, 1e-7);
    // Far negative inputs: gelu(−10) ≈ −7.6e−23, no cancellation to 0 or sign flips.
    const tail = h.output([1]);
    h.backend.kernels.unary('gelu', h.input([-10], [1]), tail);
    expectClose(h.read(tail), [-7.619853024160528e-23], 1e-5, 0);
  });

  it('i32 arithmetic wraps like C and comparisons write 1/0 in the output dtype', () => {
    const h = new Harness();
    const a = h.input([2147483647, -7, 65536, 7], [4], { dtype: 'i32' });
    const b = h.input([1, 2, 65536, -2], [4], { dtype: 'i32' });
    const sum = h.output([4], 'i32');
    h.backend.kernels.binary('add', a, b, sum);
    expect(Array.from(h.read(sum))).toEqual([-2147483648, -5, 131072, 5]);
    const prod = h.output([4], 'i32');
    h.backend.kernels.binary('mul', a, b, prod);
    expect(Array.from(h.read(prod))).toEqual([2147483647, -14, 0, -14]);
    const quot = h.output([4], 'i32');
    h.backend.kernels.binary('div', a, b, quot);
    expect(Array.from(h.read(quot))).toEqual([2147483647, -3, 1, -3]);
    const less = h.output([4], 'i32');
    h.backend.kernels.binary('less', h.input([1, 2, 3, Number.NaN], [4]), h.input([2, 2, 2, 0], [4]), less);
    expect(Array.from(h.read(less))).toEqual([1, 0, 0, 0]);
    const neg = h.output([3], 'i32');
    h.backend.kernels.unary('neg', h.input([-2147483648, 5, 0], [3], { dtype: 'i32' }), neg);
    expect(Array.from(h.read(neg))).toEqual([-2147483648, -5, 0]);
    const sign = h.output([3], 'i32');
    h.backend.kernels.unary('sign', h.input([-9, 0, 4], [3], { dtype: 'i32' }), sign);
    expect(Array.from(h.read(sign))).toEqual([-1, 0, 1]);
  });

  it('where picks by a broadcast condition', () => {
    const h = new Harness();
    const cond = h.input([1, 0, 1], [2, 3], { dtype: 'i32', strides: [0, 1] });
    const a = h.input([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = h.input([-1], [2, 3], { strides: [0, 0] });
    const out = h.output([2, 3]);
    h.backend.kernels.where(cond, a, b, out);
    expect(Array.from(h.read(out))).toEqual([1, -1, 3, 4, -1, 6]);
  });

  it('fill writes only the elements of a strided view', () => {
    const h = new Harness();
    const out = h.input(new Float32Array(12), [2, 2], { strides: [6, 2], offset: 1 });
    h.backend.kernels.fill(out, 4.5);
    expect(Array.from(h.read(out))).toEqual([0, 4.5, 0, 4.5, 0, 0, 0, 4.5, 0, 4.5, 0, 0]);
    const ints = h.input(new Int32Array(4), [4], { dtype: 'i32' });
    h.backend.kernels.fill(ints, -3);
    expect(Array.from(h.read(ints))).toEqual([-3, -3, -3, -3]);
  });

  it('copy transposes, slices and converts dtypes (f32 → i32 truncates toward zero, saturating)', () => {
    const h = new Harness();
    const data = Array.from({ length: 24 }, (_, i) => i);
    // x[:, 1:3, :] of a [2, 4, 3] tensor, transposed to [3, 2, 2].
    const x = h.input(data, [3, 2, 2], { strides: [1, 12, 3], offset: 3 });
    const out = h.output([3, 2, 2]);
    h.backend.kernels.copy(x, out);
    const expected: number[] = [];
    for (let k = 0; k < 3; k++)
      for (let i = 0; i < 2; i++) for (let j = 1; j < 3; j++) expected.push(i * 12 + j * 3 + k);
    expect(Array.from(h.read(out))).toEqual(expected);

    const f = h.input([1.9, -1.9, -0.5, 3e9, -3e9, Number.NaN, 0], [7]);
    const i = h.output([7], 'i32');
    h.backend.kernels.copy(f, i);
    expect(Array.from(h.read(i))).toEqual([1, -1, 0, 2147483647, -2147483648, 0, 0]);
    const back = h.output([7]);
    h.backend.kernels.copy(i, back);
    expect(Array.from(h.read(back))).toEqual([1, -1, 0, 2147483648, -2147483648, 0, 0]);
  });

  it('a contiguous copy with offsets copies the exact range', () => {
    const h = new Harness();
    const x = h.input([9, 1, 2, 3, 4, 9], [2, 2], { offset: 1, strides: contiguousStrides([2, 2]) });
    const out = h.input([7, 7, 7, 7, 7, 7], [2, 2], { offset: 2 });
    h.backend.kernels.copy(x, out);
    expect(Array.from(h.read(out))).toEqual([7, 7, 1, 2, 3, 4]);
  });
});

/** float64 erf by its Taylor series (converges for the small arguments used here) — an independent check. */
function erfOf(x: number): number {
  if (Math.abs(x) > 3) return Math.sign(x) * (1 - erfcTail(Math.abs(x)));
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Asymptotic erfc for large x. */
function erfcTail(x: number): number {
  let s = 1;
  let t = 1;
  for (let n = 1; n < 8; n++) {
    t *= -(2 * n - 1) / (2 * x * x);
    s += t;
  }
  return (Math.exp(-x * x) / (x * Math.sqrt(Math.PI))) * s;
}
