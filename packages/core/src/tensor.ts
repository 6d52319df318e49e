/**
 * `Tensor`: an n-d array on a {@link Backend}, with reference-counted storage shared between views,
 * explicit `dispose()`, and scoped cleanup with {@link tidy}.
 * @packageDocumentation
 */
import type { Backend, BackendBuffer, TensorView } from './backend.js';
import type { DType, TensorData } from './dtype.js';
import { DisposedTensorError, InvalidArgumentError, NotSupportedError } from './errors.js';
import { contiguousStrides, type Shape, sizeOf } from './shape.js';

/** Reference-counted device memory shared by a tensor and its views. @internal */
export class Storage {
  private refs = 1;
  constructor(
    readonly backend: Backend,
    readonly buffer: BackendBuffer,
  ) {}
  /** Adds a reference (a new view). */
  retain(): void {
    this.refs++;
  }
  /** Drops a reference; frees the buffer when none is left. */
  release(): void {
    if (--this.refs === 0) this.backend.free(this.buffer);
  }
}

/** Autograd bookkeeping of a tensor produced by a recorded op. @internal */
export interface GradNode {
  /** Op name, for error messages. */
  readonly op: string;
  /** The op's inputs, in order. */
  readonly inputs: readonly Tensor[];
  /** Maps the gradient of the output to one gradient (or `null`: no gradient) per input. */
  readonly backward: (grad: Tensor) => (Tensor | null)[];
}

let nextTensorId = 0;
const scopeStack: Set<Tensor>[] = [];

/**
 * Safety net: a tensor that becomes unreachable without dispose() releases its storage when the garbage
 * collector finalises it. Explicit dispose()/tidy() remains the way to free memory promptly.
 */
const finalizer = new FinalizationRegistry<Storage>((storage) => storage.release());

/**
 * An n-d array of `f32` or `i32` elements on a backend. Create tensors with the functions in
 * `creation` (`tensor`, `zeros`, ...) and combine them with ops; read them with {@link Tensor.data}.
 * Tensors hold device memory: call {@link Tensor.dispose} or run code inside {@link tidy}.
 */
export class Tensor {
  /** Process-unique id, for debugging and stable ordering. */
  readonly id = nextTensorId++;
  /** Extents, outermost first. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Strides in elements (row-major for tensors made by ops; other for views). @internal */
  readonly strides: readonly number[];
  /** Offset of element 0 in the storage, in elements. @internal */
  readonly offset: number;
  /** The backend that owns this tensor's memory (still readable after dispose, for error messages). */
  readonly backend: Backend;
  /** Whether gradients flow to this tensor (parameters, and results of ops on them). */
  requiresGrad = false;
  /** How this tensor was computed, when recorded for autograd. @internal */
  gradNode: GradNode | null = null;
  private storageRef: Storage | null;

  /** @internal Use the creation functions or ops instead. */
  constructor(storage: Storage, shape: Shape, dtype: DType, strides?: readonly number[], offset = 0) {
    this.storageRef = storage;
    this.backend = storage.backend;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
    this.offset = offset;
    finalizer.register(this, storage, this);
    scopeStack[scopeStack.length - 1]?.add(this);
  }

  /** Rank (number of axes). */
  get rank(): number {
    return this.shape.length;
  }

  /** Whether {@link Tensor.dispose} has been called. */
  get isDisposed(): boolean {
    return this.storageRef === null;
  }

  /** Whether the elements are laid out row-major with no gaps from offset 0 of their own storage. */
  get isContiguous(): boolean {
    const c = contiguousStrides(this.shape);
    return this.shape.every((d, i) => d <= 1 || this.strides[i] === c[i]);
  }

  /** The storage, or a {@link DisposedTensorError} naming `op`. @internal */
  storage(op: string): Storage {
    if (this.storageRef === null) throw new DisposedTensorError(op, this.shape);
    return this.storageRef;
  }

  /**
   * The kernel-facing {@link TensorView} of this tensor (buffer, shape, strides, offset), for code that calls
   * backend kernels directly (new ops, backends' tests). `op` names the caller in the error thrown when the
   * tensor was disposed.
   */
  view(op: string): TensorView {
    return {
      buffer: this.storage(op).buffer,
      dtype: this.dtype,
      shape: this.shape,
      strides: this.strides,
      offset: this.offset,
    };
  }

