/**
 * Conformance tests of the strided elementwise and layout kernels: `unary`, `binary`, `where`, `fill`, `copy`.
 * @packageDocumentation
 */
import type { BinaryOp, UnaryOp } from '../../backend.js';
import type { DType } from '../../dtype.js';
import { caseLayout, kernelTest, type Layout, type SuiteContext } from '../harness.js';
import {
  binaryReference,
  convertReference,
  unaryReference,
  whereReference,
} from '../reference/elementwise.js';
import { randomShape, type TestRng } from '../test-rng.js';
import { EXACT, type ToleranceKey } from '../tolerances.js';

/** Random cases per test (case 0 contiguous, 1 transposed, 2 sliced/broadcast, then random layouts). */
const CASES = 5;

/** A random shape for case `c`: case 0 has no zero extents, later cases may. */
function caseShape(rng: TestRng, c: number): number[] {
  return c === 0 ? randomShape(rng, rng.int(1, 3)) : randomShape(rng, rng.int(0, 4), { allowZero: true });
}

type Sampler = (rng: TestRng) => number;
const symmetric =
  (r: number): Sampler =>
  (rng) =>
    rng.uniform(-r, r);
/** Mostly moderate values, sometimes huge ones that overflow naive formulas (e^100 in f32 is ∞). */
const wide: Sampler = (rng) =>
  rng.bool(0.15) ? rng.pick([-100, -50, -20, 20, 50, 100]) : rng.uniform(-4, 4);
const positive: Sampler = (rng) => Math.exp(rng.uniform(-4, 3));
const nonzero: Sampler = (rng) => (rng.bool() ? 1 : -1) * Math.exp(rng.uniform(-2.3, 2.3));
const smallInt: Sampler = (rng) => rng.int(-2, 2);

/** Input domain, tolerance class and special values of each unary op (a missing op is a compile error). */
const UNARY_DOMAINS: Record<UnaryOp, { sample: Sampler; tol: ToleranceKey; special: readonly number[] }> = {
  neg: { sample: symmetric(10), tol: 'elementwise', special: [0, Infinity, -Infinity] },
  abs: { sample: symmetric(10), tol: 'elementwise', special: [-0, -Infinity, Infinity] },
  sign: {
    sample: (rng) => (rng.bool(0.2) ? 0 : rng.uniform(-5, 5)),
    tol: 'elementwise',
    special: [0, -3, 3, 1e-30, -1e-30, -Infinity, Infinity],
  },
  exp: { sample: symmetric(10), tol: 'transcendental', special: [-Infinity, -100, 0, 80] },
  log: { sample: positive, tol: 'transcendental', special: [0, 1, 1e-30, 1e30, Infinity] },
  sqrt: { sample: positive, tol: 'transcendental', special: [0, 1e-30, 1e30, Infinity] },
  rsqrt: { sample: positive, tol: 'transcendental', special: [1e-30, 1e30, Infinity] },
  reciprocal: { sample: nonzero, tol: 'elementwise', special: [Infinity, -Infinity, 1e-30, -1e30] },
  square: { sample: symmetric(10), tol: 'elementwise', special: [0, 1e18, -1e18] },
  sin: { sample: symmetric(10), tol: 'transcendental', special: [0] },
  cos: { sample: symmetric(10), tol: 'transcendental', special: [0] },
  tanh: { sample: wide, tol: 'transcendental', special: [-Infinity, Infinity, -100, 100, 1e-8, 0] },
  sigmoid: { sample: wide, tol: 'transcendental', special: [-Infinity, Infinity, -100, 100, 0] },
  relu: { sample: symmetric(10), tol: 'elementwise', special: [-Infinity, Infinity, 0, -1e-30] },
  step: { sample: symmetric(10), tol: 'elementwise', special: [0, 1e-30, -1e-30, -Infinity, Infinity] },
  gelu: { sample: wide, tol: 'transcendental', special: [-100, -10, 0, 10, 100] },
  geluTanh: { sample: wide, tol: 'transcendental', special: [-100, -10, 0, 10, 100] },
  silu: { sample: wide, tol: 'transcendental', special: [-100, 0, 100] },
  softplus: { sample: wide, tol: 'transcendental', special: [-100, -20, 0, 20, 100] },
  erf: { sample: symmetric(6), tol: 'transcendental', special: [0, 1e-6, -10, 10, -Infinity, Infinity] },
};

