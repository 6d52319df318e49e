/**
 * Conformance tests of the scan kernels: `attentionScan`, `attentionScanBackward`, `linearAttention`,
 * `linearAttentionBackward`, each against a quadratic float64 reference.
 * @packageDocumentation
 */
import { type KernelHarness, kernelTest, type SuiteContext, withRandomShapes } from '../harness.js';
import { attentionScanBackwardReference, attentionScanReference } from '../reference/attention-scan.js';
import { linearAttentionBackwardReference, linearAttentionReference } from '../reference/linear-attention.js';
import type { TestRng } from '../test-rng.js';
import { EXACT } from '../tolerances.js';

/** `[R, N, D]` problems of the attention scan: unit, odd, D = 1, and each extent 0 in turn. */
const SCAN_SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [2, 5, 3],
  [3, 8, 1],
  [2, 16, 4],
  [0, 3, 2],
  [2, 0, 3],
  [2, 4, 0],
];

/**
 * Scores `[R, N]` with masked (−∞) tokens: ~20% at random, a masked prefix in about half the rows, and
 * the last row fully masked when R > 1.
 */
function maskedScores(rng: TestRng, rows: number, n: number): number[] {
  const scores: number[] = [];
  for (let r = 0; r < rows; r++) {
    const maskedPrefix = rng.bool() ? rng.int(1, Math.max(1, n)) : 0;
    const fullyMasked = rows > 1 && r === rows - 1;
    for (let i = 0; i < n; i++) {
      const masked = fullyMasked || i < maskedPrefix || rng.bool(0.2);
      scores.push(masked ? -Infinity : rng.normal(0, 2));
    }
  }
  return scores;
}

/** Runs `attentionScan` on given scores/values and checks out, max and denominator against the reference. */
async function checkAttentionScan(
  h: KernelHarness,
  ctx: SuiteContext,
  rng: TestRng,
  scoreValues: readonly number[],
  valueSource: readonly number[] | (() => number),
  [rows, n, d]: readonly [number, number, number],
  label: string,
): Promise<Float64Array> {
  const scores = h.input('f32', [rows, n], scoreValues, { offset: rng.int(0, 3) });
  const values = h.input('f32', [rows, n, d], valueSource, { offset: rng.int(0, 3) });
  const out = h.output('f32', [rows, n, d]);
  const maxOut = h.output('f32', [rows, n]);
  const denomOut = h.output('f32', [rows, n]);
  ctx.backend().kernels.attentionScan(scores.view, values.view, out, maxOut, denomOut);
  const expected = attentionScanReference(scores.values, values.values, rows, n, d);
  const tol = ctx.tol('attentionScan');
  const actual = await h.expectView(out, expected.out, tol, `${label}: out`);
  await h.expectView(maxOut, expected.max, EXACT, `${label}: maxOut`);
  await h.expectView(denomOut, expected.denom, tol, `${label}: denomOut`);
  return actual;
}

/** Registers the `attentionScan` tests. */
export function attentionScanSuite(ctx: SuiteContext): void {
  kernelTest(
    ctx,
    'attentionScan',
    'every prefix equals quadratic softmax attention (masked tokens)',
    async (h, rng) => {
      for (const shape of withRandomShapes(SCAN_SHAPES, rng, 3, { allowZero: true, maxExtent: 9 })) {
        const scores = maskedScores(rng, shape[0], shape[1]);
        await checkAttentionScan(h, ctx, rng, scores, () => rng.normal(), shape, `attentionScan [${shape}]`);
      }
    },
  );
  kernelTest(ctx, 'attentionScan', 'scores of ±1e4 and fully masked prefixes', async (h, rng) => {
    const scores = [
      [-Infinity, -Infinity, 1e4, -1e4, 0, 1e4, -1e4, -Infinity],
      [-1e4, -1e4 + 1, 1e4, 1e4 - 0.5, -Infinity, -1e4, 3, 1e4],
    ];
    await checkAttentionScan(h, ctx, rng, scores.flat(), () => rng.normal(), [2, 8, 3], 'attentionScan ±1e4');
  });
  kernelTest(
    ctx,
    'attentionScan',
    'the running max changes: scores [0, 3, −1, 5], values [1, 2, 3, 4]',
    async (h, rng) => {
      const out = await checkAttentionScan(
        h,
        ctx,
        rng,
        [0, 3, -1, 5],
        [1, 2, 3, 4],
        [1, 4, 1],
        'attentionScan pitfall',
      );
      const known = [1, 1.95, 1.97, 3.74];
      for (let k = 0; k < 4; k++) {
        if (!(Math.abs(out[k]! - known[k]!) < 0.005)) {
          throw new Error(`attentionScan pitfall: out[${k}] = ${out[k]}, expected ${known[k]} to 2 decimals`);
        }
      }
    },
  );
}