  /** Reads the elements in row-major order into a new typed array. */
  async data(): Promise<TensorData> {
    const storage = this.storage('data');
    if (this.size === 0) return this.dtype === 'f32' ? new Float32Array(0) : new Int32Array(0);
    if (this.isContiguous) return storage.backend.read(storage.buffer, this.offset, this.size);
    const dense = materialize(this);
    try {
      return await dense.backend.read(dense.storage('data').buffer, 0, this.size);
    } finally {
      dense.dispose();
    }
  }

  /**
   * Reads the elements synchronously. Only backends with host memory (CPU) support it.
   * @throws {@link NotSupportedError} on other backends.
   */
  dataSync(): TensorData {
    const storage = this.storage('dataSync');
    const readSync = storage.backend.readSync;
    if (!readSync) throw new NotSupportedError(storage.backend.name, 'dataSync(); use await tensor.data()');
    if (this.size === 0) return this.dtype === 'f32' ? new Float32Array(0) : new Int32Array(0);
    if (this.isContiguous) return readSync.call(storage.backend, storage.buffer, this.offset, this.size);
    const dense = materialize(this);
    try {
      return readSync.call(dense.backend, dense.storage('dataSync').buffer, 0, this.size);
    } finally {
      dense.dispose();
    }
  }

  /** Reads a one-element tensor as a number. */
  async item(): Promise<number> {
    const d = await this.data();
    if (d.length !== 1) {
      throw new InvalidArgumentError(
        'item',
        `tensor has ${d.length} elements (shape [${this.shape.join(', ')}]), expected 1`,
      );
    }
    return d[0]!;
  }

  /** Releases this tensor's reference to its memory. Idempotent. Views of it stay valid. */
  dispose(): void {
    if (this.storageRef === null) return;
    finalizer.unregister(this);
    this.storageRef.release();
    this.storageRef = null;
    this.gradNode = null;
    for (const scope of scopeStack) scope.delete(this);
  }

  /** Short description for logs: `Tensor(f32, [2, 3])`. */
  toString(): string {
    return `Tensor(${this.dtype}, [${this.shape.join(', ')}])`;
  }
}

/** Allocates a new contiguous tensor of `shape` on `backend` (uninitialised memory). @internal */
export function emptyTensor(backend: Backend, shape: Shape, dtype: DType): Tensor {
  const buffer = backend.alloc(dtype, sizeOf(shape));
  return new Tensor(new Storage(backend, buffer), shape, dtype);
}

/** A new tensor sharing `source`'s storage with another shape/strides/offset (no copy). @internal */
export function viewOf(source: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  const storage = source.storage('view');
  storage.retain();
  return new Tensor(storage, shape, source.dtype, strides, offset);
}

/** A contiguous copy of `x` (not recorded by autograd). @internal */
export function materialize(x: Tensor): Tensor {
  const out = emptyTensor(x.backend, x.shape, x.dtype);
  if (x.size > 0) x.backend.kernels.copy(x.view('copy'), out.view('copy'));
  return out;
}

function collectTensors(value: unknown, into: Set<Tensor>): void {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, into);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, into);
  }
}

/**
 * Runs `fn` and disposes every tensor created during it, except tensors it returns (arrays and plain
 * objects are searched) and tensors passed to {@link keep}. Returned tensors belong to the enclosing scope.
 * Use it around each training step so long loops hold constant memory.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopeStack.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    // A failed step must not leak: free everything it created before rethrowing.
    for (const t of scope) t.dispose();
    throw error;
  } finally {
    scopeStack.pop();
  }
  if (result instanceof Promise) {
    throw new TypeError('tidy(): fn must be synchronous; await inside it would dispose tensors early');
  }
  const keepSet = new Set<Tensor>();
  collectTensors(result, keepSet);
  for (const t of scope) if (!keepSet.has(t)) t.dispose();
  // Returned tensors created in this scope now belong to the enclosing one; tensors created outside
  // (or kept) are not adopted by any scope.
  const parent = scopeStack[scopeStack.length - 1];
  if (parent) for (const t of keepSet) if (scope.has(t) && !t.isDisposed) parent.add(t);
  return result;
}

/** Exempts `tensor` from disposal by every enclosing {@link tidy} scope; returns it. */
export function keep<T extends Tensor>(tensor: T): T {
  for (const scope of scopeStack) scope.delete(tensor);
  return tensor;
}

/** Disposes every tensor found in `value` (a tensor, or arrays/objects of them). */
export function dispose(value: unknown): void {
  const found = new Set<Tensor>();
  collectTensors(value, found);
  for (const t of found) t.dispose();
}
