/**
 * The common signature of the value-level scan algorithms.
 * @packageDocumentation
 */
import type { Monoid } from '../monoid.js';
import type { BlockwiseScanOptions } from '../scan-options.js';

/**
 * Signature shared by {@link scanSequential}, {@link scanBlockwise}, {@link scanBlelloch} and
 * {@link scanHillisSteele}: returns a new array of `values.length` prefix (or suffix) products.
 */
export type ScanFunction = <T>(
  monoid: Monoid<T>,
  values: readonly T[],
  options?: BlockwiseScanOptions,
) => T[];
