/**
 * Reduction of a whole sequence.
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';

/**
 * `x_0 ⊕ x_1 ⊕ … ⊕ x_{n−1}` folded left from the identity; the identity for an empty array.
 *
 * @example
 * ```ts
 * reduce(maxMonoid, [3, 1, 4]); // 4
 * reduce(maxMonoid, []);        // -Infinity
 * ```
 */
export function reduce<T>(monoid: Monoid<T>, values: readonly T[]): T {
  let acc = monoid.identity();
  for (const x of values) acc = monoid.combine(acc, x);
  return acc;
}
