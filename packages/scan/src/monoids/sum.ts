/**
 * The additive monoid `(ℝ, +, 0)`.
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';
import type { PackedMonoid } from '../packed-monoid.js';

/**
 * Addition with identity `0`. Floating-point addition is associative only up to rounding: reassociating
 * `a + b + c` changes the result by at most a few ulps of `|a| + |b| + |c|`.
 *
 * @example
 * ```ts
 * scanSequential(sumMonoid, [1, 2, 3]); // [1, 3, 6] (cumsum)
 * ```
 */
export const sumMonoid: Monoid<number> = Object.freeze<Monoid<number>>({
  name: 'sum',
  identity: () => 0,
  combine: (earlier: number, later: number) => earlier + later,
});

/** Packed form of {@link sumMonoid} (width 1). */
export const packedSumMonoid: PackedMonoid = Object.freeze<PackedMonoid>({
  name: 'sum',
  width: 1,
  setIdentity(out, o) {
    out[o] = 0;
  },
  combine(a, ao, b, bo, out, oo) {
    out[oo] = a[ao]! + b[bo]!;
  },
});
