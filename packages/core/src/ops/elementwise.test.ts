import { describe, expect, it } from 'vitest';
import { gradients, requireGrad } from '../autograd.js';
import { cpuBackend } from '../cpu/index.js';
import { DTypeError, ShapeError } from '../errors.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectAllClose } from '../testing/all-close.js';
import { checkGradients } from '../testing/gradcheck.js';
import { createTestRng } from '../testing/test-rng.js';
import { full, tensor } from './creation.js';
import {
  abs,
  add,
  cast,
  cos,
  div,
  equal,
  erf,
  exp,
  gelu,
  geluTanh,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  relu,
  rsqrt,
  sigmoid,
  sign,
  silu,
  sin,
  softplus,
  sqrt,
  square,
  step,
  sub,
  tanh,
  where,
} from './elementwise.js';
import { transpose } from './layout.js';
import { sum } from './reduce.js';

// Values: float64 reference from the same f32 inputs, |actual − expected| ≤ 1e-6 + 1e-5·|expected|.
// Gradients: checkGradients defaults (eps 1e-2, rtol 2e-2, atol 2e-3) unless stated.
const VALUES = { rtol: 1e-5, atol: 1e-6 };

const backend = cpuBackend();
const rng = createTestRng(0xe1e);

const sizeOf = (shape: Shape) => shape.reduce((p, d) => p * d, 1);
const f32 = (data: ArrayLike<number>, shape: Shape) => tensor(backend, Float32Array.from(data), shape);
const param = (data: ArrayLike<number>, shape: Shape) => requireGrad(f32(data, shape));
const values = (t: Tensor) => Array.from(t.dataSync());

/** Uniform values in [lo, hi), with magnitude at least `gap` (keeps kinks and poles at 0 out of reach). */
function randomValues(n: number, lo: number, hi: number, gap = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = rng.uniform(lo, hi);
    while (Math.abs(v) < gap) v = rng.uniform(lo, hi);
    out[i] = v;
  }
  return out;
}

/** erf in float64 by its Maclaurin series (accurate to ~1e-14 for |x| ≤ 3). */
function erfRef(x: number): number {
  let term = x;
  let s = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    s += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * s;
}

/** Plain-JS NumPy broadcasting of a binary function over row-major data. */
function broadcastRef(
  a: ArrayLike<number>,
  aShape: Shape,
  b: ArrayLike<number>,
  bShape: Shape,
  f: (x: number, y: number) => number,
): { shape: number[]; data: number[] } {
  const rank = Math.max(aShape.length, bShape.length);
  const pad = (s: Shape) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const ap = pad(aShape);
  const bp = pad(bShape);
  const shape = ap.map((d, i) => Math.max(d, bp[i]!));
  const index = (s: number[], idx: number[]) =>
    s.reduce((flat, d, i) => flat * d + (d === 1 ? 0 : idx[i]!), 0);
  const data: number[] = [];
  for (let flat = 0; flat < sizeOf(shape); flat++) {
    const idx: number[] = [];
    let rest = flat;
    for (let k = rank - 1; k >= 0; k--) {
      idx[k] = rest % shape[k]!;
      rest = Math.floor(rest / shape[k]!);
    }
    data.push(f(a[index(ap, idx)]!, b[index(bp, idx)]!));
  }
  return { shape, data };
}

interface UnaryCase {
  readonly name: string;
  readonly op: (x: Tensor) => Tensor;
  readonly ref: (x: number) => number;
  /** Input range and the smallest magnitude allowed (kinks/poles at 0). */
  readonly lo: number;
  readonly hi: number;
  readonly gap?: number;
}