/** Registers the `attentionScanBackward` tests. */
export function attentionScanBackwardSuite(ctx: SuiteContext): void {
  const run = async (
    h: KernelHarness,
    rng: TestRng,
    scoreValues: readonly number[],
    [rows, n, d]: readonly [number, number, number],
    label: string,
  ): Promise<void> => {
    const scores = h.input('f32', [rows, n], scoreValues, { offset: rng.int(0, 3) });
    const values = h.input('f32', [rows, n, d], () => rng.normal(), { offset: rng.int(0, 3) });
    // The forward outputs come from the reference (rounded to f32), so this test isolates the backward.
    const forward = attentionScanReference(scores.values, values.values, rows, n, d);
    const out = h.input('f32', [rows, n, d], forward.out);
    const maxOut = h.input('f32', [rows, n], forward.max);
    const denomOut = h.input('f32', [rows, n], forward.denom);
    const gradOut = h.input('f32', [rows, n, d], () => rng.normal(), { offset: rng.int(0, 3) });
    const gradScores = h.output('f32', [rows, n]);
    const gradValues = h.output('f32', [rows, n, d]);
    ctx
      .backend()
      .kernels.attentionScanBackward(
        scores.view,
        values.view,
        out.view,
        maxOut.view,
        denomOut.view,
        gradOut.view,
        gradScores,
        gradValues,
      );
    const expected = attentionScanBackwardReference(scores.values, values.values, gradOut.values, rows, n, d);
    const tol = ctx.tol('backward');
    await h.expectView(gradScores, expected.gradScores, tol, `${label}: gradScores`);
    await h.expectView(gradValues, expected.gradValues, tol, `${label}: gradValues`);
  };
  kernelTest(
    ctx,
    'attentionScanBackward',
    'equals the analytic gradient of quadratic attention',
    async (h, rng) => {
      for (const shape of withRandomShapes(SCAN_SHAPES, rng, 3, { allowZero: true, maxExtent: 9 })) {
        await run(h, rng, maskedScores(rng, shape[0], shape[1]), shape, `attentionScanBackward [${shape}]`);
      }
    },
  );
  kernelTest(ctx, 'attentionScanBackward', 'scores of ±1e4 and fully masked prefixes', async (h, rng) => {
    const scores = [-Infinity, -Infinity, 1e4, -1e4, 0, 1e4, -1e4, -Infinity, -1e4, -1e4 + 1, 1e4, 1e4 - 0.5];
    await run(h, rng, scores, [2, 6, 3], 'attentionScanBackward ±1e4');
  });
}

/** `[R, N, Dk, Dv]` problems of linear attention. */
const LINEAR_SHAPES: readonly (readonly [number, number, number, number])[] = [
  [1, 1, 1, 1],
  [2, 6, 3, 4],
  [3, 9, 2, 1],
  [1, 12, 4, 4],
  [2, 5, 1, 3],
  [0, 3, 2, 2],
  [2, 0, 2, 3],
];

/** One decay per row: 0 (no memory), 1 (no decay) or in between. */
function decays(rng: TestRng, rows: number): number[] {
  return Array.from({ length: rows }, () => rng.pick([0, 0.5, 0.9, 1, rng.uniform(0.5, 1)]));
}

