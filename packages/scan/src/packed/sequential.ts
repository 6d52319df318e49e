/**
 * Sequential packed scan.
 * @packageDocumentation
 */
import type { PackedMonoid } from '../packed-monoid.js';
import type { ScanOptions } from '../scan-options.js';
import type { PackedLine } from './line.js';
import { orientPacked } from './orient.js';
import { scanRange } from './run.js';

/**
 * Sequential scan of a packed line into another (or the same) line. The accumulator is a `Float64Array`
 * of one element, so nothing is allocated per element. Work O(n), depth O(n).
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2, 3]);
 * const y = new Float64Array(3);
 * scanPackedSequential(packedSumMonoid, contiguousLine(x, 1), contiguousLine(y, 1)); // y = [1, 3, 6]
 * ```
 */
export function scanPackedSequential(
  monoid: PackedMonoid,
  input: PackedLine,
  output: PackedLine,
  options: ScanOptions = {},
): void {
  const p = orientPacked('scanPackedSequential', monoid, input, output, options);
  const acc = new Float64Array(monoid.width);
  p.monoid.setIdentity(acc, 0);
  scanRange(p.monoid, p.input, p.output, 0, p.input.length, p.exclusive, acc, new Float64Array(monoid.width));
}
