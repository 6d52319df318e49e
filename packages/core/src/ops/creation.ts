/**
 * Creating tensors from data and constants. Every function takes the backend explicitly: there is no
 * global default backend.
 * @packageDocumentation
 */
import type { Backend } from '../backend.js';
import { allocTypedArray, type DType, dtypeOfArray, type TensorData } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { assertValidShape, type Shape, sizeOf } from '../shape.js';
import { emptyTensor, type Tensor } from '../tensor.js';

/** Nested JavaScript arrays of numbers, e.g. `[[1, 2], [3, 4]]`. */
export type NestedArray = number | readonly NestedArray[];

function inferShape(value: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as readonly NestedArray[])[0] ?? 0;
  }
  return shape;
}

function flatten(value: NestedArray, shape: Shape, into: number[], depth = 0): void {
  if (depth === shape.length) {
    if (typeof value !== 'number') throw new ShapeError('tensor', 'ragged nested array', [shape]);
    into.push(value);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    throw new ShapeError('tensor', `ragged nested array at depth ${depth}`, [shape]);
  }
  for (const v of value as readonly NestedArray[]) flatten(v, shape, into, depth + 1);
}

/**
 * Creates a tensor on `backend` from a typed array (with `shape`), a flat number array (with `shape`),
 * or nested arrays (shape inferred). `dtype` defaults to the typed array's, else `'f32'`.
 * @example tensor(cpu, [[1, 2], [3, 4]]) // f32 [2, 2]
 * @example tensor(cpu, new Int32Array([0, 2]), [2]) // i32 [2]
 */
export function tensor(
  backend: Backend,
  data: TensorData | NestedArray,
  shape?: Shape,
  dtype?: DType,
): Tensor {
  let flat: TensorData | number[];
  let resolvedShape: Shape;
  if (ArrayBuffer.isView(data)) {
    flat = data;
    resolvedShape = shape ?? [data.length];
  } else if (shape !== undefined && Array.isArray(data) && !data.some(Array.isArray)) {
    flat = data as number[];
    resolvedShape = shape;
  } else {
    resolvedShape = shape ?? inferShape(data);
    const values: number[] = [];
    flatten(data, resolvedShape, values);
    flat = values;
  }
  assertValidShape('tensor', resolvedShape);
  if (flat.length !== sizeOf(resolvedShape)) {
    throw new ShapeError(
      'tensor',
      `data has ${flat.length} elements but the shape needs ${sizeOf(resolvedShape)}`,
      [resolvedShape],
    );
  }
  const dt: DType = dtype ?? (ArrayBuffer.isView(flat) ? dtypeOfArray(flat) : 'f32');
  let typed: TensorData;
  if (ArrayBuffer.isView(flat) && dtypeOfArray(flat) === dt) typed = flat;
  else {
    typed = allocTypedArray(dt, flat.length);
    for (let i = 0; i < flat.length; i++) typed[i] = flat[i]!;
  }
  const out = emptyTensor(backend, resolvedShape, dt);
  if (typed.length > 0) backend.write(out.storage('tensor').buffer, typed, 0);
  return out;
}

/**
 * A tensor of `shape` whose contents are unspecified (not cleared): the cheapest allocation, for outputs a
 * kernel will overwrite completely.
 */
export function empty(backend: Backend, shape: Shape, dtype: DType = 'f32'): Tensor {
  assertValidShape('empty', shape);
  return emptyTensor(backend, shape, dtype);
}

/** A tensor of `shape` with every element equal to `value`. */
export function full(backend: Backend, shape: Shape, value: number, dtype: DType = 'f32'): Tensor {
  assertValidShape('full', shape);
  if (dtype === 'i32' && !Number.isInteger(value)) {
    throw new InvalidArgumentError('full', `value ${value} is not an integer but dtype is i32`);
  }
  const out = emptyTensor(backend, shape, dtype);
  if (out.size > 0) backend.kernels.fill(out.view('full'), value);
  return out;
}

/** A tensor of zeros. */
export function zeros(backend: Backend, shape: Shape, dtype: DType = 'f32'): Tensor {
  return full(backend, shape, 0, dtype);
}

/** A tensor of ones. */
export function ones(backend: Backend, shape: Shape, dtype: DType = 'f32'): Tensor {
  return full(backend, shape, 1, dtype);
}

/** A rank-0 tensor holding `value`. */
export function scalar(backend: Backend, value: number, dtype: DType = 'f32'): Tensor {
  return full(backend, [], value, dtype);
}

/** Zeros with the shape, dtype and backend of `like`. */
export function zerosLike(like: Tensor): Tensor {
  return full(like.backend, like.shape, 0, like.dtype);
}

/** Ones with the shape, dtype and backend of `like`. */
export function onesLike(like: Tensor): Tensor {
  return full(like.backend, like.shape, 1, like.dtype);
}

/** `[start, start + step, ...)` below `stop`, as a rank-1 tensor. */
export function arange(
  backend: Backend,
  start: number,
  stop: number,
  step = 1,
  dtype: DType = 'f32',
): Tensor {
  if (step === 0) throw new InvalidArgumentError('arange', 'step must not be 0');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocTypedArray(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return tensor(backend, data, [n], dtype);
}
