/**
 * Blelloch's work-efficient parallel scan (up-sweep / down-sweep over a balanced tree).
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';
import type { ScanOptions } from '../scan-options.js';
import { oriented } from './orient.js';

/** Smallest power of two `>= n` (1 for n ≤ 1). @internal */
export function nextPowerOfTwo(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

function blellochForward<T>(monoid: Monoid<T>, values: readonly T[], exclusive: boolean): T[] {
  const n = values.length;
  if (n === 0) return [];
  const size = nextPowerOfTwo(n);
  const tree: T[] = [];
  for (let i = 0; i < size; i++) tree.push(i < n ? values[i]! : monoid.identity());
  // Up-sweep: node i (right end of a span of 2d) becomes the product of its two halves.
  for (let d = 1; d < size; d *= 2) {
    for (let i = 2 * d - 1; i < size; i += 2 * d) tree[i] = monoid.combine(tree[i - d]!, tree[i]!);
  }
  const total = tree[size - 1]!;
  // Down-sweep: each node holds the exclusive prefix of its span; the left child inherits it and the right
  // child gets prefix ⊕ (left child's total). The prefix is the earlier operand.
  tree[size - 1] = monoid.identity();
  for (let d = size / 2; d >= 1; d /= 2) {
    for (let i = 2 * d - 1; i < size; i += 2 * d) {
      const left = tree[i - d]!;
      tree[i - d] = tree[i]!;
      tree[i] = monoid.combine(tree[i]!, left);
    }
  }
  if (exclusive) return tree.slice(0, n);
  // Inclusive prefix i is the exclusive prefix i + 1 (padding beyond n holds identities), or the total.
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(i + 1 < size ? tree[i + 1]! : total);
  return out;
}

/**
 * Blelloch scan: pad to a power of two with identities, up-sweep (reduce tree), clear the root, down-sweep.
 * Work O(n) (about 2n combines), depth O(2 log n). Produces the exclusive scan natively; the inclusive one is
 * read off shifted by one.
 *
 * @example
 * ```ts
 * scanBlelloch(sumMonoid, [1, 2, 3], { exclusive: true }); // [0, 1, 3]
 * ```
 */
export function scanBlelloch<T>(monoid: Monoid<T>, values: readonly T[], options: ScanOptions = {}): T[] {
  return oriented(blellochForward, monoid, values, options);
}
