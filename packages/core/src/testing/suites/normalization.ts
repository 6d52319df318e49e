/**
 * Conformance tests of the row-wise kernels: `softmax` (and log-softmax), `layerNorm`, `rmsNorm`, `groupNorm`.
 * @packageDocumentation
 */
import type { TensorView } from '../../backend.js';
import { type KernelHarness, kernelTest, type SuiteContext, withRandomShapes } from '../harness.js';
import { groupNormReference, layerNormReference, rmsNormReference } from '../reference/norm.js';
import { softmaxReference } from '../reference/softmax.js';
import type { TestRng } from '../test-rng.js';

/** `[rows, n]` shapes: unit, n = 1, odd, rows or n = 0, and a wide row. */
const ROW_SHAPES: readonly (readonly [number, number])[] = [
  [1, 1],
  [3, 5],
  [2, 17],
  [4, 1],
  [0, 3],
  [3, 0],
  [2, 64],
];

/** Registers the `softmax` tests. */
export function softmaxSuite(ctx: SuiteContext): void {
  for (const log of [false, true]) {
    const name = log ? 'log-softmax' : 'softmax';
    kernelTest(ctx, 'softmax', `${name} on random rows with −∞ entries`, async (h, rng) => {
      for (const [rows, n] of withRandomShapes(ROW_SHAPES, rng, 3, { allowZero: true, maxExtent: 9 })) {
        const values: number[] = [];
        for (let r = 0; r < rows; r++) {
          // Entry 0 stays finite so that no row is entirely masked (tested separately).
          for (let i = 0; i < n; i++) values.push(i > 0 && rng.bool(0.15) ? -Infinity : rng.normal(0, 3));
        }
        const x = h.input('f32', [rows, n], values, { offset: rng.int(0, 3) });
        const out = h.output('f32', [rows, n]);
        ctx.backend().kernels.softmax(x.view, out, log);
        await h.expectView(
          out,
          softmaxReference(x.values, rows, n, log),
          ctx.tol('softmax'),
          `${name} [${rows}, ${n}]`,
        );
      }
    });
    kernelTest(ctx, 'softmax', `${name} of masked rows and logits of ±1e4`, async (h) => {
      const rows = [
        [-Infinity, 0, -Infinity, -Infinity],
        [1e4, -1e4, 0, 1e4 - 1],
        [-1e4, -1e4, -1e4, -1e4],
        [1e4, 1e4, 1e4, 1e4],
        [-1e4, -Infinity, -1e4 + 2, -Infinity],
        [0, 0, 0, 0],
      ];
      // Softmax of an all −∞ row is all 0 (never NaN); its log is undefined and not tested.
      if (!log) rows.push([-Infinity, -Infinity, -Infinity, -Infinity]);
      const x = h.input('f32', [rows.length, 4], rows.flat());
      const out = h.output('f32', [rows.length, 4]);
      ctx.backend().kernels.softmax(x.view, out, log);
      const expected = softmaxReference(x.values, rows.length, 4, log);
      await h.expectView(
        out,
        expected,
        ctx.tol('softmax'),
        `${name} of special rows ${JSON.stringify(rows)}`,
      );
    });
  }
}

/** Per-row shifted and scaled normal data, so the mean and variance matter. */
function rowData(rng: TestRng, rows: number, n: number): number[] {
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    const mean = rng.uniform(-3, 3);
    const std = Math.exp(rng.uniform(-2, 1));
    for (let i = 0; i < n; i++) values.push(rng.normal(mean, std));
  }
  return values;
}

/** An optional affine parameter `[n]` (e.g. gamma), or null. */
function param(
  h: KernelHarness,
  rng: TestRng,
  present: boolean,
  n: number,
  mean: number,
): { view: TensorView | null; values: Float64Array | null } {
  if (!present) return { view: null, values: null };
  const p = h.input('f32', [n], () => rng.normal(mean, 0.5), { offset: rng.int(0, 2) });
  return { view: p.view, values: p.values };
}

const AFFINE: readonly { gamma: boolean; beta: boolean }[] = [
  { gamma: true, beta: true },
  { gamma: true, beta: false },
  { gamma: false, beta: true },
  { gamma: false, beta: false },
];

