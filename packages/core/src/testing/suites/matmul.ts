/**
 * Conformance tests of the `matmul` kernel.
 * @packageDocumentation
 */
import { kernelTest, type SuiteContext, withRandomShapes } from '../harness.js';
import { matmulReference } from '../reference/matmul.js';

/** `[batch, M, K, N]` problems: unit, odd, empty (each extent 0 in turn) and batched. */
const SHAPES: readonly (readonly [number, number, number, number])[] = [
  [1, 1, 1, 1],
  [1, 3, 4, 5],
  [2, 7, 5, 3],
  [3, 1, 6, 1],
  [1, 17, 13, 9],
  [4, 5, 33, 6],
  [1, 0, 3, 4],
  [2, 3, 0, 4],
  [1, 3, 4, 0],
  [0, 2, 2, 2],
];

/** Registers the `matmul` tests: every shape with every transpose combination. */
export function matmulSuite(ctx: SuiteContext): void {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      kernelTest(ctx, 'matmul', `transposeA=${transposeA} transposeB=${transposeB}`, async (h, rng) => {
        const shapes = withRandomShapes(SHAPES, rng, 3, { allowZero: true, maxExtent: 9 });
        for (const [index, [batch, m, k, n]] of shapes.entries()) {
          const aShape = transposeA ? [batch, k, m] : [batch, m, k];
          const bShape = transposeB ? [batch, n, k] : [batch, k, n];
          // Contiguous inputs may start at an offset (a slice along the batch axis of a larger tensor).
          const a = h.input('f32', aShape, () => rng.uniform(-1, 1), { offset: index % 2 === 0 ? 0 : 5 });
          const b = h.input('f32', bShape, () => rng.uniform(-1, 1), { offset: index % 3 === 0 ? 0 : 2 });
          const out = h.output('f32', [batch, m, n]);
          ctx.backend().kernels.matmul(a.view, b.view, out, { transposeA, transposeB });
          const expected = matmulReference(a.values, b.values, { batch, m, k, n, transposeA, transposeB });
          const base = ctx.tol('matmul');
          const scale = Math.sqrt(Math.max(k, 1));
          const tol = { rtol: base.rtol * scale, atol: base.atol * scale };
          await h.expectView(out, expected, tol, `matmul [batch ${batch}, M ${m}, K ${k}, N ${n}]`);
        }
      });
    }
  }
}