const sigmoidRef = (x: number) => 1 / (1 + Math.exp(-x));
const UNARY: readonly UnaryCase[] = [
  { name: 'neg', op: neg, ref: (x) => -x, lo: -2, hi: 2 },
  { name: 'abs', op: abs, ref: Math.abs, lo: -2, hi: 2, gap: 0.1 },
  { name: 'exp', op: exp, ref: Math.exp, lo: -2, hi: 2 },
  { name: 'log', op: log, ref: Math.log, lo: 0.3, hi: 3 },
  { name: 'sqrt', op: sqrt, ref: Math.sqrt, lo: 0.3, hi: 3 },
  { name: 'rsqrt', op: rsqrt, ref: (x) => 1 / Math.sqrt(x), lo: 0.4, hi: 3 },
  { name: 'reciprocal', op: reciprocal, ref: (x) => 1 / x, lo: -2, hi: 2, gap: 0.4 },
  { name: 'square', op: square, ref: (x) => x * x, lo: -2, hi: 2 },
  { name: 'sin', op: sin, ref: Math.sin, lo: -3, hi: 3 },
  { name: 'cos', op: cos, ref: Math.cos, lo: -3, hi: 3 },
  { name: 'tanh', op: tanh, ref: Math.tanh, lo: -2, hi: 2 },
  { name: 'sigmoid', op: sigmoid, ref: sigmoidRef, lo: -3, hi: 3 },
  { name: 'relu', op: relu, ref: (x) => Math.max(x, 0), lo: -2, hi: 2, gap: 0.1 },
  { name: 'softplus', op: softplus, ref: (x) => Math.log1p(Math.exp(x)), lo: -3, hi: 3 },
  { name: 'erf', op: erf, ref: erfRef, lo: -2.5, hi: 2.5 },
  { name: 'silu', op: silu, ref: (x) => x * sigmoidRef(x), lo: -3, hi: 3 },
  { name: 'gelu', op: gelu, ref: (x) => 0.5 * x * (1 + erfRef(x / Math.SQRT2)), lo: -3, hi: 3 },
  {
    name: 'geluTanh',
    op: geluTanh,
    ref: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
    lo: -3,
    hi: 3,
  },
];

describe('unary ops', () => {
  for (const c of UNARY) {
    it(`${c.name}: values match a float64 reference`, () => {
      const data = randomValues(12, c.lo, c.hi, c.gap);
      const y = c.op(f32(data, [3, 4]));
      expect(y.shape).toEqual([3, 4]);
      expect(y.dtype).toBe('f32');
      expectAllClose(y.dataSync(), Array.from(data, c.ref), { ...VALUES, shape: [3, 4] }, c.name);
    });

    it(`${c.name}: gradient matches finite differences`, async () => {
      const x = param(randomValues(6, c.lo, c.hi, c.gap), [2, 3]);
      await checkGradients(c.op, [x]);
    });
  }

  it('works on non-contiguous views (a transposed input)', async () => {
    const data = randomValues(6, -2, 2);
    const xt = transpose(f32(data, [2, 3]));
    const transposed = [0, 3, 1, 4, 2, 5].map((i) => data[i]!);
    expectAllClose(exp(xt).dataSync(), transposed.map(Math.exp), VALUES);
    expectAllClose(
      add(xt, f32([1, 2], [2])).dataSync(),
      transposed.map((v, i) => v + 1 + (i % 2)),
      VALUES,
    );
    await checkGradients((t) => tanh(transpose(t)), [param(data, [2, 3])]);
  });

  it('sign and step: values, and no gradient flows through them', () => {
    const x = param([-1.5, -0.25, 0, 0.5, 2], [5]);
    expect(values(sign(x))).toEqual([-1, -1, 0, 1, 1]);
    expect(values(step(x))).toEqual([0, 0, 0, 1, 1]);
    expect(sign(x).requiresGrad).toBe(false);
    expect(step(x).requiresGrad).toBe(false);
    // d/dx Σ sign(x)·x = sign(x) (sign treated as a constant).
    const [g] = gradients(sum(mul(sign(x), x)), [x]);
    expect(values(g!)).toEqual([-1, -1, 0, 1, 1]);
  });

  it('relu and abs have zero gradient at exactly 0', () => {
    const x = param([-1, 0, 1], [3]);
    expect(values(gradients(sum(relu(x)), [x])[0]!)).toEqual([0, 0, 1]);
    expect(values(gradients(sum(abs(x)), [x])[0]!)).toEqual([-1, 0, 1]);
  });

  it('i32 tensors support neg, abs, sign and square; other unary ops throw DTypeError', () => {
    const x = tensor(backend, new Int32Array([-3, 0, 4]), [3]);
    expect(values(neg(x))).toEqual([3, 0, -4]);
    expect(values(abs(x))).toEqual([3, 0, 4]);
    expect(values(sign(x))).toEqual([-1, 0, 1]);
    expect(values(square(x))).toEqual([9, 0, 16]);
    expect(neg(x).dtype).toBe('i32');
    expect(() => exp(x)).toThrow(DTypeError);
    expect(() => sqrt(x)).toThrow(/sqrt/);
  });
});

