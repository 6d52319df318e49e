/**
 * The sequential scan: one left-to-right pass, the reference every other algorithm is tested against.
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';
import type { ScanOptions } from '../scan-options.js';
import { oriented } from './orient.js';

/** Forward sequential scan core (also used for the block totals of the blockwise scan). @internal */
export function sequentialForward<T>(monoid: Monoid<T>, values: readonly T[], exclusive: boolean): T[] {
  const out: T[] = [];
  let acc = monoid.identity();
  for (const x of values) {
    if (exclusive) {
      out.push(acc);
      acc = monoid.combine(acc, x);
    } else {
      acc = monoid.combine(acc, x);
      out.push(acc);
    }
  }
  return out;
}

/**
 * Sequential scan: `acc ← acc ⊕ x_i` from the identity. Work O(n), depth O(n).
 *
 * @example
 * ```ts
 * scanSequential(sumMonoid, [1, 2, 3]);                       // [1, 3, 6]
 * scanSequential(sumMonoid, [1, 2, 3], { exclusive: true });  // [0, 1, 3]
 * scanSequential(sumMonoid, [1, 2, 3], { reverse: true });    // [6, 5, 3]
 * ```
 */
export function scanSequential<T>(monoid: Monoid<T>, values: readonly T[], options: ScanOptions = {}): T[] {
  return oriented(sequentialForward, monoid, values, options);
}
