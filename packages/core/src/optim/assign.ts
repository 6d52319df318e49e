/**
 * In-place writes into an existing tensor's storage, the one mutating operation optimizers need.
 * @packageDocumentation
 */
import { BackendMismatchError, DTypeError, ShapeError } from '../errors.js';
import { shapesEqual } from '../shape.js';
import { materialize, type Tensor } from '../tensor.js';

/**
 * Copies the elements of `value` into `target`'s memory, in place: every tensor sharing `target`'s storage
 * (views, and the parameter objects a model holds) sees the new values. `target` may be a strided view.
 * Not recorded by autograd: an autograd graph that used `target`'s old values must not be differentiated
 * afterwards.
 * @throws {@link ShapeError} when the shapes differ (no broadcasting), {@link DTypeError} when the dtypes
 * differ, {@link BackendMismatchError} when the tensors live on different backends.
 */
export function assign(target: Tensor, value: Tensor): void {
  const op = 'assign';
  if (!shapesEqual(target.shape, value.shape)) {
    throw new ShapeError(op, 'value must have the shape of the target', [target.shape, value.shape]);
  }
  if (target.dtype !== value.dtype) {
    throw new DTypeError(op, `target is ${target.dtype} but value is ${value.dtype}`);
  }
  const backend = target.backend;
  if (value.backend !== backend) throw new BackendMismatchError(op, backend.name, value.backend.name);
  if (target.size === 0) return;
  if (value.storage(op) === target.storage(op)) {
    // Same memory: copying between overlapping views is not defined by the contract; go through a copy.
    if (value.offset === target.offset && value.strides.every((s, i) => s === target.strides[i])) return;
    const temp = materialize(value);
    try {
      backend.kernels.copy(temp.view(op), target.view(op));
    } finally {
      temp.dispose();
    }
    return;
  }
  backend.kernels.copy(value.view(op), target.view(op));
}