interface BinaryCase {
  readonly name: string;
  readonly op: (a: Tensor | number, b: Tensor | number) => Tensor;
  readonly ref: (a: number, b: number) => number;
  /** Makes inputs valid for the op: a and b drawn here. */
  readonly draw: (n: number, side: 'a' | 'b') => Float32Array;
}

/** Values on a grid: a on multiples of 0.3, b shifted by 0.15, so |a − b| ≥ 0.15 (no ties within eps). */
const grid = (n: number, side: 'a' | 'b') =>
  Float32Array.from({ length: n }, () => 0.3 * rng.int(-5, 5) + (side === 'b' ? 0.15 : 0));

const BINARY: readonly BinaryCase[] = [
  { name: 'add', op: add, ref: (a, b) => a + b, draw: (n) => randomValues(n, -2, 2) },
  { name: 'sub', op: sub, ref: (a, b) => a - b, draw: (n) => randomValues(n, -2, 2) },
  { name: 'mul', op: mul, ref: (a, b) => a * b, draw: (n) => randomValues(n, -2, 2) },
  {
    name: 'div',
    op: div,
    ref: (a, b) => a / b,
    draw: (n, side) => (side === 'a' ? randomValues(n, -2, 2) : randomValues(n, -2, 2, 0.5)),
  },
  {
    name: 'pow',
    op: pow,
    ref: (a, b) => a ** b,
    draw: (n, side) => (side === 'a' ? randomValues(n, 0.5, 2) : randomValues(n, -1.5, 2)),
  },
  { name: 'maximum', op: maximum, ref: Math.max, draw: grid },
  { name: 'minimum', op: minimum, ref: Math.min, draw: grid },
];

const BROADCASTS: readonly [Shape, Shape][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [
    [3, 1, 4],
    [2, 4],
  ],
  [
    [2, 4],
    [3, 1, 4],
  ],
  [[2, 3], []],
  [[4], [3, 1]],
];

