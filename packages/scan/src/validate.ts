/**
 * Internal argument checks shared by the scan functions. Not exported from the package index.
 * @packageDocumentation
 */
import { ScanError } from './errors.js';

/** Default number of elements per block for the blockwise scans. */
export const DEFAULT_BLOCK_SIZE = 256;

/** Throws unless `value` is an integer `>= min`. */
export function assertInteger(fn: string, argument: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    const what =
      min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
    throw new ScanError(fn, argument, `must be ${what}, got ${String(value)}`);
  }
}

/** Returns the validated block size (the default when `blockSize` is undefined). */
export function resolveBlockSize(fn: string, blockSize: number | undefined): number {
  const size = blockSize ?? DEFAULT_BLOCK_SIZE;
  assertInteger(fn, 'options.blockSize', size, 1);
  return size;
}

/** Throws unless `flags` has exactly `length` entries. */
export function assertFlagsLength(fn: string, flags: ArrayLike<unknown>, length: number): void {
  if (flags.length !== length) {
    throw new ScanError(fn, 'flags', `has length ${flags.length} but there are ${length} values`);
  }
}
