/**
 * Strided views of packed elements inside a typed array: the unit every packed scan works on.
 * @packageDocumentation
 */
import { ScanError } from '../errors.js';
import type { PackedArray } from '../packed-monoid.js';
import { assertInteger } from '../validate.js';

/**
 * `length` packed elements inside `data`: element `k` occupies `data[offset + k·stride … + width − 1]`,
 * where `width` comes from the monoid. `stride` is counted in array entries (not elements) and may be
 * negative (a reversed view). A contiguous line has `stride = width`; a line along axis `j` of a row-major
 * N-d array has `stride = width · Π_{i>j} shape[i]`.
 */
export interface PackedLine {
  /** The backing array. */
  readonly data: PackedArray;
  /** Array index of element 0's first number. */
  readonly offset: number;
  /** Distance in array entries between consecutive elements. */
  readonly stride: number;
  /** Number of elements. */
  readonly length: number;
}

/**
 * A contiguous line of elements of `width` numbers starting at `offset`. `length` defaults to all whole
 * elements from `offset` to the end of `data` (which must then divide evenly).
 *
 * @example
 * ```ts
 * const data = new Float64Array([1, 2, 3, 4]);
 * scanPackedSequential(packedSumMonoid, contiguousLine(data, 1), contiguousLine(data, 1)); // in place
 * ```
 */
export function contiguousLine(data: PackedArray, width: number, length?: number, offset = 0): PackedLine {
  assertInteger('contiguousLine', 'width', width, 1);
  assertInteger('contiguousLine', 'offset', offset, 0);
  let count = length;
  if (count === undefined) {
    const rest = data.length - offset;
    if (rest < 0 || rest % width !== 0) {
      throw new ScanError(
        'contiguousLine',
        'data',
        `has length ${data.length}; from offset ${offset} that is not a whole number of elements of width ${width}`,
      );
    }
    count = rest / width;
  }
  const line = { data, offset, stride: width, length: count };
  checkLine('contiguousLine', 'line', line, width, true);
  return line;
}

/** The same elements in reverse order (a view; nothing is copied). */
export function reverseLine(line: PackedLine): PackedLine {
  if (line.length === 0) return line;
  return { ...line, offset: line.offset + (line.length - 1) * line.stride, stride: -line.stride };
}

/**
 * Throws a {@link ScanError} unless every element of `line` lies inside its array. Output lines must also
 * have non-overlapping elements (`|stride| >= width`); input lines may overlap (e.g. stride 0 broadcasts).
 * @internal
 */
export function checkLine(
  fn: string,
  name: string,
  line: PackedLine,
  width: number,
  isOutput: boolean,
): void {
  assertInteger(fn, `${name}.length`, line.length, 0);
  assertInteger(fn, `${name}.offset`, line.offset, 0);
  if (!Number.isInteger(line.stride)) {
    throw new ScanError(fn, `${name}.stride`, `must be an integer, got ${String(line.stride)}`);
  }
  if (line.length === 0) return;
  const last = line.offset + (line.length - 1) * line.stride;
  const lo = Math.min(line.offset, last);
  const hi = Math.max(line.offset, last) + width;
  if (lo < 0 || hi > line.data.length) {
    throw new ScanError(
      fn,
      name,
      `(offset ${line.offset}, stride ${line.stride}, length ${line.length}, width ${width}) spans entries ` +
        `[${lo}, ${hi}) outside an array of length ${line.data.length}`,
    );
  }
  if (isOutput && line.length > 1 && Math.abs(line.stride) < width) {
    throw new ScanError(
      fn,
      `${name}.stride`,
      `is ${line.stride}, so elements of width ${width} would overlap in the output`,
    );
  }
}

/** Copies one element of `width` numbers. @internal */
export function copyElement(src: PackedArray, so: number, dst: PackedArray, dO: number, width: number): void {
  if (src === dst && so === dO) return;
  for (let j = 0; j < width; j++) dst[dO + j] = src[so + j]!;
}
