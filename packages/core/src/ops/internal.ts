/**
 * Helpers shared by op implementations: argument checks, scalar promotion and kernel views.
 * @internal
 * @packageDocumentation
 */
import type { Backend, TensorView } from '../backend.js';
import { BackendMismatchError } from '../errors.js';
import { type Shape, shapesEqual } from '../shape.js';
import { emptyTensor, materialize, type Tensor, viewOf } from '../tensor.js';
import { full } from './creation.js';

/** A tensor or a number that is promoted to a scalar tensor of the other operand's backend and dtype. */
export type TensorLike = Tensor | number;

/** The common backend of `tensors`; throws {@link BackendMismatchError} if they differ. */
export function commonBackend(op: string, ...tensors: Tensor[]): Backend {
  const first = tensors[0]!.backend;
  for (const t of tensors) {
    const b = t.backend;
    if (b !== first) throw new BackendMismatchError(op, first.name, b.name);
  }
  return first;
}

/** Promotes numbers to scalar tensors on the backend of the first tensor argument. */
export function promote(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') {
    throw new TypeError(`${op}: at least one argument must be a tensor`);
  }
  const like = (typeof a === 'number' ? b : a) as Tensor;
  const toTensor = (v: TensorLike): Tensor =>
    typeof v === 'number' ? full(like.backend, [], v, like.dtype) : v;
  return [toTensor(a), toTensor(b)];
}

/** A view of `t` broadcast to `shape` (stride 0 on broadcast axes). `shape` must be a valid broadcast. */
export function broadcastView(op: string, t: Tensor, shape: Shape): TensorView {
  const v = t.view(op);
  if (shapesEqual(t.shape, shape)) return v;
  const lead = shape.length - t.shape.length;
  const strides = shape.map((d, i) => {
    const j = i - lead;
    if (j < 0) return 0;
    return t.shape[j] === 1 && d !== 1 ? 0 : t.strides[j]!;
  });
  return { ...v, shape, strides };
}

/**
 * A contiguous version of `t` for kernels that need one, and whether it is a temporary to dispose.
 * Contiguous tensors (any offset) are returned as they are.
 */
export function contiguousInput(t: Tensor): { tensor: Tensor; temporary: boolean } {
  if (t.isContiguous) return { tensor: t, temporary: false };
  return { tensor: materialize(t), temporary: true };
}

/** Runs `fn` with contiguous kernel views of `inputs`, disposing any temporary copies afterwards. */
export function withContiguous<R>(op: string, inputs: readonly Tensor[], fn: (views: TensorView[]) => R): R {
  const prepared = inputs.map(contiguousInput);
  try {
    return fn(prepared.map((p) => p.tensor.view(op)));
  } finally {
    for (const p of prepared) if (p.temporary) p.tensor.dispose();
  }
}

/** A contiguous kernel view of `t` reshaped to `shape` (same size; `t` must be contiguous). */
export function reshapedView(view: TensorView, shape: Shape): TensorView {
  const strides: number[] = new Array(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return { ...view, shape, strides };
}

/**
 * Reinterprets a contiguous, unrecorded temporary `t` with another shape of the same size, consuming `t`
 * (its reference moves to the returned view).
 */
export function reshapeOwned(t: Tensor, shape: Shape): Tensor {
  if (shapesEqual(t.shape, shape)) return t;
  const out = viewOf(t, shape, reshapedView(t.view('reshape'), shape).strides, t.offset);
  t.dispose();
  return out;
}

export { emptyTensor };
