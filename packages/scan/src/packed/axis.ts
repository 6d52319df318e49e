/**
 * Scans along one axis of an N-d array stored row-major in a typed array.
 * @packageDocumentation
 */
import { formatShape, ScanError } from '../errors.js';
import type { PackedArray, PackedMonoid } from '../packed-monoid.js';
import type { BlockwiseScanOptions } from '../scan-options.js';
import { assertInteger } from '../validate.js';
import type { PackedLine } from './line.js';
import type { PackedScanFunction } from './scan-function.js';
import { scanPackedSequential } from './sequential.js';

/** Options of {@link scanAxis}. */
export interface ScanAxisOptions extends BlockwiseScanOptions {
  /** Packed scan algorithm run on every line. Default {@link scanPackedSequential}. */
  readonly algorithm?: PackedScanFunction;
  /**
   * Destination with the same length as `data` (may be `data` itself for an in-place scan). Default: a new
   * array of the same type as `data`.
   */
  readonly output?: PackedArray;
}

/** Geometry of the lines along one axis: `outer × inner` lines of `length` elements. @internal */
export interface AxisLines {
  /** Number of elements per line (`shape[axis]`). */
  readonly length: number;
  /** Product of the element-axis extents before `axis`. */
  readonly outer: number;
  /** Product of the element-axis extents after `axis`. */
  readonly inner: number;
  /** Array entries between consecutive elements of a line (`inner · width`). */
  readonly stride: number;
}

/**
 * Validates `shape` and `axis` for a monoid of the given `width` and returns the line geometry.
 * With `width > 1` the last axis of `shape` holds the element's numbers: it must equal `width`, and `axis`
 * counts the other axes only (`-1` is the last of those).
 * @internal
 */
export function axisLines(
  fn: string,
  width: number,
  dataLength: number,
  shape: readonly number[],
  axis: number,
): AxisLines {
  for (let i = 0; i < shape.length; i++) assertInteger(fn, `shape[${i}]`, shape[i]!, 0);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== dataLength) {
    throw new ScanError(
      fn,
      'shape',
      `${formatShape(shape)} has ${size} entries but data has length ${dataLength}`,
    );
  }
  let dims = shape;
  if (width > 1) {
    if (shape.length < 2 || shape[shape.length - 1] !== width) {
      throw new ScanError(
        fn,
        'shape',
        `${formatShape(shape)} must end with the monoid's element width ${width} and have rank >= 2`,
      );
    }
    dims = shape.slice(0, -1);
  }
  const rank = dims.length;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const elementNote =
      width > 1 ? ` (element axes of ${formatShape(shape)}, last axis = element width ${width})` : '';
    throw new ScanError(fn, 'axis', `${String(axis)} is out of range for rank ${rank}${elementNote}`);
  }
  const a = axis < 0 ? axis + rank : axis;
  const outer = dims.slice(0, a).reduce((x, y) => x * y, 1);
  const inner = dims.slice(a + 1).reduce((x, y) => x * y, 1);
  return { length: dims[a]!, outer, inner, stride: inner * width };
}

/**
 * Scans every line of a row-major N-d array along `axis` with a packed monoid, writing into
 * `options.output` (or a new array of `data`'s type), and returns the output.
 *
 * For width-1 monoids (sum, max, logsumexp) every array entry is an element. For wider monoids the last
 * axis of `shape` is the element itself (e.g. `[batch, time, dim + 2]` for `packedAttentionMonoid(dim)`)
 * and `axis` indexes the remaining axes. Negative axes count from the end of those. Lines are independent
 * (one GPU workgroup or thread per line); each is scanned with `options.algorithm`.
 *
 * @example
 * ```ts
 * // cumsum over the rows of a 2 × 3 matrix (axis 0) and over its columns (axis 1)
 * const x = new Float64Array([1, 2, 3, 4, 5, 6]);
 * scanAxis(packedSumMonoid, x, [2, 3], 0); // [1, 2, 3, 5, 7, 9]
 * scanAxis(packedSumMonoid, x, [2, 3], 1); // [1, 3, 6, 4, 9, 15]
 * ```
 */
export function scanAxis(
  monoid: PackedMonoid,
  data: PackedArray,
  shape: readonly number[],
  axis: number,
  options: ScanAxisOptions = {},
): PackedArray {
  const fn = 'scanAxis';
  const geometry = axisLines(fn, monoid.width, data.length, shape, axis);
  const output =
    options.output ??
    (data instanceof Float32Array ? new Float32Array(data.length) : new Float64Array(data.length));
  if (output.length !== data.length) {
    throw new ScanError(
      fn,
      'options.output',
      `has length ${output.length} but data has length ${data.length}`,
    );
  }
  const algorithm = options.algorithm ?? scanPackedSequential;
  const { length, outer, inner, stride } = geometry;
  const lineOptions = {
    exclusive: options.exclusive ?? false,
    reverse: options.reverse ?? false,
    ...(options.blockSize === undefined ? {} : { blockSize: options.blockSize }),
  };
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const offset = (o * length * inner + i) * monoid.width;
      const input: PackedLine = { data, offset, stride, length };
      algorithm(monoid, input, { data: output, offset, stride, length }, lineOptions);
    }
  }
  return output;
}