/** The comparison ops (results 1/0, compared exactly). */
const COMPARISONS: readonly BinaryOp[] = [
  'equal',
  'notEqual',
  'less',
  'lessEqual',
  'greater',
  'greaterEqual',
];

/** The unary ops defined for i32 tensors. */
const INTEGER_UNARY_OPS: readonly UnaryOp[] = ['neg', 'abs', 'sign'];

/** Input domains of each binary op, whether it is tested on i32, and special `[a, b]` pairs. */
const BINARY_DOMAINS: Record<
  BinaryOp,
  { a: Sampler; b: Sampler; tol: ToleranceKey; i32: boolean; special: readonly (readonly [number, number])[] }
> = {
  add: {
    a: symmetric(10),
    b: symmetric(10),
    tol: 'elementwise',
    i32: true,
    special: [
      [Infinity, 1],
      [-Infinity, -Infinity],
      [3e38, 3e38],
    ],
  },
  sub: {
    a: symmetric(10),
    b: symmetric(10),
    tol: 'elementwise',
    i32: true,
    special: [
      [Infinity, 1],
      [2.5, 2.5],
    ],
  },
  mul: {
    a: symmetric(10),
    b: symmetric(10),
    tol: 'elementwise',
    i32: true,
    special: [
      [1e20, 1e20],
      [-Infinity, 2],
      [0, -1],
    ],
  },
  div: {
    a: symmetric(10),
    b: nonzero,
    tol: 'elementwise',
    i32: false,
    special: [
      [1, 0],
      [-1, 0],
      [0, 5],
      [Infinity, 2],
      [3, Infinity],
    ],
  },
  pow: {
    a: positive,
    b: symmetric(3),
    tol: 'transcendental',
    i32: false,
    // Negative bases with integer exponents are real (IEEE pow); x^0 = 1 for every x.
    special: [
      [-2, 2],
      [-2, 3],
      [-0.5, -2],
      [-3, 1],
      [0, 0],
      [5, 0],
      [0, 2],
      [2, -1],
      [4, 0.5],
    ],
  },
  maximum: {
    a: symmetric(10),
    b: symmetric(10),
    tol: 'elementwise',
    i32: true,
    special: [
      [-Infinity, 3],
      [Infinity, -1],
      [2, 2],
    ],
  },
  minimum: {
    a: symmetric(10),
    b: symmetric(10),
    tol: 'elementwise',
    i32: true,
    special: [
      [-Infinity, 3],
      [Infinity, -1],
      [2, 2],
    ],
  },
  equal: { a: smallInt, b: smallInt, tol: 'elementwise', i32: true, special: comparisonSpecials() },
  notEqual: { a: smallInt, b: smallInt, tol: 'elementwise', i32: true, special: comparisonSpecials() },
  less: { a: smallInt, b: smallInt, tol: 'elementwise', i32: true, special: comparisonSpecials() },
  lessEqual: { a: smallInt, b: smallInt, tol: 'elementwise', i32: true, special: comparisonSpecials() },
  greater: { a: smallInt, b: smallInt, tol: 'elementwise', i32: true, special: comparisonSpecials() },
  greaterEqual: { a: smallInt, b: smallInt, tol: 'elementwise', i32: true, special: comparisonSpecials() },
};

function comparisonSpecials(): readonly (readonly [number, number])[] {
  return [
    [0, -0],
    [Infinity, Infinity],
    [-Infinity, 0],
    [1.5, 1.5],
    [1e-30, 0],
  ];
}

