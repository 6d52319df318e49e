/**
 * The log-sum-exp monoid `x ⊕ y = log(e^x + e^y)`, computed stably.
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';
import type { PackedMonoid } from '../packed-monoid.js';

/**
 * Stable `log(e^x + e^y)`: with `m = max(x, y)` it returns `m + log1p(e^{min(x, y) − m})`. Never NaN for
 * non-NaN inputs: `−∞ ⊕ −∞ = −∞` (identity), and `+∞` absorbs everything.
 */
export function logAddExp(x: number, y: number): number {
  const hi = Math.max(x, y);
  if (hi === Number.NEGATIVE_INFINITY || hi === Number.POSITIVE_INFINITY) return hi;
  const lo = Math.min(x, y);
  return hi + Math.log1p(Math.exp(lo - hi));
}

/**
 * Log-sum-exp with identity `−Infinity`: a scan gives running `log Σ_{j≤i} e^{x_j}` without overflow for
 * any magnitude (e.g. scores of ±1e4). Associative up to a few ulps of the result's magnitude.
 *
 * @example
 * ```ts
 * scanSequential(logSumExpMonoid, [0, 0]); // [0, Math.LN2]
 * ```
 */
export const logSumExpMonoid: Monoid<number> = Object.freeze<Monoid<number>>({
  name: 'logsumexp',
  identity: () => Number.NEGATIVE_INFINITY,
  combine: logAddExp,
});

/** Packed form of {@link logSumExpMonoid} (width 1). */
export const packedLogSumExpMonoid: PackedMonoid = Object.freeze<PackedMonoid>({
  name: 'logsumexp',
  width: 1,
  setIdentity(out, o) {
    out[o] = Number.NEGATIVE_INFINITY;
  },
  combine(a, ao, b, bo, out, oo) {
    out[oo] = logAddExp(a[ao]!, b[bo]!);
  },
});
