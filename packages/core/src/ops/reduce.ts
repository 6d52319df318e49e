/**
 * Reductions over axes (sum, mean, max, min, argmax, logsumexp) and `sumToShape`, the adjoint of
 * broadcasting. Multi-axis reductions run the backend's one-axis `reduce` kernel once per axis.
 * @packageDocumentation
 */
import { noGrad, record } from '../autograd.js';
import type { ReduceOp } from '../backend.js';
import { ShapeError } from '../errors.js';
import { normalizeAxis, type Shape, shapesEqual } from '../shape.js';
import { materialize, type Tensor } from '../tensor.js';
import { add, div, equal, exp, log, mul, sub, where } from './elementwise.js';
import { emptyTensor, reshapedView, reshapeOwned, withContiguous } from './internal.js';
import { broadcastTo, reshape } from './layout.js';

/** Which axes to reduce: one axis, several, or all (`undefined`). Negative axes count from the end. */
export type Axes = number | readonly number[] | undefined;

function resolveAxes(op: string, axes: Axes, rank: number): number[] {
  if (axes === undefined) return [...Array(rank).keys()];
  const list = typeof axes === 'number' ? [axes] : axes;
  return [...new Set(list.map((a) => normalizeAxis(op, a, rank)))].sort((a, b) => a - b);
}

function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** One-axis reduction through the kernel, no gradient. Output keeps the axis with extent 1. */
function reduceAxisRaw(op: ReduceOp, x: Tensor, axis: number): Tensor {
  const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const n = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outShape = keptShape(x.shape, [axis]);
  const out = emptyTensor(x.backend, outShape, x.dtype);
  if (out.size === 0) return out;
  withContiguous(op, [x], ([xv]) => {
    x.backend.kernels.reduce(
      op,
      reshapedView(xv!, [outer, n, inner]),
      reshapedView(out.view(op), [outer, inner]),
    );
  });
  return out;
}

function reduceRaw(op: ReduceOp, x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  if (axes.length === 0) return materialize(x);
  let cur = x;
  for (const a of axes) {
    const next = reduceAxisRaw(op, cur, a);
    if (cur !== x) cur.dispose();
    cur = next;
  }
  if (keepDims) return cur;
  return reshapeOwned(
    cur,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Sum over `axes` (all by default). */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = resolveAxes('sum', axes, x.rank);
  const out = reduceRaw('sum', x, ax, keepDims);
  return record(out, 'sum', [x], (g) => [broadcastTo(reshape(g, keptShape(x.shape, ax)), x.shape)]);
}

/** Mean over `axes` (all by default). The mean of zero elements is NaN, as in NumPy. */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = resolveAxes('mean', axes, x.rank);
  const count = ax.reduce((p, a) => p * x.shape[a]!, 1);
  return div(sum(x, ax, keepDims), count);
}

function extremum(op: 'max' | 'min', x: Tensor, axes: Axes, keepDims: boolean): Tensor {
  const ax = resolveAxes(op, axes, x.rank);
  const out = reduceRaw(op, x, ax, keepDims);
  return record(out, op, [x], (g) => {
    const kept = keptShape(x.shape, ax);
    // Ties share the gradient equally (as PyTorch's amax/amin do).
    const hit = equal(x, reshape(out, kept));
    const share = div(hit, sum(hit, ax, true));
    return [mul(share, reshape(g, kept))];
  });
}

/** Maximum over `axes` (all by default); −∞ over zero elements. Ties share the gradient. */
export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return extremum('max', x, axes, keepDims);
}

/** Minimum over `axes` (all by default); +∞ over zero elements. Ties share the gradient. */
export function min(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return extremum('min', x, axes, keepDims);
}

/** Index (i32) of the first maximum along `axis`. Not differentiable. */
export function argmax(x: Tensor, axis = -1, keepDims = false): Tensor {
  const a = normalizeAxis('argmax', axis, x.rank);
  if (x.shape[a] === 0) throw new ShapeError('argmax', `axis ${a} is empty`, [x.shape]);
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const out = emptyTensor(x.backend, keptShape(x.shape, [a]), 'i32');
  if (out.size > 0) {
    withContiguous('argmax', [x], ([xv]) => {
      x.backend.kernels.argmax(
        reshapedView(xv!, [outer, x.shape[a]!, inner]),
        reshapedView(out.view('argmax'), [outer, inner]),
      );
    });
  }
  return keepDims
    ? out
    : reshapeOwned(
        out,
        x.shape.filter((_, i) => i !== a),
      );
}

/**
 * `log Σ exp(x)` over `axes`, computed stably (the max is subtracted first). A slice that is all −∞ gives
 * −∞ and a zero gradient, never NaN. The gradient is `g·exp(x − lse)` (the softmax over `axes`).
 */
export function logSumExp(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = resolveAxes('logSumExp', axes, x.rank);
  const kept = keptShape(x.shape, ax);
  const lse = noGrad(() => {
    const m = reduceRaw('max', x, ax, true);
    // Rows whose max is ±∞ would give NaN in x − m; shift by 0 there instead.
    const shift = finiteOrZero(m);
    m.dispose();
    return add(log(sum(exp(sub(x, shift)), ax, true)), shift);
  });
  const out = keepDims
    ? lse
    : reshapeOwned(
        lse,
        x.shape.filter((_, i) => !ax.includes(i)),
      );
  return record(out, 'logSumExp', [x], (g) => {
    const lse = reshape(out, kept);
    // where() is recorded (finiteOrZero is not), so createGraph sees how lse depends on x; rows that are
    // all −∞ shift by 0 and get weight e^{−∞} = 0 instead of NaN.
    const weights = exp(sub(x, where(equal(sub(lse, lse), 0), lse, 0)));
    return [mul(weights, reshape(g, kept))];
  });
}

function finiteOrZero(t: Tensor): Tensor {
  // |t| < ∞ ? t : 0, through the contract's kernels: where(t − t == 0, t, 0), no output aliasing an input.
  return noGrad(() => where(equal(sub(t, t), 0), t, 0));
}

/**
 * Sums `g` down to `shape`, the adjoint of broadcasting `shape` up to `g.shape`: leading axes are summed
 * away and axes where `shape` has extent 1 are summed with keepDims.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  if (lead < 0) throw new ShapeError('sumToShape', 'target has higher rank', [g.shape, shape]);
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length > 0 ? sum(g, axes, true) : g;
  return reshape(summed, shape);
}
