/**
 * The blockwise (chunked) scan: reduce each block, scan the block totals, rescan each block from its carry.
 * This is the structure of a GPU scan with one workgroup per block.
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';
import type { BlockwiseScanOptions } from '../scan-options.js';
import { resolveBlockSize } from '../validate.js';
import { oriented } from './orient.js';
import { sequentialForward } from './sequential.js';

function blockwiseForward<T>(
  monoid: Monoid<T>,
  values: readonly T[],
  exclusive: boolean,
  blockSize: number,
): T[] {
  const n = values.length;
  // Phase 1: reduce each block (independent per block: one workgroup each on a GPU).
  const totals: T[] = [];
  for (let start = 0; start < n; start += blockSize) {
    let acc = monoid.identity();
    for (let i = start; i < Math.min(start + blockSize, n); i++) acc = monoid.combine(acc, values[i]!);
    totals.push(acc);
  }
  // Phase 2: exclusive scan of the block totals gives each block's carry-in.
  const carries = sequentialForward(monoid, totals, true);
  // Phase 3: rescan each block starting from its carry (independent per block).
  const out: T[] = [];
  carries.forEach((carry, block) => {
    let acc = carry;
    const start = block * blockSize;
    for (let i = start; i < Math.min(start + blockSize, n); i++) {
      if (exclusive) {
        out.push(acc);
        acc = monoid.combine(acc, values[i]!);
      } else {
        acc = monoid.combine(acc, values[i]!);
        out.push(acc);
      }
    }
  });
  return out;
}

/**
 * Blockwise scan with blocks of `options.blockSize` elements (default 256): (1) reduce every block,
 * (2) exclusive-scan the `⌈n/B⌉` block totals, (3) rescan every block from its carry-in. Work O(2n),
 * depth O(B + n/B) as written (phases 1 and 3 are parallel over blocks; phase 2 is sequential here and a
 * single workgroup or a recursive call on a GPU).
 *
 * @example
 * ```ts
 * scanBlockwise(sumMonoid, [1, 2, 3, 4, 5], { blockSize: 2 }); // [1, 3, 6, 10, 15]
 * ```
 */
export function scanBlockwise<T>(
  monoid: Monoid<T>,
  values: readonly T[],
  options: BlockwiseScanOptions = {},
): T[] {
  const blockSize = resolveBlockSize('scanBlockwise', options.blockSize);
  return oriented(
    (m, xs, exclusive) => blockwiseForward(m, xs, exclusive, blockSize),
    monoid,
    values,
    options,
  );
}
