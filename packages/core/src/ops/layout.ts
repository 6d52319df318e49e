/**
 * Layout ops: reshape, transpose, slice, broadcast, concat, stack. Reshape (of contiguous tensors),
 * transpose, slice and broadcast are zero-copy views sharing storage; concat and contiguous copies use
 * the backend's single `copy` kernel between views.
 * @packageDocumentation
 */
import { record } from '../autograd.js';
import type { TensorView } from '../backend.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import {
  assertValidShape,
  broadcastShapes,
  normalizeAxis,
  type Shape,
  shapesEqual,
  sizeOf,
} from '../shape.js';
import { emptyTensor, materialize, type Tensor, viewOf } from '../tensor.js';
import { zeros } from './creation.js';
import { commonBackend } from './internal.js';
import { sumToShape } from './reduce.js';

function resolveShape(op: string, size: number, shape: Shape, from: Shape): number[] {
  const out = [...shape];
  const unknown = out.indexOf(-1);
  if (unknown !== out.lastIndexOf(-1))
    throw new ShapeError(op, 'at most one extent may be -1', [from, shape]);
  if (unknown >= 0) {
    const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || size % known !== 0)
      throw new ShapeError(op, 'cannot infer the -1 extent', [from, shape]);
    out[unknown] = size / known;
  }
  assertValidShape(op, out);
  if (sizeOf(out) !== size) throw new ShapeError(op, `cannot reshape ${size} elements`, [from, shape]);
  return out;
}

/** A copy of `x` laid out contiguously (a zero-copy view when it already is). Differentiable. */
export function contiguous(x: Tensor): Tensor {
  const out = x.isContiguous ? viewOf(x, x.shape, x.strides, x.offset) : materialize(x);
  return record(out, 'contiguous', [x], (g) => [g]);
}

/** `x` with a new shape of the same size; one extent may be `-1`. Zero-copy for contiguous tensors. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const target = resolveShape('reshape', x.size, shape, x.shape);
  const source = x.isContiguous ? x : materialize(x);
  const strides: number[] = new Array(target.length);
  let s = 1;
  for (let i = target.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= target[i]!;
  }
  const out = viewOf(source, target, strides, source.offset);
  if (source !== x) source.dispose();
  return record(out, 'reshape', [x], (g) => [reshape(g, x.shape)]);
}

/** Permutes axes (default: reverses them). Zero-copy view. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const rank = x.rank;
  const p = perm ? perm.map((a) => normalizeAxis('transpose', a, rank)) : [...Array(rank).keys()].reverse();
  if (p.length !== rank || new Set(p).size !== rank) {
    throw new InvalidArgumentError('transpose', `perm [${perm}] is not a permutation of ${rank} axes`);
  }
  const out = viewOf(
    x,
    p.map((a) => x.shape[a]!),
    p.map((a) => x.strides[a]!),
    x.offset,
  );
  const inverse = new Array<number>(rank);
  p.forEach((a, i) => {
    inverse[a] = i;
  });
  return record(out, 'transpose', [x], (g) => [transpose(g, inverse)]);
}

/** Swaps the last two axes (matrix transpose of every batch element). Zero-copy view. */
export function transposeLast2(x: Tensor): Tensor {
  if (x.rank < 2) throw new ShapeError('transposeLast2', 'needs rank ≥ 2', [x.shape]);
  const perm = [...Array(x.rank).keys()];
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm);
}

/**
 * The sub-tensor starting at `begin` with extents `size` (`-1`: to the end of that axis). Missing trailing
 * axes are taken whole. Zero-copy view.
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  if (begin.length > x.rank) throw new ShapeError('slice', `begin has ${begin.length} entries`, [x.shape]);
  const starts = x.shape.map((_, i) => begin[i] ?? 0);
  const extents = x.shape.map((d, i) => {
    const s = size?.[i];
    return s === undefined || s === -1 ? d - starts[i]! : s;
  });
  starts.forEach((b, i) => {
    if (!Number.isInteger(b) || b < 0 || extents[i]! < 0 || b + extents[i]! > x.shape[i]!) {
      throw new ShapeError('slice', `axis ${i}: [${b}, ${b + extents[i]!}) is outside [0, ${x.shape[i]})`, [
        x.shape,
      ]);
    }
  });
  const offset = x.offset + starts.reduce((o, b, i) => o + b * x.strides[i]!, 0);
  const out = viewOf(x, extents, x.strides, offset);
  return record(out, 'slice', [x], (g) => [padInto(g, x.shape, starts)]);
}

/** Zeros of `shape` with `g` copied in at `starts` (the adjoint of slice). */
function padInto(g: Tensor, shape: Shape, starts: readonly number[]): Tensor {
  const out = zeros(g.backend, shape, g.dtype);
  if (g.size === 0) return out;
  const base = out.view('slice');
  const offset = starts.reduce((o, b, i) => o + b * base.strides[i]!, 0);
  const target: TensorView = { ...base, shape: g.shape, offset };
  g.backend.kernels.copy(g.view('slice'), target);
  return record(out, 'pad', [g], (gg) => [slice(gg, starts, g.shape)]);
}

