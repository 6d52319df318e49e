/**
 * The common signature of the packed scan algorithms.
 * @packageDocumentation
 */
import type { PackedMonoid } from '../packed-monoid.js';
import type { BlockwiseScanOptions } from '../scan-options.js';
import type { PackedLine } from './line.js';

/**
 * Signature shared by {@link scanPackedSequential}, {@link scanPackedBlockwise}, {@link scanPackedBlelloch}
 * and {@link scanPackedHillisSteele}: scans `input` into `output` (same length; identical to `input` for an
 * in-place scan, otherwise not overlapping it).
 */
export type PackedScanFunction = (
  monoid: PackedMonoid,
  input: PackedLine,
  output: PackedLine,
  options?: BlockwiseScanOptions,
) => void;
