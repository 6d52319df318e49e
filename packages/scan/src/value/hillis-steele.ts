/**
 * The Hillis–Steele parallel scan (step-efficient, not work-efficient).
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';
import type { ScanOptions } from '../scan-options.js';
import { oriented } from './orient.js';

function hillisSteeleForward<T>(monoid: Monoid<T>, values: readonly T[], exclusive: boolean): T[] {
  const n = values.length;
  let current = values.slice();
  // Round d: every element i >= d absorbs the element d places earlier (double-buffered).
  for (let d = 1; d < n; d *= 2) {
    const next = current.slice();
    for (let i = d; i < n; i++) next[i] = monoid.combine(current[i - d]!, current[i]!);
    current = next;
  }
  if (!exclusive || n === 0) return current;
  return [monoid.identity(), ...current.slice(0, n - 1)];
}

/**
 * Hillis–Steele scan: `⌈log2 n⌉` rounds, in round `d = 1, 2, 4, …` every `x_i` with `i ≥ d` becomes
 * `x_{i−d} ⊕ x_i`. Work O(n log n), depth O(log n). Inclusive natively; exclusive is the inclusive result
 * shifted right by one with the identity in front.
 *
 * @example
 * ```ts
 * scanHillisSteele(sumMonoid, [1, 2, 3, 4]); // [1, 3, 6, 10]
 * ```
 */
export function scanHillisSteele<T>(monoid: Monoid<T>, values: readonly T[], options: ScanOptions = {}): T[] {
  return oriented(hillisSteeleForward, monoid, values, options);
}
