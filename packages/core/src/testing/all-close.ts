/**
 * Numeric comparison helpers for tests: `allClose` reports, `expectAllClose` throws a readable error.
 * @packageDocumentation
 */

/** Tolerances of an elementwise comparison: element i passes when `|a − e| ≤ atol + rtol·|e|`. */
export interface Tolerance {
  /** Relative tolerance, scaled by `|expected|`. */
  readonly rtol: number;
  /** Absolute tolerance. */
  readonly atol: number;
}

/** Options of {@link allClose}. */
export interface AllCloseOptions {
  /** Relative tolerance. Default `1e-5`. */
  readonly rtol?: number;
  /** Absolute tolerance. Default `1e-6`. */
  readonly atol?: number;
  /** Whether a NaN in `actual` matches a NaN in `expected`. Default `true`. */
  readonly equalNan?: boolean;
}

/** What {@link allClose} found. Errors are over finite pairs only; infinities must match exactly. */
export interface AllCloseReport {
  /** Whether the lengths agree and every element is within tolerance. */
  readonly ok: boolean;
  /** Number of elements compared (the shorter length when lengths differ). */
  readonly compared: number;
  /** Whether `actual` and `expected` have different lengths (then `ok` is `false`). */
  readonly lengthMismatch: boolean;
  /** Number of elements out of tolerance. */
  readonly mismatches: number;
  /** Flat index of the first element out of tolerance, or −1. */
  readonly firstMismatch: number;
  /** Largest `|actual − expected|` over finite pairs. */
  readonly maxAbsError: number;
  /** Largest `|actual − expected| / |expected|` over finite pairs with `expected ≠ 0`. */
  readonly maxRelError: number;
}

/** Whether one pair of numbers is within tolerance (infinities equal exactly, NaN per `equalNan`). */
export function isClose(
  actual: number,
  expected: number,
  rtol: number,
  atol: number,
  equalNan = true,
): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) {
    return equalNan && Number.isNaN(expected) && Number.isNaN(actual);
  }
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/**
 * Compares two arrays elementwise, NumPy-style: `|actual − expected| ≤ atol + rtol·|expected|`, infinities
 * must match exactly and NaN matches NaN unless `equalNan` is `false`.
 */
export function allClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: AllCloseOptions = {},
): AllCloseReport {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-6;
  const equalNan = options.equalNan ?? true;
  const n = Math.min(actual.length, expected.length);
  let mismatches = 0;
  let firstMismatch = -1;
  let maxAbsError = 0;
  let maxRelError = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isFinite(a) && Number.isFinite(e)) {
      const abs = Math.abs(a - e);
      if (abs > maxAbsError) maxAbsError = abs;
      if (e !== 0 && abs / Math.abs(e) > maxRelError) maxRelError = abs / Math.abs(e);
    }
    if (!isClose(a, e, rtol, atol, equalNan)) {
      mismatches++;
      if (firstMismatch < 0) firstMismatch = i;
    }
  }
  const lengthMismatch = actual.length !== expected.length;
  return {
    ok: !lengthMismatch && mismatches === 0,
    compared: n,
    lengthMismatch,
    mismatches,
    firstMismatch,
    maxAbsError,
    maxRelError,
  };
}

/** Options of {@link expectAllClose}: tolerances plus the logical shape used to print multi-indices. */
export interface ExpectAllCloseOptions extends AllCloseOptions {
  /** Shape of the compared tensor (row-major), to report the failing element as `[i, j, ...]`. */
  readonly shape?: readonly number[];
}

/** The row-major multi-index of flat index `flat` in `shape`. */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  let rest = flat;
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k]!;
    if (d === 0) break;
    index[k] = rest % d;
    rest = Math.floor(rest / d);
  }
  return index;
}

function formatNumber(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(9) : String(x);
}

/**
 * Throws an `Error` unless {@link allClose} passes. The message names `label`, the shape, the number of
 * mismatches, the first failing index (flat and multi-index), both values there, and the largest errors.
 * Works without any test framework.
 */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: ExpectAllCloseOptions = {},
  label = 'values',
): void {
  const report = allClose(actual, expected, tol);
  if (report.ok) return;
  const shapeText = tol.shape ? ` of shape [${tol.shape.join(', ')}]` : '';
  if (report.lengthMismatch) {
    throw new Error(
      `${label}${shapeText}: length ${actual.length} differs from the expected length ${expected.length}`,
    );
  }
  const i = report.firstMismatch;
  const where = tol.shape ? ` (index [${unravelIndex(i, tol.shape).join(', ')}])` : '';
  const a = actual[i]!;
  const e = expected[i]!;
  throw new Error(
    `${label}${shapeText}: ${report.mismatches} of ${report.compared} elements out of tolerance ` +
      `(rtol=${tol.rtol ?? 1e-5}, atol=${tol.atol ?? 1e-6}); first at flat index ${i}${where}: ` +
      `actual ${formatNumber(a)}, expected ${formatNumber(e)}, |diff| ${formatNumber(Math.abs(a - e))}; ` +
      `max abs error ${formatNumber(report.maxAbsError)}, max rel error ${formatNumber(report.maxRelError)}`,
  );
}