/** Takes `length` entries of `axis` starting at `start`. Zero-copy view. */
export function sliceAxis(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normalizeAxis('sliceAxis', axis, x.rank);
  const begin = x.shape.map((_, i) => (i === a ? start : 0));
  const size = x.shape.map((d, i) => (i === a ? length : d));
  return slice(x, begin, size);
}

/** `x` broadcast to `shape` (NumPy rules). Zero-copy view with stride-0 axes. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const target = broadcastShapes('broadcastTo', x.shape, shape);
  if (!shapesEqual(target, shape)) throw new ShapeError('broadcastTo', 'cannot broadcast', [x.shape, shape]);
  if (shapesEqual(x.shape, shape)) return contiguousOrView(x);
  const lead = shape.length - x.rank;
  const strides = shape.map((d, i) => {
    const j = i - lead;
    if (j < 0) return 0;
    return x.shape[j] === 1 && d !== 1 ? 0 : x.strides[j]!;
  });
  const out = viewOf(x, shape, strides, x.offset);
  return record(out, 'broadcastTo', [x], (g) => [sumToShape(g, x.shape)]);
}

function contiguousOrView(x: Tensor): Tensor {
  const out = viewOf(x, x.shape, x.strides, x.offset);
  return record(out, 'view', [x], (g) => [g]);
}

/** Inserts an axis of extent 1 at `axis`. */
export function expandDims(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('expandDims', axis < 0 ? axis + x.rank + 1 : axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  const strides = [...x.strides];
  strides.splice(a, 0, a < x.rank ? x.strides[a]! * x.shape[a]! : 1);
  const out = viewOf(x, shape, strides, x.offset);
  return record(out, 'expandDims', [x], (g) => [reshape(g, x.shape)]);
}

/** Removes axes of extent 1 (all of them, or those listed). */
export function squeeze(x: Tensor, axes?: readonly number[]): Tensor {
  const drop = new Set(
    axes
      ? axes.map((a) => normalizeAxis('squeeze', a, x.rank))
      : x.shape.flatMap((d, i) => (d === 1 ? [i] : [])),
  );
  for (const a of drop) {
    if (x.shape[a] !== 1)
      throw new ShapeError('squeeze', `axis ${a} has extent ${x.shape[a]}, not 1`, [x.shape]);
  }
  const keepAxes = x.shape.map((_, i) => i).filter((i) => !drop.has(i));
  const out = viewOf(
    x,
    keepAxes.map((i) => x.shape[i]!),
    keepAxes.map((i) => x.strides[i]!),
    x.offset,
  );
  return record(out, 'squeeze', [x], (g) => [reshape(g, x.shape)]);
}

/** Joins tensors along an existing `axis`; all other extents must match. */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new InvalidArgumentError('concat', 'needs at least one tensor');
  const first = xs[0]!;
  const backend = commonBackend('concat', ...xs);
  const a = normalizeAxis('concat', axis, first.rank);
  for (const x of xs) {
    if (
      x.rank !== first.rank ||
      x.dtype !== first.dtype ||
      x.shape.some((d, i) => i !== a && d !== first.shape[i])
    ) {
      throw new ShapeError(
        'concat',
        `tensors differ outside axis ${a} (or in dtype)`,
        xs.map((t) => t.shape),
      );
    }
  }
  const shape = [...first.shape];
  shape[a] = xs.reduce((n, x) => n + x.shape[a]!, 0);
  const out = emptyTensor(backend, shape, first.dtype);
  const base = out.view('concat');
  let start = 0;
  for (const x of xs) {
    if (x.size > 0) {
      backend.kernels.copy(x.view('concat'), { ...base, shape: x.shape, offset: start * base.strides[a]! });
    }
    start += x.shape[a]!;
  }
  return record(out, 'concat', xs, (g) => {
    let s = 0;
    return xs.map((x) => {
      const piece = x.requiresGrad ? sliceAxis(g, a, s, x.shape[a]!) : null;
      s += x.shape[a]!;
      return piece;
    });
  });
}

/** Stacks equally shaped tensors along a new `axis`. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  return concat(
    xs.map((x) => expandDims(x, axis)),
    axis < 0 ? axis : axis,
  );
}
