/**
 * Checkpoints on disk (Node): `model.safetensors` + `config.json`, and for training `optimizer.safetensors`
 * (+ `best.safetensors`) + `trainer.json`, each written atomically; loading rebuilds the model and the
 * snapshot that `fit` resumes from.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Backend, OptimizerStateDict, RngState, Tensor } from '@aaren/core';
import {
  loadSafetensorsFile,
  openSafetensorsFile,
  saveSafetensorsFile,
  writeFileAtomic,
} from '@aaren/core/node';
import { CheckpointError } from '../errors.js';
import type { Metrics } from '../heads/metrics.js';
import { type AnyTaskModel, createModel, type ModelConfig } from '../models/create-model.js';
import type { TrainingSnapshot } from '../train/fit.js';
import {
  CHECKPOINT_FILES,
  type CheckpointConfigFile,
  type CheckpointTrainerFile,
  parseCheckpointJson,
} from './checkpoint-files.js';

/** What {@link saveCheckpoint} writes. */
export interface SaveCheckpointInput {
  /** The model (its `config` goes to `config.json`, its parameters to `model.safetensors`). */
  readonly model: AnyTaskModel;
  /** A training snapshot from `fit` (optimizer, RNG, epoch, history, early stopping): written for resuming. */
  readonly snapshot?: TrainingSnapshot | null;
  /** Without a snapshot: an optimizer whose state to save (e.g. `fitResult.optimizer`). */
  readonly optimizer?: { stateDict(): OptimizerStateDict } | null;
  /** Without a snapshot: the shuffling generator state. */
  readonly rngState?: RngState | null;
  /** Without a snapshot: completed epochs. */
  readonly epoch?: number;
  /** Metrics to store in `trainer.json` (default: the snapshot's last validation or training metrics). */
  readonly metrics?: Metrics | null;
}

