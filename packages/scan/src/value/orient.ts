/**
 * Internal: turns a forward scan core into a scan that honours `reverse` via the dual monoid.
 * @packageDocumentation
 */
import { dualMonoid, type Monoid } from '../monoid.js';
import type { ScanOptions } from '../scan-options.js';

/** A forward-only scan: inclusive or exclusive prefix over `values` in order. */
export type ForwardScan = <T>(monoid: Monoid<T>, values: readonly T[], exclusive: boolean) => T[];

/**
 * Runs `forward` directly, or for `reverse: true` on the reversed sequence under the dual monoid and
 * reverses the result back, which yields `y_i = x_i ⊕ … ⊕ x_{n−1}` in the original order.
 */
export function oriented<T>(
  forward: ForwardScan,
  monoid: Monoid<T>,
  values: readonly T[],
  options: ScanOptions,
): T[] {
  const exclusive = options.exclusive ?? false;
  if (!options.reverse) return forward(monoid, values, exclusive);
  return forward(dualMonoid(monoid), values.slice().reverse(), exclusive).reverse();
}
