/**
 * Error classes of `@aaren/attention`. Every message names the op, the tensor (or option) and the shapes or
 * values involved, so a caller can fix the call without reading the library's source.
 * @packageDocumentation
 */
import { AarenError, formatShape, ShapeError } from '@aaren/core';

/**
 * A tensor passed to an attention op has the wrong rank, extents or dtype for its role.
 *
 * @example
 * ```ts
 * try {
 *   attentionScan(q, k, v);
 * } catch (e) {
 *   if (e instanceof AttentionShapeError) console.log(e.op, e.tensor, e.shapes);
 * }
 * ```
 */
export class AttentionShapeError extends ShapeError {
  /** Name of the offending argument, e.g. `'k'` or `'options.mask'`. */
  readonly tensor: string;
  /**
   * @param op - the op that rejected the call, e.g. `'attentionScan'`
   * @param tensor - the argument whose shape is wrong
   * @param expected - what the shape should be, e.g. `'[B, H, N, d]'`
   * @param shapes - the shapes involved, the offending one first
   */
  constructor(op: string, tensor: string, expected: string, shapes: readonly (readonly number[])[]) {
    super(op, `${tensor} must be ${expected}, got ${formatShape(shapes[0] ?? [])}`, shapes);
    this.tensor = tensor;
  }
}

/** An option or non-tensor argument of an attention op is invalid (block size, chunk size, decay, scale...). */
export class AttentionOptionError extends AarenError {
  /** Name of the op that rejected the call. */
  readonly op: string;
  /** Name of the offending option or argument, e.g. `'options.blockSize'`. */
  readonly option: string;
  /**
   * @param op - the op that rejected the call
   * @param option - the offending option or argument
   * @param detail - what is wrong with it, including the received value
   */
  constructor(op: string, option: string, detail: string) {
    super('E_INVALID_ARGUMENT', `${op}: ${option} ${detail}`);
    this.op = op;
    this.option = option;
  }
}
