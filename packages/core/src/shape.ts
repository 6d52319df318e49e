/**
 * Shape arithmetic shared by ops and backends: sizes, row-major strides, broadcasting and axis
 * normalisation. Pure functions, no tensors.
 * @packageDocumentation
 */
import { InvalidArgumentError, ShapeError } from './errors.js';

/** A tensor shape: non-negative integer extents, outermost first. `[]` is a scalar. */
export type Shape = readonly number[];

/** Number of elements of a tensor of `shape` (1 for a scalar, 0 if any axis is 0). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) strides of a contiguous tensor of `shape`, in elements. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Throws unless every extent of `shape` is a non-negative integer. */
export function assertValidShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(op, `invalid extent ${d}`, [shape]);
  }
}

/** Whether two shapes are equal. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The NumPy broadcast of several shapes: axes aligned from the right, extents equal or 1.
 * @throws {@link ShapeError} naming `op` and all shapes when they do not broadcast.
 */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) throw new ShapeError(op, 'shapes do not broadcast', shapes);
    }
  }
  return out;
}

/** Maps a possibly negative axis to `[0, rank)`. @throws {@link InvalidArgumentError} when out of range. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new InvalidArgumentError(op, `axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}