/** What {@link loadCheckpoint} returns. */
export interface LoadedCheckpoint {
  /** The model, rebuilt from `config.json` with the saved parameters, on the given backend. */
  readonly model: AnyTaskModel;
  /** The model configuration. */
  readonly config: ModelConfig;
  /** The training snapshot to pass to `fit({ resume })`, or `null` when none was saved. Its tensors are yours. */
  readonly snapshot: TrainingSnapshot | null;
  /** Metrics stored with the checkpoint. */
  readonly metrics: Metrics | null;
  /** Completed epochs (0 when unknown). */
  readonly epoch: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a checkpoint into `dir` (created if needed). Every file is written atomically (temporary file,
 * fsync, rename); `trainer.json` goes last and all files carry one `checkpointId`, so a save interrupted
 * half-way is reported by {@link loadCheckpoint} instead of silently mixing two saves.
 * @example await saveCheckpoint('runs/etth1', { model, snapshot });
 */
export async function saveCheckpoint(dir: string, input: SaveCheckpointInput): Promise<void> {
  const { model } = input;
  await mkdir(dir, { recursive: true });
  const checkpointId = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
  const metadata = { format: 'aaren', checkpoint: checkpointId };
  const params = model.parameters();
  await saveSafetensorsFile(join(dir, CHECKPOINT_FILES.model), params, { metadata });
  const snapshot = input.snapshot ?? null;
  const ownedState = snapshot ? null : (input.optimizer?.stateDict() ?? null);
  const optimizerState = snapshot?.optimizer ?? ownedState;
  try {
    if (optimizerState) {
      await saveSafetensorsFile(join(dir, CHECKPOINT_FILES.optimizer), optimizerState.tensors, { metadata });
    }
    const best = snapshot?.bestParameters ?? null;
    if (best) await saveSafetensorsFile(join(dir, CHECKPOINT_FILES.best), best, { metadata });
    const configFile: CheckpointConfigFile = {
      format: 'aaren-model',
      version: 1,
      checkpointId,
      model: model.config as ModelConfig,
      paramCount: model.paramCount(),
      parameters: Object.fromEntries([...model.parameterShapes()].map(([n, s]) => [n, [...s]])),
    };
    await writeFileAtomic(join(dir, CHECKPOINT_FILES.config), `${JSON.stringify(configFile, null, 2)}\n`);
    const last = snapshot?.history[snapshot.history.length - 1];
    const trainer: CheckpointTrainerFile = {
      format: 'aaren-trainer',
      version: 1,
      checkpointId,
      epoch: snapshot?.epoch ?? input.epoch ?? 0,
      metrics: input.metrics ?? (last ? (last.validation ?? last.train) : null),
      optimizer: optimizerState
        ? {
            optimizer: optimizerState.optimizer,
            step: optimizerState.step,
            paramSteps: [...optimizerState.paramSteps],
            hyperparameters: { ...optimizerState.hyperparameters },
          }
        : null,
      rngState: snapshot?.rngState ?? input.rngState ?? null,
      history: snapshot ? [...snapshot.history] : [],
      earlyStopping: snapshot?.earlyStopping ?? { best: null, bestEpoch: 0, wait: 0 },
      parameterNames: snapshot ? [...snapshot.parameterNames] : [...params.keys()],
      totalSteps: snapshot?.totalSteps ?? 0,
      hasBest: best !== null,
    };
    await writeFileAtomic(join(dir, CHECKPOINT_FILES.trainer), `${JSON.stringify(trainer, null, 2)}\n`);
  } finally {
    if (ownedState) for (const t of Object.values(ownedState.tensors)) t.dispose();
  }
}

async function checkId(path: string, expected: string): Promise<void> {
  const file = await openSafetensorsFile(path);
  try {
    const id = file.metadata.checkpoint;
    if (id !== expected) {
      throw new CheckpointError(
        path,
        `belongs to checkpoint ${JSON.stringify(id)} but config.json/trainer.json to ${JSON.stringify(expected)} (a save was interrupted?)`,
      );
    }
  } finally {
    await file.close();
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CheckpointError(path, 'cannot be read (is this a checkpoint directory?)', { cause: error });
  }
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}: rebuilds the model from `config.json` on `backend`,
 * loads its parameters, and (when `trainer.json` has optimizer state) the {@link TrainingSnapshot} for
 * `fit({ resume })`. Verifies that every file belongs to the same save.
 * @throws {@link CheckpointError} for a missing, foreign, torn or inconsistent checkpoint;
 * `SafetensorsError` for a corrupt tensor file; `ParameterMismatchError` when the tensors do not fit the config.
 */
export async function loadCheckpoint(dir: string, backend: Backend): Promise<LoadedCheckpoint> {
  const configPath = join(dir, CHECKPOINT_FILES.config);
  const config = parseCheckpointJson<CheckpointConfigFile>(
    configPath,
    await readText(configPath),
    'aaren-model',
  );
  const trainerPath = join(dir, CHECKPOINT_FILES.trainer);
  const trainer = (await exists(trainerPath))
    ? parseCheckpointJson<CheckpointTrainerFile>(trainerPath, await readText(trainerPath), 'aaren-trainer')
    : null;
  if (trainer && trainer.checkpointId !== config.checkpointId) {
    throw new CheckpointError(
      trainerPath,
      `belongs to checkpoint ${trainer.checkpointId}, config.json to ${config.checkpointId}`,
    );
  }
  const modelPath = join(dir, CHECKPOINT_FILES.model);
  await checkId(modelPath, config.checkpointId);
  const model = createModel(config.model);
  const tensors = await loadSafetensorsFile(backend, modelPath);
  try {
    model.loadParameters(backend, tensors);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  let snapshot: TrainingSnapshot | null = null;
  if (trainer?.optimizer && trainer.rngState) {
    const optimizerPath = join(dir, CHECKPOINT_FILES.optimizer);
    await checkId(optimizerPath, config.checkpointId);
    const optimizerTensors: Record<string, Tensor> = await loadSafetensorsFile(backend, optimizerPath);
    let bestParameters: Map<string, Tensor> | null = null;
    if (trainer.hasBest) {
      const bestPath = join(dir, CHECKPOINT_FILES.best);
      await checkId(bestPath, config.checkpointId);
      bestParameters = new Map(Object.entries(await loadSafetensorsFile(backend, bestPath)));
    }
    snapshot = {
      epoch: trainer.epoch,
      optimizer: { ...trainer.optimizer, tensors: optimizerTensors },
      rngState: trainer.rngState,
      history: trainer.history,
      earlyStopping: trainer.earlyStopping,
      bestParameters,
      parameterNames: trainer.parameterNames,
      totalSteps: trainer.totalSteps,
    };
  }
  return {
    model,
    config: config.model,
    snapshot,
    metrics: trainer?.metrics ? { ...trainer.metrics } : null,
    epoch: trainer?.epoch ?? 0,
  };
}

/** Frees the tensors of a snapshot returned by {@link loadCheckpoint}. */
export function disposeSnapshot(snapshot: TrainingSnapshot | null): void {
  if (!snapshot) return;
  for (const t of Object.values(snapshot.optimizer.tensors)) t.dispose();
  for (const t of snapshot.bestParameters?.values() ?? []) t.dispose();
}

/** Options of {@link checkpointTo}. */
export interface CheckpointToOptions {
  /** Save after every this many epochs. Default 1. */
  readonly every?: number;
}

/**
 * A `fit` `checkpoint` callback that saves `model` with each snapshot into `dir` (replacing the previous
 * checkpoint there, file by file, atomically).
 * @example await fit(model, data, { epochs: 10, checkpoint: checkpointTo('runs/a', model) });
 */
export function checkpointTo(
  dir: string,
  model: AnyTaskModel,
  options: CheckpointToOptions = {},
): (snapshot: TrainingSnapshot) => Promise<void> {
  const every = options.every ?? 1;
  return async (snapshot) => {
    if (snapshot.epoch % every === 0) await saveCheckpoint(dir, { model, snapshot });
  };
}
