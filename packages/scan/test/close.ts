/**
 * Float comparisons for the tests. Tolerances are relative to a magnitude `scale` (usually the same
 * reduction computed on absolute values), so reassociation error is accepted but any real bug is not.
 */

/** Relative tolerance (of the magnitude scale) used for every float64 comparison between algorithms. */
export const RTOL = 1e-10;
/** Absolute floor so that comparisons in the subnormal range do not fail on one ulp. */
export const ATOL = 1e-300;

/**
 * True when `actual` and `expected` agree: NaN never matches, infinities must match exactly, finite values
 * within `rtol · |scale| + ATOL`.
 */
export function closeNumber(actual: number, expected: number, scale: number, rtol = RTOL): boolean {
  if (Number.isNaN(actual) || Number.isNaN(expected)) return false;
  if (actual === expected) return true;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return false;
  return Math.abs(actual - expected) <= rtol * Math.abs(scale) + ATOL;
}

/** Throws a readable error describing the first mismatch between two arrays of elements. */
export function assertAllClose<T>(
  actual: readonly T[],
  expected: readonly T[],
  scales: readonly T[],
  close: (a: T, e: T, s: T) => boolean,
  label: string,
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length} !== expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    if (!close(actual[i]!, expected[i]!, scales[i]!)) {
      throw new Error(
        `${label}: element ${i} differs\n  actual:   ${show(actual[i])}\n  expected: ${show(expected[i])}\n  scale:    ${show(scales[i])}`,
      );
    }
  }
}

/**
 * Canonical JSON-ish rendering (sorted keys; infinities and NaN spelled out; typed arrays as arrays), so that
 * two elements render equally exactly when they hold the same numbers (−0 and 0 count as equal).
 */
export function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (v instanceof Float64Array || v instanceof Float32Array) return Array.from(v);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}