/** Registers the `unary` tests. */
export function unarySuite(ctx: SuiteContext): void {
  for (const op of Object.keys(UNARY_DOMAINS) as UnaryOp[]) {
    const domain = UNARY_DOMAINS[op];
    kernelTest(ctx, 'unary', `${op} (f32, strided inputs and special values)`, async (h, rng) => {
      const { kernels } = ctx.backend();
      for (let c = 0; c < CASES; c++) {
        const shape = caseShape(rng, c);
        const x = h.input(
          'f32',
          shape,
          () => domain.sample(rng),
          caseLayout(rng, shape, c, { broadcast: true }),
        );
        const out = h.output('f32', shape);
        kernels.unary(op, x.view, out);
        const expected = x.values.map((v) => unaryReference(op, v));
        await h.expectView(out, expected, ctx.tol(domain.tol), `unary ${op} case ${c}`);
      }
      const x = h.input('f32', [domain.special.length], domain.special);
      const out = h.output('f32', x.view.shape);
      kernels.unary(op, x.view, out);
      const expected = x.values.map((v) => unaryReference(op, v));
      await h.expectView(
        out,
        expected,
        ctx.tol(domain.tol),
        `unary ${op} special values [${domain.special}]`,
      );
    });
  }
  for (const op of INTEGER_UNARY_OPS) {
    kernelTest(ctx, 'unary', `${op} (i32)`, async (h, rng) => {
      for (let c = 0; c < CASES; c++) {
        const shape = caseShape(rng, c);
        const x = h.input(
          'i32',
          shape,
          () => rng.int(-1000, 1000),
          caseLayout(rng, shape, c, { broadcast: true }),
        );
        const out = h.output('i32', shape);
        ctx.backend().kernels.unary(op, x.view, out);
        const expected = x.values.map((v) => unaryReference(op, v, 'i32'));
        await h.expectView(out, expected, EXACT, `unary ${op} i32 case ${c}`);
      }
    });
  }
}

/** Registers the `binary` tests. */
export function binarySuite(ctx: SuiteContext): void {
  for (const op of Object.keys(BINARY_DOMAINS) as BinaryOp[]) {
    const domain = BINARY_DOMAINS[op];
    const dtypes: DType[] = domain.i32 ? ['f32', 'i32'] : ['f32'];
    for (const dtype of dtypes) {
      kernelTest(ctx, 'binary', `${op} (${dtype}, broadcasting and strided inputs)`, async (h, rng) => {
        const { kernels } = ctx.backend();
        const integer: Sampler = domain.a === smallInt ? smallInt : (r) => r.int(-50, 50);
        const sampleA = dtype === 'i32' ? integer : domain.a;
        const sampleB = dtype === 'i32' ? integer : domain.b;
        const tol = dtype === 'i32' || COMPARISONS.includes(op) ? EXACT : ctx.tol(domain.tol);
        for (let c = 0; c < CASES + 2; c++) {
          let shape: number[];
          let layoutA: Layout;
          let layoutB: Layout;
          if (c === CASES) {
            // Outer-product broadcast: a [M, 1] and b [1, N] both read as [M, N] through stride-0 axes.
            shape = [rng.int(2, 5), rng.int(2, 5)];
            layoutA = { broadcast: [false, true] };
            layoutB = { broadcast: [true, false], offset: 3 };
          } else if (c === CASES + 1) {
            // A scalar broadcast to a whole tensor (every stride 0).
            shape = randomShape(rng, 3);
            layoutA = { order: [2, 1, 0] };
            layoutB = { broadcast: [true, true, true], offset: 1 };
          } else {
            shape = caseShape(rng, c);
            layoutA = caseLayout(rng, shape, c, { broadcast: true });
            layoutB = caseLayout(rng, shape, c === 1 ? 2 : c, { broadcast: true });
          }
          const a = h.input(dtype, shape, () => sampleA(rng), layoutA);
          const b = h.input(dtype, shape, () => sampleB(rng), layoutB);
          const out = h.output(dtype, shape);
          kernels.binary(op, a.view, b.view, out);
          const expected = a.values.map((v, i) => binaryReference(op, v, b.values[i]!));
          await h.expectView(out, expected, tol, `binary ${op} ${dtype} case ${c}`);
        }
        if (dtype === 'f32') {
          const a = h.input(
            'f32',
            [domain.special.length],
            domain.special.map((p) => p[0]),
          );
          const b = h.input(
            'f32',
            [domain.special.length],
            domain.special.map((p) => p[1]),
          );
          const out = h.output('f32', a.view.shape);
          kernels.binary(op, a.view, b.view, out);
          const expected = a.values.map((v, i) => binaryReference(op, v, b.values[i]!));
          const pairs = domain.special.map((p) => `(${p[0]}, ${p[1]})`).join(' ');
          await h.expectView(out, expected, tol, `binary ${op} special pairs ${pairs}`);
        }
      });
    }
  }
}

