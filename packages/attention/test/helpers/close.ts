/**
 * Elementwise comparison with a readable failure: `|actual − expected| ≤ atol + rtol·|expected|`, NaN never
 * matches, infinities must be equal.
 */
import { expect } from 'vitest';

/** Tolerances of {@link expectClose}. */
export interface Tol {
  readonly rtol: number;
  readonly atol: number;
}

/** Largest absolute difference between two arrays (Infinity on length mismatch or non-finite mismatch). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const d = Math.abs(x - y);
    if (!(d <= max)) max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return max;
}

/** Asserts that `actual` matches `expected` elementwise within `tol`. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tol,
  label = 'values',
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  let failures = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = a === e || Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok) {
      failures++;
      const excess = Number.isNaN(a)
        ? Number.POSITIVE_INFINITY
        : Math.abs(a - e) - tol.atol - tol.rtol * Math.abs(e);
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (failures > 0) {
    expect.fail(
      `${label}: ${failures}/${expected.length} out of tolerance (rtol ${tol.rtol}, atol ${tol.atol}); worst at ${worst}: ` +
        `actual ${actual[worst]}, expected ${expected[worst]}; max |diff| ${maxAbsDiff(actual, expected)}`,
    );
  }
}

/** Asserts every element is finite. */
export function expectFinite(values: ArrayLike<number>, label = 'values'): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) expect.fail(`${label}[${i}] = ${values[i]} is not finite`);
  }
}
