/**
 * Conformance tests of the indexing kernels: `gather`, `scatterAdd` and `rope`.
 * @packageDocumentation
 */
import { kernelTest, type SuiteContext, withRandomShapes } from '../harness.js';
import { gatherReference, ropeReference, scatterAddReference } from '../reference/indexing.js';
import { EXACT } from '../tolerances.js';

/** `[V, D, n]` problems: repeated indices (n > V), D = 1, n = 0, D = 0. */
const TABLE_SHAPES: readonly (readonly [number, number, number])[] = [
  [5, 3, 8],
  [1, 4, 3],
  [7, 1, 5],
  [10, 16, 4],
  [4, 2, 0],
  [3, 0, 4],
];

/** Registers the `gather` tests. */
export function gatherSuite(ctx: SuiteContext): void {
  for (const dtype of ['f32', 'i32'] as const) {
    kernelTest(ctx, 'gather', `${dtype} table, repeated indices`, async (h, rng) => {
      const shapes = withRandomShapes(
        TABLE_SHAPES,
        rng,
        3,
        { maxExtent: 8 },
        ([v, d, n]) => [v!, d! - 1, n! - 1] as const,
      );
      for (const [v, d, n] of shapes) {
        const table = h.input(dtype, [v, d], () => (dtype === 'f32' ? rng.normal() : rng.int(-99, 99)), {
          offset: rng.int(0, 3),
        });
        const indices = h.input('i32', [n], () => rng.int(0, v - 1), { offset: rng.int(0, 3) });
        const out = h.output(dtype, [n, d]);
        ctx.backend().kernels.gather(table.view, indices.view, out);
        const expected = gatherReference(table.values, d, indices.values);
        await h.expectView(
          out,
          expected,
          EXACT,
          `gather V ${v} D ${d} indices [${indices.values.join(', ')}]`,
        );
      }
    });
  }
}

/** Registers the `scatterAdd` tests. */
export function scatterAddSuite(ctx: SuiteContext): void {
  kernelTest(
    ctx,
    'scatterAdd',
    'accumulates into out (not cleared), repeated indices add up',
    async (h, rng) => {
      const shapes = withRandomShapes(
        TABLE_SHAPES,
        rng,
        3,
        { maxExtent: 8 },
        ([v, d, n]) => [v!, d! - 1, n! - 1] as const,
      );
      for (const [v, d, n] of shapes) {
        const indices = h.input('i32', [n], () => rng.int(0, v - 1), { offset: rng.int(0, 3) });
        const src = h.input('f32', [n, d], () => rng.normal(), { offset: rng.int(0, 3) });
        const out = h.output('f32', [v, d], { init: () => rng.normal() });
        const initial = await h.read(out);
        ctx.backend().kernels.scatterAdd(indices.view, src.view, out);
        const expected = scatterAddReference(initial, d, indices.values, src.values);
        await h.expectView(
          out,
          expected,
          ctx.tol('scan'),
          `scatterAdd V ${v} D ${d} indices [${indices.values.join(', ')}]`,
        );
      }
    },
  );
  kernelTest(ctx, 'scatterAdd', 'one row hit by every index', async (h) => {
    const indices = h.input('i32', [4], [2, 2, 2, 2]);
    const src = h.input('f32', [4, 2], [1, 10, 2, 20, 3, 30, 4, 40]);
    const out = h.output('f32', [3, 2], { init: [0, 0, 0, 0, 0.5, 0.5] });
    ctx.backend().kernels.scatterAdd(indices.view, src.view, out);
    await h.expectView(out, [0, 0, 0, 0, 10.5, 100.5], ctx.tol('scan'), 'scatterAdd to one row');
  });
}

/** `[rows, T, D]` problems (D even). */
const ROPE_SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 2],
  [2, 5, 8],
  [3, 4, 6],
  [1, 7, 16],
  [0, 3, 4],
  [2, 0, 4],
];

/** Registers the `rope` tests: both pairings, both directions, and inverse ∘ forward = identity. */
export function ropeSuite(ctx: SuiteContext): void {
  for (const interleaved of [false, true]) {
    for (const inverse of [false, true]) {
      kernelTest(ctx, 'rope', `interleaved=${interleaved} inverse=${inverse}`, async (h, rng) => {
        const shapes = withRandomShapes(
          ROPE_SHAPES,
          rng,
          3,
          { allowZero: true },
          ([r, t, half]) => [r!, t!, 2 * half!] as const,
        );
        for (const [rows, t, d] of shapes) {
          const x = h.input('f32', [rows, t, d], () => rng.normal(), { offset: rng.int(0, 3) });
          const angles = Array.from({ length: t * (d / 2) }, () => rng.uniform(-Math.PI, Math.PI));
          const cos = h.input('f32', [t, d / 2], angles.map(Math.cos), { offset: rng.int(0, 2) });
          const sin = h.input('f32', [t, d / 2], angles.map(Math.sin), { offset: rng.int(0, 2) });
          const out = h.output('f32', [rows, t, d]);
          ctx.backend().kernels.rope(x.view, cos.view, sin.view, out, { interleaved, inverse });
          const expected = ropeReference(x.values, rows, t, d, cos.values, sin.values, interleaved, inverse);
          await h.expectView(out, expected, ctx.tol('rope'), `rope [${rows}, ${t}, ${d}]`);
        }
      });
    }
    kernelTest(
      ctx,
      'rope',
      `interleaved=${interleaved}: the inverse undoes the forward rotation`,
      async (h, rng) => {
        const [rows, t, d] = [2, 6, 8];
        const x = h.input('f32', [rows, t, d], () => rng.normal());
        // Real RoPE tables: θ_{p,j} = p · 10000^{−2j/D}.
        const angles: number[] = [];
        for (let p = 0; p < t; p++) for (let j = 0; j < d / 2; j++) angles.push(p * 10000 ** ((-2 * j) / d));
        const cos = h.input('f32', [t, d / 2], angles.map(Math.cos));
        const sin = h.input('f32', [t, d / 2], angles.map(Math.sin));
        const rotated = h.output('f32', [rows, t, d]);
        const back = h.output('f32', [rows, t, d]);
        const { kernels } = ctx.backend();
        kernels.rope(x.view, cos.view, sin.view, rotated, { interleaved, inverse: false });
        kernels.rope(rotated, cos.view, sin.view, back, { interleaved, inverse: true });
        const base = ctx.tol('rope');
        await h.expectView(
          back,
          x.values,
          { rtol: 4 * base.rtol, atol: 4 * base.atol },
          'rope inverse ∘ forward',
        );
      },
    );
  }
}
