/**
 * The checkpoint layout shared by the writer and reader: file names, JSON schemas and validation.
 * @packageDocumentation
 */
import type { RngState } from '@aaren/core';
import { CheckpointError } from '../errors.js';
import type { ModelConfig } from '../models/create-model.js';
import type { EarlyStoppingState, EpochRecord } from '../train/fit.js';

/** File names inside a checkpoint directory. */
export const CHECKPOINT_FILES = Object.freeze({
  /** Model parameters by dotted name (safetensors, F32). */
  model: 'model.safetensors',
  /** `{ format, version, checkpointId, model: ModelConfig, paramCount, parameters }`. */
  config: 'config.json',
  /** Optimizer state tensors `'<paramIndex>.<slot>'` (safetensors, F32), when saved. */
  optimizer: 'optimizer.safetensors',
  /** Parameters of the best epoch (early stopping with `restoreBest`), when present. */
  best: 'best.safetensors',
  /** Trainer state (epoch, optimizer counters and hyperparameters, RNG, history...), written last. */
  trainer: 'trainer.json',
});

/** Contents of `config.json`. */
export interface CheckpointConfigFile {
  /** Always `'aaren-model'`. */
  readonly format: 'aaren-model';
  /** Layout version (1). */
  readonly version: 1;
  /** Identifier shared by every file of one save (a torn checkpoint is detected by a mismatch). */
  readonly checkpointId: string;
  /** The model configuration (`createModel(model)` rebuilds it). */
  readonly model: ModelConfig;
  /** Number of parameters. */
  readonly paramCount: number;
  /** Parameter shapes by name. */
  readonly parameters: Readonly<Record<string, readonly number[]>>;
}

/** Contents of `trainer.json`. */
export interface CheckpointTrainerFile {
  /** Always `'aaren-trainer'`. */
  readonly format: 'aaren-trainer';
  /** Layout version (1). */
  readonly version: 1;
  /** Same as in `config.json`. */
  readonly checkpointId: string;
  /** Completed epochs. */
  readonly epoch: number;
  /** Metrics to remember with the checkpoint (e.g. the last epoch's validation metrics). */
  readonly metrics: Readonly<Record<string, number>> | null;
  /** Optimizer counters and hyperparameters (its tensors are in `optimizer.safetensors`), or `null`. */
  readonly optimizer: {
    readonly optimizer: string;
    readonly step: number;
    readonly paramSteps: readonly number[];
    readonly hyperparameters: Readonly<Record<string, number | boolean>>;
  } | null;
  /** Shuffling generator state, or `null`. */
  readonly rngState: RngState | null;
  /** Per-epoch records. */
  readonly history: readonly EpochRecord[];
  /** Early-stopping bookkeeping. */
  readonly earlyStopping: EarlyStoppingState;
  /** Parameter names in optimizer order. */
  readonly parameterNames: readonly string[];
  /** Steps the schedule was planned for (0 when unknown). */
  readonly totalSteps: number;
  /** Whether `best.safetensors` belongs to this checkpoint. */
  readonly hasBest: boolean;
}

/** Parses a checkpoint JSON file, checking its `format` and `version`. @internal */
export function parseCheckpointJson<T extends { format: string; version: number }>(
  file: string,
  text: string,
  format: T['format'],
): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(file, 'is not valid JSON', { cause: error });
  }
  const v = value as Partial<T> | null;
  if (!v || typeof v !== 'object' || v.format !== format) {
    throw new CheckpointError(file, `is not an '${format}' file (format: ${JSON.stringify(v?.format)})`);
  }
  if (v.version !== 1)
    throw new CheckpointError(file, `has version ${JSON.stringify(v.version)}; this reader knows version 1`);
  return v as T;
}