describe('binary ops', () => {
  for (const c of BINARY) {
    for (const [aShape, bShape] of BROADCASTS) {
      const label = `${c.name} [${aShape}] with [${bShape}]`;
      it(`${label}: values with broadcasting`, () => {
        const a = c.draw(sizeOf(aShape), 'a');
        const b = c.draw(sizeOf(bShape), 'b');
        const y = c.op(f32(a, aShape), f32(b, bShape));
        const ref = broadcastRef(a, aShape, b, bShape, c.ref);
        expect(y.shape).toEqual(ref.shape);
        expectAllClose(y.dataSync(), ref.data, { ...VALUES, shape: ref.shape }, label);
      });

      it(`${label}: gradients to both inputs`, async () => {
        const a = param(c.draw(sizeOf(aShape), 'a'), aShape);
        const b = param(c.draw(sizeOf(bShape), 'b'), bShape);
        await checkGradients((x, y) => c.op(x, y), [a, b]);
      });
    }

    it(`${c.name}: numbers are promoted to scalars on either side`, async () => {
      // Left: tensor op number; right: number op tensor (each side drawn from its valid domain).
      const left = c.draw(6, 'a');
      const s = c.draw(1, 'b')[0]!;
      const right = c.draw(6, 'b');
      const r = c.draw(1, 'a')[0]!;
      const yl = c.op(f32(left, [2, 3]), s);
      const yr = c.op(r, f32(right, [2, 3]));
      expect(yl.shape).toEqual([2, 3]);
      expect(yr.shape).toEqual([2, 3]);
      expectAllClose(
        yl.dataSync(),
        Array.from(left, (v) => c.ref(v, s)),
        VALUES,
        `${c.name}(x, ${s})`,
      );
      expectAllClose(
        yr.dataSync(),
        Array.from(right, (v) => c.ref(r, v)),
        VALUES,
        `${c.name}(${r}, x)`,
      );
      await checkGradients((t) => c.op(t, s), [param(left, [2, 3])]);
      await checkGradients((t) => c.op(r, t), [param(right, [2, 3])]);
    });
  }

  it('pow: negative bases with integer exponents (values and base gradient)', async () => {
    const data = [-2, -1.5, -0.5, 0.5, 1.25];
    const y = pow(f32(data, [5]), 3);
    expectAllClose(
      y.dataSync(),
      data.map((v) => v ** 3),
      VALUES,
    );
    await checkGradients((t) => pow(t, 3), [param(data, [5])]);
    // The exponent gradient is taken as 0 where the base is ≤ 0 (no NaN).
    const base = f32([-2, 0, 2], [3]);
    const e = param([2, 2, 2], [3]);
    const [ge] = gradients(sum(pow(base, e)), [e]);
    expectAllClose(ge!.dataSync(), [0, 0, 4 * Math.log(2)], VALUES);
  });

  it('maximum/minimum: ties send the whole gradient to the first argument', () => {
    const a = param([1, 2, 3], [3]);
    const b = param([1, 5, 0], [3]);
    const [gaMax, gbMax] = gradients(sum(maximum(a, b)), [a, b]);
    expect(values(gaMax!)).toEqual([1, 0, 1]);
    expect(values(gbMax!)).toEqual([0, 1, 0]);
    const [gaMin, gbMin] = gradients(sum(minimum(a, b)), [a, b]);
    expect(values(gaMin!)).toEqual([1, 1, 0]);
    expect(values(gbMin!)).toEqual([0, 0, 1]);
  });

  it('i32 arithmetic stays i32', () => {
    const a = tensor(backend, new Int32Array([1, -2, 3]), [3]);
    const y = add(mul(a, 3), a);
    expect(y.dtype).toBe('i32');
    expect(values(y)).toEqual([4, -8, 12]);
  });

  it('rejects mixed dtypes, unbroadcastable shapes and two numbers', () => {
    const a = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    const i = tensor(backend, new Int32Array([1, 2, 3]), [3]);
    expect(() => add(a, i)).toThrow(DTypeError);
    expect(() => add(a, f32([1, 2, 3, 4], [4]))).toThrow(ShapeError);
    expect(() => mul(a, f32([1, 2], [2]))).toThrow(
      /mul: shapes do not broadcast \(shapes: \[2, 3\], \[2\]\)/,
    );
    expect(() => add(1, 2)).toThrow(TypeError);
  });
});

