/**
 * Error classes of `@aaren/model`. Each names what was wrong and where (module, parameter, option, file),
 * and extends `@aaren/core`'s `AarenError` (or `ShapeError` for tensor shapes), so one `instanceof AarenError`
 * check catches every error of the workspace.
 * @packageDocumentation
 */
import { AarenError, ShapeError } from '@aaren/core';

/** A model, layer or trainer option is invalid (a width that does not split into heads, an unknown kind...). */
export class ModelConfigError extends AarenError {
  /** Where the option was read, e.g. `'AarenStack'` or `'fit'`. */
  readonly where: string;
  /** The offending option, e.g. `'heads'`. */
  readonly option: string;
  /**
   * @param where - the constructor or function that rejected the option
   * @param option - the option's name (dotted for nested options)
   * @param detail - what is wrong, including the received value
   */
  constructor(where: string, option: string, detail: string) {
    super('E_MODEL_CONFIG', `${where}: ${option} ${detail}`);
    this.where = where;
    this.option = option;
  }
}

/** A tensor passed to a model, layer or head has the wrong rank or extents. */
export class ModelShapeError extends ShapeError {
  /** The argument, e.g. `'x'` or `'batch.target'`. */
  readonly tensor: string;
  /**
   * @param where - the method that rejected the call, e.g. `'AarenStack.forward'`
   * @param tensor - the offending argument
   * @param expected - the expected shape, e.g. `'[B, N, 64]'`
   * @param shapes - the shapes involved, the offending one first
   */
  constructor(where: string, tensor: string, expected: string, shapes: readonly (readonly number[])[]) {
    super(where, `${tensor} must be ${expected}`, shapes);
    this.tensor = tensor;
  }
}

/** A module's parameters were used before `init()` or `loadParameters()`, or after `dispose()`. */
export class ModuleStateError extends AarenError {
  /**
   * @param module - the module's class name
   * @param detail - what was attempted
   */
  constructor(module: string, detail: string) {
    super('E_MODULE_STATE', `${module}: ${detail}`);
  }
}

/** Parameters given to `loadParameters` (e.g. from a checkpoint) do not match the module's. */
export class ParameterMismatchError extends AarenError {
  /** The parameter at fault (dotted name). */
  readonly parameter: string;
  /**
   * @param module - the module's class name
   * @param parameter - the dotted parameter name
   * @param detail - what does not match
   */
  constructor(module: string, parameter: string, detail: string) {
    super('E_PARAMETER_MISMATCH', `${module}: parameter '${parameter}' ${detail}`);
    this.parameter = parameter;
  }
}

/** A checkpoint directory is incomplete, inconsistent or of another format. */
export class CheckpointError extends AarenError {
  /** The file at fault. */
  readonly file: string;
  /**
   * @param file - the path of the offending file
   * @param detail - what is wrong with it
   */
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super('E_CHECKPOINT', `${file}: ${detail}`, options);
    this.file = file;
  }
}

/** A streaming state or KV cache was used with another model, batch size or after disposal. */
export class StreamingStateError extends AarenError {
  /**
   * @param where - the method that rejected the state, e.g. `'AarenStack.step'`
   * @param detail - what does not match
   */
  constructor(where: string, detail: string) {
    super('E_STREAMING_STATE', `${where}: ${detail}`);
  }
}
