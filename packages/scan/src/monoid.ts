/**
 * The value-level monoid contract.
 * @packageDocumentation
 */

/**
 * An associative binary operation with an identity element: the only thing a scan needs.
 *
 * Laws (up to floating-point rounding for float monoids):
 * - associativity: `combine(combine(a, b), c) ≡ combine(a, combine(b, c))`
 * - identity: `combine(identity(), a) ≡ a ≡ combine(a, identity())`
 *
 * `combine` need not be commutative: `earlier` is the element (or prefix) that comes first in sequence order.
 * Implementations must not mutate their arguments and must return a value not aliased to mutable state;
 * `identity()` returns a fresh value on every call.
 *
 * @typeParam T - the element type
 */
export interface Monoid<T> {
  /** Human-readable name used in messages and test titles, e.g. `'sum'` or `'attention(4)'`. */
  readonly name: string;
  /** Returns a fresh identity element `e`. */
  identity(): T;
  /** Returns `earlier ⊕ later`. */
  combine(earlier: T, later: T): T;
}

/**
 * The dual monoid `a ⊕' b = b ⊕ a`, with the same identity. A forward scan of the reversed sequence under
 * the dual monoid is a reverse scan of the original sequence; the scan functions use it for `reverse: true`.
 *
 * @example
 * ```ts
 * const concat: Monoid<string> = { name: 'concat', identity: () => '', combine: (a, b) => a + b };
 * dualMonoid(concat).combine('a', 'b'); // 'ba'
 * ```
 */
export function dualMonoid<T>(monoid: Monoid<T>): Monoid<T> {
  return {
    name: `dual(${monoid.name})`,
    identity: () => monoid.identity(),
    combine: (earlier, later) => monoid.combine(later, earlier),
  };
}
