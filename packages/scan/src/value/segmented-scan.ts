/**
 * Segmented scans over value arrays, built on the {@link segmented} monoid transformer.
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';
import type { BlockwiseScanOptions } from '../scan-options.js';
import { boundaryFlag, type Flagged, segmented } from '../segmented.js';
import { assertFlagsLength } from '../validate.js';
import type { ScanFunction } from './scan-function.js';
import { scanSequential } from './sequential.js';

/** Options of {@link segmentedScan}. */
export interface SegmentedScanOptions extends BlockwiseScanOptions {
  /** The scan algorithm to run on the lifted monoid. Default {@link scanSequential}. */
  readonly algorithm?: ScanFunction;
}

/**
 * Scan that restarts at every segment start. `flags[i]` is truthy when `x_i` starts a new segment (a flag
 * on element 0 is allowed and changes nothing). In every direction the output of element `i` covers only
 * elements of `i`'s own segment:
 *
 * - forward inclusive: `x_s ⊕ … ⊕ x_i` (`s` = start of `i`'s segment); exclusive: `x_s ⊕ … ⊕ x_{i−1}`
 * - reverse inclusive: `x_i ⊕ … ⊕ x_t` (`t` = end of `i`'s segment); exclusive: `x_{i+1} ⊕ … ⊕ x_t`
 *
 * The empty products at segment boundaries are the identity.
 *
 * @example
 * ```ts
 * segmentedScan(sumMonoid, [1, 2, 3, 4, 5], [true, false, true, false, false]); // [1, 3, 3, 7, 12]
 * segmentedScan(sumMonoid, [1, 2, 3, 4, 5], [1, 0, 1, 0, 0], { reverse: true }); // [3, 2, 12, 9, 5]
 * ```
 */
export function segmentedScan<T>(
  monoid: Monoid<T>,
  values: readonly T[],
  flags: ArrayLike<boolean | number>,
  options: SegmentedScanOptions = {},
): T[] {
  assertFlagsLength('segmentedScan', flags, values.length);
  const direction = options.reverse ? 'reverse' : 'forward';
  const boundary = (i: number) => boundaryFlag(flags, i, direction);
  const lifted: Flagged<T>[] = values.map((value, i) => ({ flag: boundary(i), value }));
  const algorithm = options.algorithm ?? scanSequential;
  const scanned = algorithm(segmented(monoid, direction), lifted, {
    exclusive: options.exclusive ?? false,
    reverse: options.reverse ?? false,
    ...(options.blockSize === undefined ? {} : { blockSize: options.blockSize }),
  });
  // Exclusive: a boundary element's own segment has nothing before (after) it, so its output is the identity;
  // the lifted scan would carry the previous segment's product there.
  return scanned.map((p, i) => (options.exclusive && boundary(i) ? monoid.identity() : p.value));
}