/** Registers the `layerNorm` tests. */
export function layerNormSuite(ctx: SuiteContext): void {
  for (const { gamma: withGamma, beta: withBeta } of AFFINE) {
    kernelTest(
      ctx,
      'layerNorm',
      `gamma ${withGamma ? 'given' : 'null'}, beta ${withBeta ? 'given' : 'null'}`,
      async (h, rng) => {
        for (const [rows, n] of withRandomShapes(ROW_SHAPES, rng, 3, { allowZero: true, maxExtent: 9 })) {
          if (n === 0) continue;
          for (const eps of [1e-5, 0.1]) {
            const x = h.input('f32', [rows, n], rowData(rng, rows, n), { offset: rng.int(0, 3) });
            const gamma = param(h, rng, withGamma, n, 1);
            const beta = param(h, rng, withBeta, n, 0);
            const out = h.output('f32', [rows, n]);
            ctx.backend().kernels.layerNorm(x.view, gamma.view, beta.view, eps, out);
            const expected = layerNormReference(x.values, rows, n, gamma.values, beta.values, eps);
            await h.expectView(out, expected, ctx.tol('norm'), `layerNorm [${rows}, ${n}] eps ${eps}`);
          }
        }
      },
    );
  }
  kernelTest(ctx, 'layerNorm', 'constant rows normalise to beta (no NaN)', async (h, rng) => {
    const x = h.input('f32', [2, 5], [2.5, 2.5, 2.5, 2.5, 2.5, -7, -7, -7, -7, -7]);
    const beta = h.input('f32', [5], () => rng.normal());
    const gamma = h.input('f32', [5], () => rng.normal());
    const out = h.output('f32', [2, 5]);
    ctx.backend().kernels.layerNorm(x.view, gamma.view, beta.view, 1e-5, out);
    await h.expectView(out, [...beta.values, ...beta.values], ctx.tol('norm'), 'layerNorm of constant rows');
  });
}

/** Registers the `rmsNorm` tests. */
export function rmsNormSuite(ctx: SuiteContext): void {
  for (const withGamma of [true, false]) {
    kernelTest(ctx, 'rmsNorm', `gamma ${withGamma ? 'given' : 'null'}`, async (h, rng) => {
      for (const [rows, n] of withRandomShapes(ROW_SHAPES, rng, 3, { allowZero: true, maxExtent: 9 })) {
        if (n === 0) continue;
        for (const eps of [1e-6, 0.1]) {
          const x = h.input('f32', [rows, n], rowData(rng, rows, n), { offset: rng.int(0, 3) });
          const gamma = param(h, rng, withGamma, n, 1);
          const out = h.output('f32', [rows, n]);
          ctx.backend().kernels.rmsNorm(x.view, gamma.view, eps, out);
          const expected = rmsNormReference(x.values, rows, n, gamma.values, eps);
          await h.expectView(out, expected, ctx.tol('norm'), `rmsNorm [${rows}, ${n}] eps ${eps}`);
        }
      }
    });
  }
  kernelTest(ctx, 'rmsNorm', 'a zero row stays zero (no NaN)', async (h) => {
    const x = h.input('f32', [1, 4], [0, 0, 0, 0]);
    const out = h.output('f32', [1, 4]);
    ctx.backend().kernels.rmsNorm(x.view, null, 1e-6, out);
    await h.expectView(out, [0, 0, 0, 0], ctx.tol('norm'), 'rmsNorm of zeros');
  });
}

/** `[rows, C, groups]` problems: one group, one channel per group, and in between. */
const GROUP_SHAPES: readonly (readonly [number, number, number])[] = [
  [2, 6, 3],
  [1, 8, 1],
  [3, 4, 4],
  [2, 12, 2],
  [1, 10, 5],
  [0, 6, 2],
];

/** Registers the `groupNorm` tests. */
export function groupNormSuite(ctx: SuiteContext): void {
  for (const { gamma: withGamma, beta: withBeta } of AFFINE) {
    kernelTest(
      ctx,
      'groupNorm',
      `gamma ${withGamma ? 'given' : 'null'}, beta ${withBeta ? 'given' : 'null'}`,
      async (h, rng) => {
        const shapes = withRandomShapes(
          GROUP_SHAPES,
          rng,
          3,
          { maxExtent: 4 },
          ([r, g, size]) => [r!, g! * size!, g!] as const,
        );
        for (const [rows, channels, groups] of shapes) {
          const eps = 1e-5;
          const x = h.input('f32', [rows, channels], rowData(rng, rows, channels), { offset: rng.int(0, 3) });
          const gamma = param(h, rng, withGamma, channels, 1);
          const beta = param(h, rng, withBeta, channels, 0);
          const out = h.output('f32', [rows, channels]);
          ctx.backend().kernels.groupNorm(x.view, groups, gamma.view, beta.view, eps, out);
          const expected = groupNormReference(
            x.values,
            rows,
            channels,
            groups,
            gamma.values,
            beta.values,
            eps,
          );
          await h.expectView(
            out,
            expected,
            ctx.tol('norm'),
            `groupNorm [${rows}, ${channels}] groups ${groups}`,
          );
        }
      },
    );
  }
}
