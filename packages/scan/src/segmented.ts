/**
 * Segmented scans as a monoid transformer: lifting a monoid to `(flag, value)` pairs gives a monoid whose
 * scan restarts at every flagged boundary, so every scan algorithm supports segments for free.
 * @packageDocumentation
 */
import type { Monoid } from './monoid.js';
import type { PackedMonoid } from './packed-monoid.js';

/** An element of a segmented monoid: a value and whether it sits on a segment boundary. */
export interface Flagged<T> {
  /** Boundary flag; its meaning depends on the {@link SegmentDirection}. */
  readonly flag: boolean;
  /** The underlying monoid's element. */
  readonly value: T;
}

/**
 * Which boundary the flags mark. `'forward'`: a flag marks the first element of a segment (use with forward
 * scans). `'reverse'`: a flag marks the last element of a segment (use with reverse scans).
 */
export type SegmentDirection = 'forward' | 'reverse';

/**
 * Lifts `monoid` to flagged pairs so that scans restart at segment boundaries.
 *
 * - `'forward'`: `(f1, x) ⊕ (f2, y) = (f1 ∨ f2, f2 ? y : x ⊕ y)`: a later start flag discards everything before.
 * - `'reverse'`: `(f1, x) ⊕ (f2, y) = (f1 ∨ f2, f1 ? x : x ⊕ y)`: an earlier end flag discards everything after.
 *
 * Both are associative with identity `(false, e)`. The reverse lift is the mirror image of the forward lift
 * (`dual ∘ lift ∘ dual`), which is why a reverse segmented scan needs it: the dual of the forward lift would
 * reset on the wrong side. {@link segmentedScan} picks the right one and converts start flags for you.
 *
 * @example
 * ```ts
 * const seg = segmented(sumMonoid);
 * const xs = [1, 2, 3, 4].map((value, i) => ({ flag: i === 2, value }));
 * scanSequential(seg, xs).map((p) => p.value); // [1, 3, 3, 7]
 * ```
 */
export function segmented<T>(monoid: Monoid<T>, direction: SegmentDirection = 'forward'): Monoid<Flagged<T>> {
  const identity = (): Flagged<T> => ({ flag: false, value: monoid.identity() });
  if (direction === 'forward') {
    return {
      name: `segmented(${monoid.name})`,
      identity,
      combine: (x, y) => ({
        flag: x.flag || y.flag,
        value: y.flag ? y.value : monoid.combine(x.value, y.value),
      }),
    };
  }
  return {
    name: `segmented-reverse(${monoid.name})`,
    identity,
    combine: (x, y) => ({
      flag: x.flag || y.flag,
      value: x.flag ? x.value : monoid.combine(x.value, y.value),
    }),
  };
}

/**
 * Packed form of {@link segmented}: width `monoid.width + 1`, layout `[flag, element…]` with the flag stored
 * as 0 or 1.
 */
export function packedSegmented(monoid: PackedMonoid, direction: SegmentDirection = 'forward'): PackedMonoid {
  const inner = monoid.width;
  const forward = direction === 'forward';
  const lifted: PackedMonoid = {
    name: `${forward ? 'segmented' : 'segmented-reverse'}(${monoid.name})`,
    width: inner + 1,
    setIdentity(out, o) {
      out[o] = 0;
      monoid.setIdentity(out, o + 1);
    },
    combine(a, ao, b, bo, out, oo) {
      const f1 = a[ao] !== 0;
      const f2 = b[bo] !== 0;
      const keep = forward ? f2 : f1;
      if (keep) {
        const src = forward ? b : a;
        const so = forward ? bo : ao;
        if (src !== out || so !== oo) out.set(src.subarray(so + 1, so + 1 + inner), oo + 1);
      } else {
        monoid.combine(a, ao + 1, b, bo + 1, out, oo + 1);
      }
      out[oo] = f1 || f2 ? 1 : 0;
    },
  };
  return Object.freeze(lifted);
}

/**
 * Boundary flag of element `i` for a scan in the given direction, from start-of-segment flags: forward
 * scans use the start flags as they are; reverse scans need end-of-segment flags, `i` being an end when it is
 * the last element or `i + 1` starts a segment.
 * @internal
 */
export function boundaryFlag(
  startFlags: ArrayLike<boolean | number>,
  i: number,
  direction: SegmentDirection,
): boolean {
  if (direction === 'forward') return Boolean(startFlags[i]);
  return i === startFlags.length - 1 || Boolean(startFlags[i + 1]);
}