/** Registers the `where` tests. */
export function whereSuite(ctx: SuiteContext): void {
  const variants: { cond: DType; data: DType; condValues: readonly number[] }[] = [
    { cond: 'i32', data: 'f32', condValues: [0, 1, -3, 7] },
    { cond: 'f32', data: 'f32', condValues: [0, -0, 0.5, -2, 1] },
    { cond: 'i32', data: 'i32', condValues: [0, 1, 2] },
  ];
  for (const variant of variants) {
    kernelTest(
      ctx,
      'where',
      `${variant.cond} condition, ${variant.data} data, broadcast and strided`,
      async (h, rng) => {
        for (let c = 0; c < CASES; c++) {
          const shape = caseShape(rng, c);
          const sample = (): number => (variant.data === 'i32' ? rng.int(-100, 100) : rng.uniform(-5, 5));
          const cond = h.input(
            variant.cond,
            shape,
            () => rng.pick(variant.condValues),
            caseLayout(rng, shape, c, { broadcast: true }),
          );
          const a = h.input(
            variant.data,
            shape,
            sample,
            caseLayout(rng, shape, (c + 1) % CASES, { broadcast: true }),
          );
          const b = h.input(
            variant.data,
            shape,
            sample,
            caseLayout(rng, shape, (c + 2) % CASES, { broadcast: true }),
          );
          const out = h.output(variant.data, shape);
          ctx.backend().kernels.where(cond.view, a.view, b.view, out);
          const expected = cond.values.map((v, i) => whereReference(v, a.values[i]!, b.values[i]!));
          await h.expectView(out, expected, EXACT, `where case ${c}`);
        }
      },
    );
  }
}

/** Registers the `fill` tests. */
export function fillSuite(ctx: SuiteContext): void {
  const cases: { title: string; dtype: DType; shape: number[]; value: number; strided: boolean }[] = [
    { title: 'contiguous f32', dtype: 'f32', shape: [3, 4], value: 3.5, strided: false },
    { title: 'scalar f32', dtype: 'f32', shape: [], value: -2.25, strided: false },
    { title: 'strided f32 with −∞', dtype: 'f32', shape: [2, 3, 4], value: -Infinity, strided: true },
    { title: 'strided i32', dtype: 'i32', shape: [4, 1, 3], value: 7, strided: true },
    { title: 'size-0 output is untouched', dtype: 'f32', shape: [0, 3], value: 1, strided: true },
  ];
  for (const cs of cases) {
    kernelTest(ctx, 'fill', cs.title, async (h, rng) => {
      const layout = cs.strided
        ? { ...caseLayout(rng, cs.shape, 3), broadcast: undefined, padding: cs.shape.map(() => 1) }
        : {};
      const out = h.output(cs.dtype, cs.shape, { layout });
      ctx.backend().kernels.fill(out, cs.value);
      const expected = new Float64Array(out.shape.reduce((p, d) => p * d, 1)).fill(cs.value);
      await h.expectView(out, expected, EXACT, `fill ${cs.title}`);
    });
  }
}

