/**
 * Opening a CLI checkpoint directory: the model (via `loadCheckpoint`), its `run.json`, and the data it
 * was trained on (or a new CSV read with the same columns and the saved scaler).
 * @packageDocumentation
 */
import { type Backend, cpuBackend } from '@aaren/core';
import { loadCheckpoint } from '../checkpoint/node-checkpoint.js';
import type { AnyTaskModel } from '../models/create-model.js';
import { CliUsageError } from './errors.js';
import { type DataSpec, loadTaskData, type RunFile, readRunFile, type TaskData } from './task.js';

/** A loaded checkpoint with its data. */
export interface OpenedRun {
  /** The model with the saved parameters. */
  readonly model: AnyTaskModel;
  /** The run file. */
  readonly run: RunFile;
  /** The data (the training data, or `csv` with the saved scaler). */
  readonly data: TaskData;
  /** The backend the model lives on. */
  readonly backend: Backend;
}

/**
 * Loads `dir` and rebuilds its data; `csv` replaces the data source (forecasting runs only).
 * @throws CliUsageError when `dir` is not a CLI checkpoint or `csv` is given for a non-forecasting run.
 */
export async function openRun(dir: string, csv?: string): Promise<OpenedRun> {
  const run = await readRunFile(dir);
  const backend = cpuBackend();
  const { model } = await loadCheckpoint(dir, backend);
  let spec: DataSpec = run.data;
  if (csv !== undefined) {
    if (run.task !== 'forecasting')
      throw new CliUsageError(`--csv needs a forecasting checkpoint; ${dir} is ${run.task}`);
    const { dataset: _d, ...rest } = spec;
    spec = { ...rest, csv, columns: run.columns ?? undefined } as DataSpec;
  }
  const data = await loadTaskData(spec, run.scaler ? { scaler: run.scaler } : {});
  return { model, run, data, backend };
}
