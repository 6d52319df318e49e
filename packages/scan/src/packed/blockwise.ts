/**
 * Blockwise packed scan (chunk reduce → scan of chunk totals → chunk rescan).
 * @packageDocumentation
 */
import type { PackedMonoid } from '../packed-monoid.js';
import type { BlockwiseScanOptions } from '../scan-options.js';
import { resolveBlockSize } from '../validate.js';
import { contiguousLine, type PackedLine } from './line.js';
import { orientPacked } from './orient.js';
import { reduceRange, scanRange } from './run.js';

/**
 * Blockwise scan of a packed line: (1) reduce each block of `options.blockSize` elements (default 256) into
 * a totals buffer, (2) exclusive-scan the totals in place, (3) rescan each block from its carry. Phases 1 and
 * 3 are independent per block (one GPU workgroup each). Work O(2n), depth O(B + n/B). Allocates
 * `⌈n/B⌉ + 2` elements of scratch per call.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2, 3, 4, 5]);
 * scanPackedBlockwise(packedSumMonoid, contiguousLine(x, 1), contiguousLine(x, 1), { blockSize: 2 });
 * // x = [1, 3, 6, 10, 15]
 * ```
 */
export function scanPackedBlockwise(
  monoid: PackedMonoid,
  input: PackedLine,
  output: PackedLine,
  options: BlockwiseScanOptions = {},
): void {
  const blockSize = resolveBlockSize('scanPackedBlockwise', options.blockSize);
  const p = orientPacked('scanPackedBlockwise', monoid, input, output, options);
  const m = p.monoid;
  const w = m.width;
  const n = p.input.length;
  const blocks = Math.ceil(n / blockSize);
  const acc = new Float64Array(w);
  const tmp = new Float64Array(w);
  // Phase 1: block totals.
  const totals = new Float64Array(blocks * w);
  for (let b = 0; b < blocks; b++) {
    const start = b * blockSize;
    m.setIdentity(acc, 0);
    reduceRange(m, p.input, start, Math.min(start + blockSize, n), acc);
    totals.set(acc, b * w);
  }
  // Phase 2: exclusive scan of the totals, in place: totals[b] becomes block b's carry-in.
  const totalsLine = contiguousLine(totals, w, blocks);
  m.setIdentity(acc, 0);
  scanRange(m, totalsLine, totalsLine, 0, blocks, true, acc, tmp);
  // Phase 3: rescan each block from its carry.
  for (let b = 0; b < blocks; b++) {
    acc.set(totals.subarray(b * w, (b + 1) * w));
    const start = b * blockSize;
    scanRange(m, p.input, p.output, start, Math.min(start + blockSize, n), p.exclusive, acc, tmp);
  }
}
