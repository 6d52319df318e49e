/**
 * Error classes of `@aaren/supra`. Each names what was wrong and where: the file, the config field or the
 * tensor, with the expected and found shapes.
 * @packageDocumentation
 */
import { AarenError, formatShape } from '@aaren/core';

/** The `architectures` entry (or `model_type`) of a `config.json` is not one this package implements. */
export class UnsupportedArchitectureError extends AarenError {
  /** The architecture found in the config (e.g. `'FalconForCausalLM'`), or `'(none)'`. */
  readonly architecture: string;
  /** The config file (or `'config.json'`). */
  readonly fileName: string;
  /** The architectures that are supported. */
  readonly supported: readonly string[];
  constructor(architecture: string, fileName: string, supported: readonly string[]) {
    super(
      'E_UNSUPPORTED_ARCHITECTURE',
      `${fileName}: architecture '${architecture}' is not supported (supported: ${supported.join(', ')})`,
    );
    this.architecture = architecture;
    this.fileName = fileName;
    this.supported = supported;
  }
}

/** A `config.json` field is missing, of the wrong type, or out of range. */
export class ConfigError extends AarenError {
  /** The config file. */
  readonly fileName: string;
  /** The offending field (dotted path, e.g. `'rope_scaling.factor'`). */
  readonly field: string;
  constructor(fileName: string, field: string, detail: string) {
    super('E_CONFIG', `${fileName}: field '${field}' ${detail}`);
    this.fileName = fileName;
    this.field = field;
  }
}

/** What was wrong with a checkpoint tensor. */
export type CheckpointTensorProblem = 'missing' | 'shape-mismatch' | 'unexpected' | 'dtype';

/**
 * A checkpoint tensor the model needs is missing, has the wrong shape or dtype, or the checkpoint holds a
 * tensor the model does not know (only when unexpected tensors are rejected). The message names the file,
 * the tensor and the expected and found shapes.
 */
export class CheckpointTensorError extends AarenError {
  /** What was wrong. */
  readonly problem: CheckpointTensorProblem;
  /** The checkpoint file (or index) the tensor was looked up in. */
  readonly fileName: string;
  /** The tensor's name, e.g. `'model.layers.0.self_attn.q_proj.weight'`. */
  readonly tensorName: string;
  /** The shape the model expects (`null` for an unexpected tensor). */
  readonly expectedShape: readonly number[] | null;
  /** The shape in the checkpoint (`null` for a missing tensor). */
  readonly foundShape: readonly number[] | null;
  constructor(
    problem: CheckpointTensorProblem,
    fileName: string,
    tensorName: string,
    expectedShape: readonly number[] | null,
    foundShape: readonly number[] | null,
    detail?: string,
  ) {
    const expected = expectedShape ? formatShape(expectedShape) : 'none';
    const found = foundShape ? formatShape(foundShape) : 'none';
    const what = {
      missing: 'is missing',
      'shape-mismatch': 'has the wrong shape',
      unexpected: 'is not used by the model',
      dtype: 'has an unsupported dtype',
    }[problem];
    super(
      'E_CHECKPOINT_TENSOR',
      `${fileName}: tensor '${tensorName}' ${what} (expected shape ${expected}, found ${found})${detail ? `: ${detail}` : ''}`,
    );
    this.problem = problem;
    this.fileName = fileName;
    this.tensorName = tensorName;
    this.expectedShape = expectedShape;
    this.foundShape = foundShape;
  }
}

/** An option passed to a function of this package is invalid (the message names the option). */
export class SupraOptionError extends AarenError {
  /** The function that rejected the option. */
  readonly op: string;
  /** The option's name. */
  readonly option: string;
  constructor(op: string, option: string, detail: string) {
    super('E_SUPRA_OPTION', `${op}: option '${option}' ${detail}`);
    this.op = op;
    this.option = option;
  }
}

/** A tensor passed to a model has the wrong shape or dtype (the message names both shapes). */
export class ModelInputError extends AarenError {
  /** The function that rejected the input. */
  readonly op: string;
  constructor(op: string, name: string, expected: string, found: readonly number[]) {
    super('E_MODEL_INPUT', `${op}: '${name}' must be ${expected}, found shape ${formatShape(found)}`);
    this.op = op;
  }
}

/** A `tokenizer.json` could not be read or used. */
export class TokenizerError extends AarenError {
  /** The tokenizer file. */
  readonly fileName: string;
  constructor(fileName: string, detail: string, options?: { cause?: unknown }) {
    super('E_TOKENIZER', `${fileName}: ${detail}`, options);
    this.fileName = fileName;
  }
}
