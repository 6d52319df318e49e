/**
 * Conformance tests of the kernels along the middle axis of `[outer, n, inner]`: `reduce`, `argmax`,
 * `cumsum` and `cummax`.
 * @packageDocumentation
 */
import type { ReduceOp } from '../../backend.js';
import type { DType } from '../../dtype.js';
import { kernelTest, type SuiteContext, withRandomShapes } from '../harness.js';
import { cumulativeReference } from '../reference/cumulative.js';
import { argmaxReference, reduceReference } from '../reference/reduce.js';
import type { TestRng } from '../test-rng.js';
import { EXACT } from '../tolerances.js';

/** `[outer, n, inner]` shapes: unit, n = 1, inner > 1, every extent 0 in turn, and a larger one. */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [2, 5, 1],
  [1, 6, 3],
  [3, 1, 4],
  [4, 7, 2],
  [1, 33, 1],
  [3, 0, 2],
  [0, 4, 2],
  [2, 3, 0],
];

/** A value for reductions: mostly normal, sometimes an exact tie or (for max-like ops) −∞. */
function sample(rng: TestRng, dtype: DType, allowInfinity: boolean): number {
  if (dtype === 'i32') return rng.int(-100, 100);
  if (allowInfinity && rng.bool(0.05)) return -Infinity;
  if (rng.bool(0.1)) return 1.5;
  return rng.normal(0, 3);
}

/** Registers the `reduce` tests. */
export function reduceSuite(ctx: SuiteContext): void {
  const ops: readonly ReduceOp[] = ['sum', 'max', 'min'];
  for (const op of ops) {
    for (const dtype of ['f32', 'i32'] as const) {
      kernelTest(ctx, 'reduce', `${op} (${dtype})`, async (h, rng) => {
        for (const [outer, n, inner] of withRandomShapes(SHAPES, rng, 3, { allowZero: true, maxExtent: 7 })) {
          if (dtype === 'i32' && n === 0) continue; // the empty max/min (±∞) has no i32 value
          const x = h.input(dtype, [outer, n, inner], () => sample(rng, dtype, op !== 'sum'), {
            offset: rng.int(0, 3),
          });
          const out = h.output(dtype, [outer, inner]);
          ctx.backend().kernels.reduce(op, x.view, out);
          const expected = reduceReference(op, x.values, outer, n, inner);
          // max and min pick an input, so they are exact; sums may round differently.
          const tol = op === 'sum' && dtype === 'f32' ? ctx.tol('reduce') : EXACT;
          await h.expectView(out, expected, tol, `reduce ${op} [${outer}, ${n}, ${inner}]`);
        }
      });
    }
  }
  kernelTest(ctx, 'reduce', 'n = 0 gives the identity (sum 0, max −∞, min +∞)', async (h) => {
    const identities: Record<ReduceOp, number> = { sum: 0, max: -Infinity, min: Infinity };
    for (const op of ops) {
      const x = h.input('f32', [2, 0, 3], []);
      const out = h.output('f32', [2, 3]);
      ctx.backend().kernels.reduce(op, x.view, out);
      await h.expectView(out, new Float64Array(6).fill(identities[op]), EXACT, `reduce ${op} over n = 0`);
    }
  });
}

/** Registers the `argmax` tests. */
export function argmaxSuite(ctx: SuiteContext): void {
  kernelTest(ctx, 'argmax', 'first maximum wins ties (f32)', async (h, rng) => {
    for (const [outer, n, inner] of withRandomShapes(SHAPES, rng, 3, { allowZero: true, maxExtent: 7 })) {
      if (n === 0) continue;
      // Few distinct values, so ties are common.
      const x = h.input('f32', [outer, n, inner], () => rng.pick([-Infinity, 0, 1, 2, 3]), {
        offset: rng.int(0, 3),
      });
      const out = h.output('i32', [outer, inner]);
      ctx.backend().kernels.argmax(x.view, out);
      await h.expectView(
        out,
        argmaxReference(x.values, outer, n, inner),
        EXACT,
        `argmax [${outer}, ${n}, ${inner}]`,
      );
    }
  });
  kernelTest(ctx, 'argmax', 'rows of −∞ give index 0; i32 input', async (h, rng) => {
    const x = h.input('f32', [2, 3, 1], [-Infinity, -Infinity, -Infinity, -Infinity, 5, 5]);
    const out = h.output('i32', [2, 1]);
    ctx.backend().kernels.argmax(x.view, out);
    await h.expectView(out, [0, 1], EXACT, 'argmax of −∞ rows');
    const xi = h.input('i32', [3, 6, 2], () => rng.int(-3, 3));
    const outi = h.output('i32', [3, 2]);
    ctx.backend().kernels.argmax(xi.view, outi);
    await h.expectView(outi, argmaxReference(xi.values, 3, 6, 2), EXACT, 'argmax i32');
  });
}

/** Registers the `cumsum` and `cummax` tests (all four reverse/exclusive combinations). */
function cumulativeSuite(ctx: SuiteContext, op: 'sum' | 'max'): void {
  for (const reverse of [false, true]) {
    for (const exclusive of [false, true]) {
      const kernel = op === 'sum' ? 'cumsum' : 'cummax';
      kernelTest(ctx, kernel, `reverse=${reverse} exclusive=${exclusive}`, async (h, rng) => {
        for (const [outer, n, inner] of withRandomShapes(SHAPES, rng, 3, { allowZero: true, maxExtent: 7 })) {
          const x = h.input('f32', [outer, n, inner], () => sample(rng, 'f32', op === 'max'), {
            offset: rng.int(0, 3),
          });
          const out = h.output('f32', [outer, n, inner]);
          const options = { reverse, exclusive };
          if (op === 'sum') ctx.backend().kernels.cumsum(x.view, out, options);
          else ctx.backend().kernels.cummax(x.view, out, options);
          const expected = cumulativeReference(op, x.values, outer, n, inner, reverse, exclusive);
          const tol = op === 'sum' ? ctx.tol('scan') : EXACT;
          await h.expectView(out, expected, tol, `${kernel} [${outer}, ${n}, ${inner}]`);
        }
      });
    }
  }
}

/** Registers the `cumsum` tests. */
export function cumsumSuite(ctx: SuiteContext): void {
  cumulativeSuite(ctx, 'sum');
}

/** Registers the `cummax` tests. */
export function cummaxSuite(ctx: SuiteContext): void {
  cumulativeSuite(ctx, 'max');
}
