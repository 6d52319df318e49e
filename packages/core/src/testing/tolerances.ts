/**
 * The per-kernel tolerance table of the conformance suite.
 * @packageDocumentation
 */
import type { Tolerance } from './all-close.js';

/** The tolerance classes of the conformance suite; every kernel check uses exactly one. */
export type ToleranceKey =
  | 'elementwise'
  | 'transcendental'
  | 'matmul'
  | 'reduce'
  | 'softmax'
  | 'norm'
  | 'rope'
  | 'scan'
  | 'attentionScan'
  | 'linearAttention'
  | 'backward';

/**
 * Default tolerances (`|actual − expected| ≤ atol + rtol·|expected|`, expected computed in float64 from the
 * same f32 inputs), chosen so that a correct f32 backend passes with a wide margin:
 *
 * | key               | rtol   | atol   | kernels                                                        |
 * | ----------------- | ------ | ------ | -------------------------------------------------------------- |
 * | `elementwise`     | 1e-5   | 1e-6   | neg, abs, sign, reciprocal, square, relu, step; add…minimum     |
 * | `transcendental`  | 1e-5   | 1e-6   | exp, log, sqrt, rsqrt, sin, cos, tanh, sigmoid, gelu(Tanh),     |
 * |                   |        |        | silu, softplus, erf; pow                                        |
 * | `matmul`          | 1e-5   | 1e-5   | matmul; both scaled by `√max(K, 1)`                             |
 * | `reduce`          | 1e-5   | 1e-5   | reduce `sum` (f32)                                              |
 * | `softmax`         | 1e-5   | 1e-6   | softmax, log-softmax                                            |
 * | `norm`            | 1e-4   | 1e-5   | layerNorm, rmsNorm, groupNorm                                   |
 * | `rope`            | 1e-5   | 1e-6   | rope (inverse ∘ forward: 4× these)                              |
 * | `scan`            | 1e-4   | 1e-5   | cumsum, scatterAdd                                              |
 * | `attentionScan`   | 1e-4   | 1e-5   | attentionScan out and denominator                               |
 * | `linearAttention` | 1e-4   | 1e-5   | linearAttention out and final state                             |
 * | `backward`        | 1e-4   | 1e-4   | attentionScanBackward, linearAttentionBackward                  |
 *
 * Results every correct backend produces bit for bit are compared exactly ({@link EXACT}) regardless of
 * this table: all i32 results, comparisons, `where`, `fill`, `copy` (including f32→i32), `gather`,
 * `argmax`, reduce `max`/`min`, `cummax` and the attention scan's running max. Expected values are rounded
 * to f32 before comparing (so an f32 overflow must give ±∞). Backends with lower precision (f16 storage,
 * fast-math intrinsics) pass looser values through `describeBackend`'s `tolerance` option.
 */
export const DEFAULT_TOLERANCES: Readonly<Record<ToleranceKey, Tolerance>> = {
  elementwise: { rtol: 1e-5, atol: 1e-6 },
  transcendental: { rtol: 1e-5, atol: 1e-6 },
  matmul: { rtol: 1e-5, atol: 1e-5 },
  reduce: { rtol: 1e-5, atol: 1e-5 },
  softmax: { rtol: 1e-5, atol: 1e-6 },
  norm: { rtol: 1e-4, atol: 1e-5 },
  rope: { rtol: 1e-5, atol: 1e-6 },
  scan: { rtol: 1e-4, atol: 1e-5 },
  attentionScan: { rtol: 1e-4, atol: 1e-5 },
  linearAttention: { rtol: 1e-4, atol: 1e-5 },
  backward: { rtol: 1e-4, atol: 1e-4 },
};

/** Overrides of some tolerance classes, merged over {@link DEFAULT_TOLERANCES}. */
export type ToleranceOverrides = Partial<Record<ToleranceKey, Partial<Tolerance>>>;

/** {@link DEFAULT_TOLERANCES} with `overrides` merged in, field by field. */
export function resolveTolerances(overrides: ToleranceOverrides = {}): Record<ToleranceKey, Tolerance> {
  const out = {} as Record<ToleranceKey, Tolerance>;
  for (const key of Object.keys(DEFAULT_TOLERANCES) as ToleranceKey[]) {
    out[key] = { ...DEFAULT_TOLERANCES[key], ...overrides[key] };
  }
  return out;
}

/** Exact comparison, for integer results and values every correct backend produces bit for bit. */
export const EXACT: Tolerance = { rtol: 0, atol: 0 };
