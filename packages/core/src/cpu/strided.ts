/**
 * Iteration over strided views for the elementwise kernels. The views' common shape is first coalesced
 * (extent-1 axes dropped, axes merged wherever every view is contiguous across them), then walked with an
 * index odometer over all but the innermost axis. The innermost axis is handed to the kernel as one *run*
 * (start position and step per view), so the per-element work is a tight loop with no allocation. When
 * every view is contiguous (any offsets) the shape coalesces to a single axis: the whole range is one run.
 * @packageDocumentation
 */
import type { TensorView } from '../backend.js';

/**
 * Receives one run of `n` elements: element `e` of the run lives at `pos[v] + e·step[v]` in view `v`.
 * `pos` is reused between calls; read it, do not keep it.
 */
export type RunVisitor = (n: number, pos: readonly number[], step: readonly number[]) => void;

/** A coalesced iteration plan: extents outermost first and, per view, one stride per extent. */
interface Plan {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Coalesces `shape` under the strides of every view. Returns `null` when the shape holds no element.
 * The result has rank ≥ 1 and the same element order as row-major iteration over `shape`.
 */
function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): Plan | null {
  const views = strides.length;
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    const extent = shape[axis]!;
    if (extent === 0) return null;
    if (extent === 1) continue;
    const last = outShape.length - 1;
    let mergeable = last >= 0;
    for (let v = 0; v < views && mergeable; v++) {
      // The previous (outer) axis can absorb this one when stepping it once equals `extent` inner steps.
      if (outStrides[v]![last] !== strides[v]![axis]! * extent) mergeable = false;
    }
    if (mergeable) {
      outShape[last] = outShape[last]! * extent;
      for (let v = 0; v < views; v++) outStrides[v]![last] = strides[v]![axis]!;
    } else {
      outShape.push(extent);
      for (let v = 0; v < views; v++) outStrides[v]!.push(strides[v]![axis]!);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (let v = 0; v < views; v++) outStrides[v]!.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `visit` once per innermost run of the views' common `shape`, in row-major order.
 * All views must have `shape` as their shape (broadcast axes carry stride 0). Nothing is called when the
 * shape has no element.
 */
export function forEachRun(shape: readonly number[], views: readonly TensorView[], visit: RunVisitor): void {
  const plan = coalesce(
    shape,
    views.map((v) => v.strides),
  );
  if (plan === null) return;
  const count = views.length;
  const rank = plan.shape.length;
  const inner = rank - 1;
  const n = plan.shape[inner]!;
  const pos: number[] = views.map((v) => v.offset);
  const step: number[] = plan.strides.map((s) => s[inner]!);
  if (rank === 1) {
    visit(n, pos, step);
    return;
  }
  // Odometer over the outer axes 0 .. rank-2; `index[a]` counts steps taken along axis a.
  const index = new Int32Array(inner);
  const outer = plan.shape;
  const strides = plan.strides;
  for (;;) {
    visit(n, pos, step);
    let axis = inner - 1;
    while (axis >= 0) {
      const next = index[axis]! + 1;
      if (next < outer[axis]!) {
        index[axis] = next;
        for (let v = 0; v < count; v++) pos[v] = pos[v]! + strides[v]![axis]!;
        break;
      }
      index[axis] = 0;
      for (let v = 0; v < count; v++) pos[v] = pos[v]! - strides[v]![axis]! * (outer[axis]! - 1);
      axis--;
    }
    if (axis < 0) return;
  }
}