/** Registers the `copy` tests. */
export function copySuite(ctx: SuiteContext): void {
  const pairs: [DType, DType][] = [
    ['f32', 'f32'],
    ['i32', 'i32'],
    ['f32', 'i32'],
    ['i32', 'f32'],
  ];
  for (const [from, to] of pairs) {
    kernelTest(ctx, 'copy', `${from} → ${to} (random strided input and output)`, async (h, rng) => {
      for (let c = 0; c < CASES + 2; c++) {
        const shape = caseShape(rng, c);
        const sample = (): number => (from === 'i32' ? rng.int(-1000, 1000) : rng.uniform(-100, 100));
        const x = h.input(from, shape, sample, caseLayout(rng, shape, c % CASES, { broadcast: true }));
        const outLayout = c < CASES ? {} : caseLayout(rng, shape, 1 + (c % 2));
        const out = h.output(to, shape, { layout: { ...outLayout, broadcast: undefined } });
        ctx.backend().kernels.copy(x.view, out);
        const expected = x.values.map((v) => convertReference(v, from, to));
        await h.expectView(out, expected, EXACT, `copy ${from}→${to} case ${c}`);
      }
    });
  }
  kernelTest(ctx, 'copy', 'transpose of a matrix', async (h, rng) => {
    const x = h.input('f32', [3, 5], () => rng.uniform(-1, 1), { order: [1, 0] });
    const out = h.output('f32', [3, 5]);
    ctx.backend().kernels.copy(x.view, out);
    await h.expectView(out, x.values, EXACT, 'copy transpose');
  });
  kernelTest(ctx, 'copy', 'slice at an offset (x[2:5, 1:6] of a [6, 7] tensor)', async (h, rng) => {
    const base = h.input('f32', [6, 7], () => rng.uniform(-1, 1));
    const view = { ...base.view, shape: [3, 5], strides: [7, 1], offset: 2 * 7 + 1 };
    const out = h.output('f32', [3, 5]);
    ctx.backend().kernels.copy(view, out);
    const expected: number[] = [];
    for (let i = 2; i < 5; i++) for (let j = 1; j < 6; j++) expected.push(base.values[i * 7 + j]!);
    await h.expectView(out, expected, EXACT, 'copy slice');
  });
  kernelTest(ctx, 'copy', 'broadcast input ([1, 4] read as [3, 4])', async (h, rng) => {
    const x = h.input('f32', [3, 4], () => rng.uniform(-1, 1), { broadcast: [true, false] });
    const out = h.output('f32', [3, 4]);
    ctx.backend().kernels.copy(x.view, out);
    await h.expectView(out, x.values, EXACT, 'copy broadcast');
  });
  kernelTest(ctx, 'copy', 'strided output (concat into columns 2..5 of a [2, 7] tensor)', async (h, rng) => {
    const x = h.input('f32', [2, 3], () => rng.uniform(-1, 1));
    const out = h.output('f32', [2, 3], { layout: { padding: [0, 4], offset: 2 } });
    ctx.backend().kernels.copy(x.view, out);
    await h.expectView(out, x.values, EXACT, 'copy strided output');
  });
  kernelTest(ctx, 'copy', 'f32 → i32 truncates toward zero', async (h) => {
    const values = [2.7, -2.7, 0.5, -0.5, 100.99, -100.99, 0, -0, 7, -7, 1e6 + 0.5];
    const x = h.input('f32', [values.length], values, { offset: 1 });
    const out = h.output('i32', [values.length]);
    ctx.backend().kernels.copy(x.view, out);
    await h.expectView(out, x.values.map(Math.trunc), EXACT, 'copy f32→i32');
  });
}