describe('comparison ops', () => {
  const a = [1, 2, 3, 2, -1, 0];
  const b = [2, 2, 1];
  const cases: [
    string,
    (x: Tensor | number, y: Tensor | number) => Tensor,
    (x: number, y: number) => boolean,
  ][] = [
    ['equal', equal, (x, y) => x === y],
    ['notEqual', notEqual, (x, y) => x !== y],
    ['less', less, (x, y) => x < y],
    ['lessEqual', lessEqual, (x, y) => x <= y],
    ['greater', greater, (x, y) => x > y],
    ['greaterEqual', greaterEqual, (x, y) => x >= y],
  ];
  for (const [name, op, ref] of cases) {
    it(`${name}: 1/0 values with broadcasting, in the inputs' dtype, not differentiable`, () => {
      const x = param(a, [2, 3]);
      const y = op(x, f32(b, [3]));
      expect(y.dtype).toBe('f32');
      expect(y.requiresGrad).toBe(false);
      expect(values(y)).toEqual(broadcastRef(a, [2, 3], b, [3], (p, q) => (ref(p, q) ? 1 : 0)).data);
      const yi = op(tensor(backend, Int32Array.from(a), [2, 3]), 2);
      expect(yi.dtype).toBe('i32');
      expect(values(yi)).toEqual(a.map((v) => (ref(v, 2) ? 1 : 0)));
      // A number on the left.
      expect(values(op(2, f32(a, [6])))).toEqual(a.map((v) => (ref(2, v) ? 1 : 0)));
    });
  }
});

describe('where', () => {
  it('selects with broadcasting (cond [3,1], a [3,4], b [4] and numbers)', () => {
    const cond = tensor(backend, new Int32Array([1, 0, 1]), [3, 1]);
    const a = randomValues(12, -1, 1);
    const b = randomValues(4, -1, 1);
    const y = where(cond, f32(a, [3, 4]), f32(b, [4]));
    expect(y.shape).toEqual([3, 4]);
    const expected = Array.from({ length: 12 }, (_, i) => ([1, 0, 1][Math.floor(i / 4)] ? a[i]! : b[i % 4]!));
    expectAllClose(y.dataSync(), expected, VALUES);
    expect(values(where(cond, f32([5, 6, 7], [3, 1]), -1))).toEqual([5, -1, 7]);
    expect(values(where(f32([0, 0.5], [2]), 1, f32([3, 4], [2])))).toEqual([3, 1]);
  });

  it('gradients flow to a and b (summed over broadcast axes), not to cond', async () => {
    const cond = f32([1, 0, 0, 1, 1, 0], [2, 3]);
    const a = param(randomValues(6, -1, 1), [2, 3]);
    const b = param(randomValues(3, -1, 1), [3]);
    await checkGradients((x, y) => where(cond, x, y), [a, b]);
    const [ga, gb] = gradients(sum(where(cond, a, b)), [a, b]);
    expect(values(ga!)).toEqual([1, 0, 0, 1, 1, 0]);
    expect(values(gb!)).toEqual([0, 1, 2]);
  });
});

describe('cast', () => {
  it('f32 → i32 truncates toward zero; i32 → f32 is exact', () => {
    const y = cast(f32([-1.7, -0.2, 0.5, 2.9, 7], [5]), 'i32');
    expect(y.dtype).toBe('i32');
    expect(values(y)).toEqual([-1, 0, 0, 2, 7]);
    const z = cast(tensor(backend, new Int32Array([-3, 0, 16777216]), [3]), 'f32');
    expect(z.dtype).toBe('f32');
    expect(values(z)).toEqual([-3, 0, 16777216]);
  });

  it('f32 → f32 passes the gradient; casts to i32 are not recorded', async () => {
    const x = param(randomValues(4, -1, 1), [4]);
    await checkGradients((t) => mul(cast(t, 'f32'), t), [x]);
    expect(cast(x, 'i32').requiresGrad).toBe(false);
  });

  it('works on strided views', () => {
    const x = transpose(f32([1.5, 2.5, -3.5, 4.5], [2, 2]));
    expect(values(cast(x, 'i32'))).toEqual([1, -3, 2, 4]);
    expect(values(cast(full(backend, [2], 2.75), 'i32'))).toEqual([2, 2]);
  });
});