/** Registers the `linearAttention` tests (initial and final state each given or null). */
export function linearAttentionSuite(ctx: SuiteContext): void {
  for (const withInitial of [false, true]) {
    for (const withFinal of [true, false]) {
      const title = `initialState ${withInitial ? 'given' : 'null'}, finalState ${withFinal ? 'given' : 'null'}`;
      kernelTest(ctx, 'linearAttention', title, async (h, rng) => {
        for (const [rows, n, dk, dv] of withRandomShapes(LINEAR_SHAPES, rng, 3, {
          allowZero: true,
          maxExtent: 7,
        })) {
          const uniform = (): number => rng.uniform(-1, 1);
          const q = h.input('f32', [rows, n, dk], uniform, { offset: rng.int(0, 3) });
          const k = h.input('f32', [rows, n, dk], uniform, { offset: rng.int(0, 3) });
          const v = h.input('f32', [rows, n, dv], uniform, { offset: rng.int(0, 3) });
          const decay = h.input('f32', [rows], decays(rng, rows), { offset: rng.int(0, 3) });
          const initial = withInitial
            ? h.input('f32', [rows, dk, dv], uniform, { offset: rng.int(0, 3) })
            : null;
          const out = h.output('f32', [rows, n, dv]);
          const finalState = withFinal ? h.output('f32', [rows, dk, dv]) : null;
          ctx
            .backend()
            .kernels.linearAttention(
              q.view,
              k.view,
              v.view,
              decay.view,
              initial?.view ?? null,
              out,
              finalState,
            );
          const problem = { rows, n, dk, dv };
          const expected = linearAttentionReference(
            q.values,
            k.values,
            v.values,
            decay.values,
            initial?.values ?? null,
            problem,
          );
          const label = `linearAttention [R ${rows}, N ${n}, Dk ${dk}, Dv ${dv}] decay [${decay.values.join(', ')}]`;
          const tol = ctx.tol('linearAttention');
          await h.expectView(out, expected.out, tol, `${label}: out`);
          // With N = 0 the final state is the initial state (S_{−1}).
          if (finalState) await h.expectView(finalState, expected.finalState, tol, `${label}: finalState`);
        }
      });
    }
  }
}

/** Registers the `linearAttentionBackward` tests. */
export function linearAttentionBackwardSuite(ctx: SuiteContext): void {
  kernelTest(
    ctx,
    'linearAttentionBackward',
    'equals the analytic gradient (zero initial state)',
    async (h, rng) => {
      for (const [rows, n, dk, dv] of withRandomShapes(LINEAR_SHAPES, rng, 3, {
        allowZero: true,
        maxExtent: 7,
      })) {
        const uniform = (): number => rng.uniform(-1, 1);
        const q = h.input('f32', [rows, n, dk], uniform, { offset: rng.int(0, 3) });
        const k = h.input('f32', [rows, n, dk], uniform, { offset: rng.int(0, 3) });
        const v = h.input('f32', [rows, n, dv], uniform, { offset: rng.int(0, 3) });
        const decay = h.input('f32', [rows], decays(rng, rows), { offset: rng.int(0, 3) });
        const gradOut = h.input('f32', [rows, n, dv], () => rng.normal(), { offset: rng.int(0, 3) });
        const gradQ = h.output('f32', [rows, n, dk]);
        const gradK = h.output('f32', [rows, n, dk]);
        const gradV = h.output('f32', [rows, n, dv]);
        ctx
          .backend()
          .kernels.linearAttentionBackward(
            q.view,
            k.view,
            v.view,
            decay.view,
            gradOut.view,
            gradQ,
            gradK,
            gradV,
          );
        const problem = { rows, n, dk, dv };
        const expected = linearAttentionBackwardReference(
          q.values,
          k.values,
          v.values,
          decay.values,
          gradOut.values,
          problem,
        );
        const label = `linearAttentionBackward [R ${rows}, N ${n}, Dk ${dk}, Dv ${dv}] decay [${decay.values.join(', ')}]`;
        const tol = ctx.tol('backward');
        await h.expectView(gradQ, expected.gradQ, tol, `${label}: gradQ`);
        await h.expectView(gradK, expected.gradK, tol, `${label}: gradK`);
        await h.expectView(gradV, expected.gradV, tol, `${label}: gradV`);
      }
    },
  );
}
