/**
 * Packed reduction.
 * @packageDocumentation
 */
import { ScanError } from '../errors.js';
import type { PackedArray, PackedMonoid } from '../packed-monoid.js';
import { checkLine, copyElement, type PackedLine } from './line.js';
import { reduceRange } from './run.js';

/**
 * Writes `x_0 ⊕ … ⊕ x_{n−1}` of a packed line (the identity when empty) at `out[outOffset …]`.
 *
 * @example
 * ```ts
 * const total = new Float64Array(1);
 * reducePacked(packedSumMonoid, contiguousLine(new Float64Array([1, 2, 3]), 1), total); // total = [6]
 * ```
 */
export function reducePacked(monoid: PackedMonoid, input: PackedLine, out: PackedArray, outOffset = 0): void {
  checkLine('reducePacked', 'input', input, monoid.width, false);
  if (!Number.isInteger(outOffset) || outOffset < 0 || outOffset + monoid.width > out.length) {
    throw new ScanError(
      'reducePacked',
      'outOffset',
      `${String(outOffset)} leaves no room for an element of width ${monoid.width} in an array of length ${out.length}`,
    );
  }
  const acc = new Float64Array(monoid.width);
  monoid.setIdentity(acc, 0);
  reduceRange(monoid, input, 0, input.length, acc);
  copyElement(acc, 0, out, outOffset, monoid.width);
}
