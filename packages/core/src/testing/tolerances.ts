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
 * | `elementwise`     | 1e-5   | 1e-6   | arithmetic unary/binary ops, where, fill, copy (exact ops too)  |
 * | `transcendental`  | 1e-5   | 1e-6   | exp, log, sqrt, rsqrt, sin, cos, tanh, sigmoid, gelu, erf, pow… |
 * | `matmul`          | 1e-5   | 1e-5   | matmul; both scaled by `√max(K, 1)`                             |
 * | `reduce`          | 1e-5   | 1e-5   | reduce (sum/max/min)                                            |
 * | `softmax`         | 1e-5   | 1e-6   | softmax, log-softmax                                            |
 * | `norm`            | 1e-4   | 1e-5   | layerNorm, rmsNorm, groupNorm                                   |
 * | `rope`            | 1e-5   | 1e-6   | rope                                                            |
 * | `scan`            | 1e-4   | 1e-5   | cumsum, cummax, scatterAdd                                      |
 * | `attentionScan`   | 1e-4   | 1e-5   | attentionScan (out, max, denominator)                           |
 * | `linearAttention` | 1e-4   | 1e-5   | linearAttention (out, final state)                              |
 * | `backward`        | 1e-4   | 1e-4   | attentionScanBackward, linearAttentionBackward                  |
 *
 * Integer results (argmax, i32 arithmetic, comparisons, f32→i32 conversion) and values that are exact in
 * f32 (maxima, copies) are compared exactly regardless of this table. Backends with lower precision (f16
 * storage, fast-math intrinsics) pass looser values through `describeBackend`'s `tolerance` option.
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
