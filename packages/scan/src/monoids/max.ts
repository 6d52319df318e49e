/**
 * The max monoid `(ℝ ∪ {−∞}, max, −∞)`.
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';
import type { PackedMonoid } from '../packed-monoid.js';

/**
 * Maximum with identity `−Infinity`. Exact: every evaluation order gives bit-identical results. NaN inputs
 * propagate (`Math.max` semantics).
 *
 * @example
 * ```ts
 * scanSequential(maxMonoid, [0, 3, -1, 5]); // [0, 3, 3, 5] (cummax)
 * ```
 */
export const maxMonoid: Monoid<number> = Object.freeze<Monoid<number>>({
  name: 'max',
  identity: () => Number.NEGATIVE_INFINITY,
  combine: (earlier: number, later: number) => Math.max(earlier, later),
});

/** Packed form of {@link maxMonoid} (width 1). */
export const packedMaxMonoid: PackedMonoid = Object.freeze<PackedMonoid>({
  name: 'max',
  width: 1,
  setIdentity(out, o) {
    out[o] = Number.NEGATIVE_INFINITY;
  },
  combine(a, ao, b, bo, out, oo) {
    out[oo] = Math.max(a[ao]!, b[bo]!);
  },
});
