/**
 * Error classes thrown by `@aaren/core`. Every error says what was wrong and where (op, tensor name, shape,
 * file) so that a user can fix the call without reading the library's source.
 * @packageDocumentation
 */

/** Base class of every error thrown by aaren packages. `code` is a stable machine-readable identifier. */
export class AarenError extends Error {
  /** Stable identifier of the error kind, e.g. `'E_SHAPE'`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Formats a shape as `[2, 3, 4]` for error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** An op received tensors whose shapes are incompatible. The message names the op and every shape. */
export class ShapeError extends AarenError {
  /** Name of the op that rejected the shapes. */
  readonly op: string;
  /** The offending shapes, in argument order. */
  readonly shapes: readonly (readonly number[])[];
  constructor(op: string, detail: string, shapes: readonly (readonly number[])[]) {
    super('E_SHAPE', `${op}: ${detail} (shapes: ${shapes.map(formatShape).join(', ')})`);
    this.op = op;
    this.shapes = shapes;
  }
}

/** An op received a tensor of a dtype it does not support, or two tensors of different dtypes. */
export class DTypeError extends AarenError {
  constructor(op: string, detail: string) {
    super('E_DTYPE', `${op}: ${detail}`);
  }
}

/** A tensor was used after `dispose()` (directly or because the `tidy` scope that owned it ended). */
export class DisposedTensorError extends AarenError {
  constructor(op: string, shape: readonly number[]) {
    super(
      'E_DISPOSED',
      `${op}: tensor of shape ${formatShape(shape)} was already disposed; keep() it or create it outside the tidy() scope`,
    );
  }
}

/** Tensors that live on different backends were mixed in one op. */
export class BackendMismatchError extends AarenError {
  constructor(op: string, a: string, b: string) {
    super(
      'E_BACKEND_MISMATCH',
      `${op}: tensors live on different backends ('${a}' and '${b}'); move one first`,
    );
  }
}

/** An argument other than a tensor shape was invalid (axis out of range, negative size, bad option...). */
export class InvalidArgumentError extends AarenError {
  constructor(op: string, detail: string) {
    super('E_INVALID_ARGUMENT', `${op}: ${detail}`);
  }
}

/** A backend does not implement an optional capability that was requested (e.g. synchronous reads). */
export class NotSupportedError extends AarenError {
  constructor(backend: string, what: string) {
    super('E_NOT_SUPPORTED', `backend '${backend}' does not support ${what}`);
  }
}

/** Autograd could not compute a gradient (e.g. the loss is not a scalar, or an op is not differentiable). */
export class GradientError extends AarenError {
  constructor(detail: string) {
    super('E_GRADIENT', detail);
  }
}
