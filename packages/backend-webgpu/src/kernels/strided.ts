/**
 * Shape coalescing for the strided elementwise kernels: extent-1 axes are dropped and neighbouring axes
 * merged wherever every view is contiguous across them, so most kernels run on rank 1 or 2; and the element
 * range a slice of the flat iteration touches in each view, to bind windows of very large buffers.
 * @packageDocumentation
 */

/** A coalesced iteration space: extents (outermost first) and, per view, one stride per extent. */
export interface CoalescedShape {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Coalesces `shape` under the strides of every view (same element order as row-major iteration over
 * `shape`). The result has rank ≥ 1; a shape with a zero extent gives `shape: [0]`.
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): CoalescedShape {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    const extent = shape[axis]!;
    if (extent === 0) return { shape: [0], strides: strides.map(() => [0]) };
    if (extent === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((s, v) => outStrides[v]![last] === s[axis]! * extent);
    if (mergeable) {
      outShape[last] = outShape[last]! * extent;
      strides.forEach((s, v) => {
        outStrides[v]![last] = s[axis]!;
      });
    } else {
      outShape.push(extent);
      strides.forEach((s, v) => {
        outStrides[v]!.push(s[axis]!);
      });
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/**
 * The element range `[lo, hi)` that flat indices `[start, end)` of row-major iteration over `shape` touch in
 * a view with `strides` (non-negative) and `offset`: a bounding box, exact for contiguous views.
 */
export function rangeSpan(
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  start: number,
  end: number,
): [number, number] {
  if (end <= start) return [offset, offset];
  const rank = shape.length;
  const first = new Array<number>(rank).fill(0);
  const last = new Array<number>(rank).fill(0);
  let a = start;
  let b = end - 1;
  for (let k = rank - 1; k >= 0; k--) {
    const e = shape[k]!;
    first[k] = a % e;
    last[k] = b % e;
    a = Math.floor(a / e);
    b = Math.floor(b / e);
  }
  let lo = offset;
  let hi = offset;
  let differ = false;
  for (let k = 0; k < rank; k++) {
    const s = strides[k]!;
    if (!differ && first[k] === last[k]) {
      lo += first[k]! * s;
      hi += first[k]! * s;
    } else if (!differ) {
      differ = true;
      lo += first[k]! * s;
      hi += last[k]! * s;
    } else {
      hi += (shape[k]! - 1) * s;
    }
  }
  return [lo, hi + 1];
}
