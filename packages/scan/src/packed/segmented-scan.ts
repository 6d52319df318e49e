/**
 * Segmented scans over packed lines, built on {@link packedSegmented}.
 * @packageDocumentation
 */
import { ScanError } from '../errors.js';
import type { PackedMonoid } from '../packed-monoid.js';
import type { BlockwiseScanOptions } from '../scan-options.js';
import { boundaryFlag, packedSegmented } from '../segmented.js';
import { assertFlagsLength } from '../validate.js';
import { checkLine, contiguousLine, copyElement, type PackedLine } from './line.js';
import type { PackedScanFunction } from './scan-function.js';
import { scanPackedSequential } from './sequential.js';

/** Options of {@link segmentedScanPacked}. */
export interface PackedSegmentedScanOptions extends BlockwiseScanOptions {
  /** The packed scan algorithm to run on the lifted monoid. Default {@link scanPackedSequential}. */
  readonly algorithm?: PackedScanFunction;
}

/**
 * Packed counterpart of {@link segmentedScan}: `flags[i]` truthy means element `i` starts a segment, and
 * every output covers only its own segment (identity for the empty products at boundaries of exclusive
 * scans). Packs `[flag, element]` pairs into one scratch buffer of `n·(width + 1)` entries, scans it in place
 * with `options.algorithm` under {@link packedSegmented}, and unpacks into `output`.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2, 3, 4, 5]);
 * const line = contiguousLine(x, 1);
 * segmentedScanPacked(packedSumMonoid, line, [1, 0, 1, 0, 0], line); // x = [1, 3, 3, 7, 12]
 * ```
 */
export function segmentedScanPacked(
  monoid: PackedMonoid,
  input: PackedLine,
  flags: ArrayLike<boolean | number>,
  output: PackedLine,
  options: PackedSegmentedScanOptions = {},
): void {
  const fn = 'segmentedScanPacked';
  const w = monoid.width;
  checkLine(fn, 'input', input, w, false);
  checkLine(fn, 'output', output, w, true);
  assertFlagsLength(fn, flags, input.length);
  const n = input.length;
  if (output.length !== n)
    throw new ScanError(fn, 'output.length', `is ${output.length} but input.length is ${n}`);
  const direction = options.reverse ? 'reverse' : 'forward';
  const lw = w + 1;
  const buffer = new Float64Array(n * lw);
  for (let i = 0; i < n; i++) {
    buffer[i * lw] = boundaryFlag(flags, i, direction) ? 1 : 0;
    copyElement(input.data, input.offset + i * input.stride, buffer, i * lw + 1, w);
  }
  const line = contiguousLine(buffer, lw, n);
  const algorithm = options.algorithm ?? scanPackedSequential;
  algorithm(packedSegmented(monoid, direction), line, line, {
    exclusive: options.exclusive ?? false,
    reverse: options.reverse ?? false,
    ...(options.blockSize === undefined ? {} : { blockSize: options.blockSize }),
  });
  // Exclusive: a boundary element's segment has nothing before (after) it, so its output is the identity.
  for (let i = 0; i < n; i++) {
    const o = output.offset + i * output.stride;
    if (options.exclusive && boundaryFlag(flags, i, direction)) monoid.setIdentity(output.data, o);
    else copyElement(buffer, i * lw + 1, output.data, o, w);
  }
}
