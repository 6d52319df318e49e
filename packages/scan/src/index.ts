/**
 * `@aaren/scan`: associative scans as a small, dependency-free library.
 *
 * - Contracts: {@link Monoid} (value level) and {@link PackedMonoid} (elements of `width` numbers in a typed
 *   array, the form the CPU backend runs and GPU kernels mirror).
 * - Monoids: sum, max, logsumexp, linear recurrence `h_t = a_t h_{t−1} + b_t`, and the Aaren attention monoid
 *   on `(m, u, w)` (running max, numerator vector, denominator).
 * - Algorithms: sequential, blockwise, Blelloch and Hillis–Steele; inclusive/exclusive, forward/reverse,
 *   segmented (a monoid transformer), and along one axis of an N-d array.
 *
 * @packageDocumentation
 */

export { ScanError } from './errors.js';
export { dualMonoid, type Monoid } from './monoid.js';
export {
  type AttentionState,
  attentionCodec,
  attentionFromScores,
  attentionLayout,
  attentionLeaf,
  attentionMonoid,
  attentionReadout,
  packedAttentionFromScores,
  packedAttentionMonoid,
} from './monoids/attention.js';
export {
  type LinearRecurrenceStep,
  linearRecurrenceCodec,
  linearRecurrenceLoop,
  linearRecurrenceMonoid,
  packedLinearRecurrenceMonoid,
} from './monoids/linear-recurrence.js';
export { logAddExp, logSumExpMonoid, packedLogSumExpMonoid } from './monoids/log-sum-exp.js';
export { maxMonoid, packedMaxMonoid } from './monoids/max.js';
export { scalarCodec } from './monoids/scalar-codec.js';
export { packedSumMonoid, sumMonoid } from './monoids/sum.js';
export { type ScanAxisOptions, scanAxis } from './packed/axis.js';
export { scanPackedBlelloch } from './packed/blelloch.js';
export { scanPackedBlockwise } from './packed/blockwise.js';
export { scanPackedHillisSteele } from './packed/hillis-steele.js';
export { contiguousLine, type PackedLine, reverseLine } from './packed/line.js';
export { reducePacked } from './packed/reduce.js';
export type { PackedScanFunction } from './packed/scan-function.js';
export { type PackedSegmentedScanOptions, segmentedScanPacked } from './packed/segmented-scan.js';
export { scanPackedSequential } from './packed/sequential.js';
export {
  dualPackedMonoid,
  type PackedArray,
  type PackedCodec,
  type PackedMonoid,
  packedFromValues,
  valuesFromPacked,
} from './packed-monoid.js';
export type { BlockwiseScanOptions, ScanOptions } from './scan-options.js';
export { type Flagged, packedSegmented, type SegmentDirection, segmented } from './segmented.js';
export { DEFAULT_BLOCK_SIZE } from './validate.js';
export { scanBlelloch } from './value/blelloch.js';
export { scanBlockwise } from './value/blockwise.js';
export { scanHillisSteele } from './value/hillis-steele.js';
export { reduce } from './value/reduce.js';
export type { ScanFunction } from './value/scan-function.js';
export { type SegmentedScanOptions, segmentedScan } from './value/segmented-scan.js';
export { scanSequential } from './value/sequential.js';
