/**
 * Training checkpoints on disk: the model folder (`config.json` + weights, as `saveModel`), the optimizer
 * state (`optimizer.safetensors`) and `trainer_state.json`, written last so that a folder with it is
 * complete. Every file is written atomically.
 * @packageDocumentation
 */
import { join } from 'node:path';
import type { Backend, Tensor } from '@aaren/core';
import { loadSafetensorsFile, saveSafetensorsFile, writeFileAtomic } from '@aaren/core/node';
import { ConfigError } from '../errors.js';
import type { CausalLM } from '../models/causal-lm.js';
import { TokenWindows } from '../train/token-windows.js';
import { Trainer, type TrainerOptions, type TrainerState } from '../train/trainer.js';
import { loadPretrained } from './load-pretrained.js';
import { readJsonFile } from './read-json.js';
import { type SaveModelOptions, saveModel } from './save-model.js';

/** Writes a checkpoint of `trainer` to `dir` (see the module documentation). */
export async function saveTrainerCheckpoint(
  dir: string,
  trainer: Trainer,
  options: Omit<SaveModelOptions, 'dtype'> = {},
): Promise<void> {
  await saveModel(dir, trainer.model, options);
  const state = trainer.state();
  const { tensors, ...optimizer } = state.optimizer;
  try {
    await saveSafetensorsFile(join(dir, 'optimizer.safetensors'), tensors);
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  const json = { ...state, optimizer };
  await writeFileAtomic(join(dir, 'trainer_state.json'), `${JSON.stringify(json, null, 2)}\n`);
}

/** A trainer resumed from a checkpoint folder. */
export interface ResumedTrainer {
  /** The trainer, at the saved step. */
  readonly trainer: Trainer;
  /** The model with the saved weights. */
  readonly model: CausalLM;
}

/**
 * Rebuilds a trainer from the checkpoint folder `dir` on `backend`, training on `tokens` (the same stream
 * as the saved run: the data order comes from the saved seed). Continuing it gives exactly the weights the
 * uninterrupted run would have.
 * @throws {@link ConfigError} when `dir` holds no `trainer_state.json`.
 */
export async function resumeTrainer(
  dir: string,
  backend: Backend,
  tokens: Int32Array,
  options: Pick<TrainerOptions, 'loss'> = {},
): Promise<ResumedTrainer> {
  const path = join(dir, 'trainer_state.json');
  const json = (await readJsonFile(path, true)) as Omit<TrainerState, 'optimizer'> & {
    optimizer: Omit<TrainerState['optimizer'], 'tensors'>;
  };
  if (json === undefined)
    throw new ConfigError(path, '(file)', 'is missing: the folder is not a training checkpoint');
  const { model } = await loadPretrained(dir, { backend, tokenizer: false });
  const optimizerTensors: Record<string, Tensor> = await loadSafetensorsFile(
    backend,
    join(dir, 'optimizer.safetensors'),
  );
  const trainer = new Trainer(model, new TokenWindows(tokens, json.data.seqLength, json.data.seed), {
    ...json.options,
    trainable: json.trainable,
    ...options,
  });
  try {
    trainer.restore({ ...json, optimizer: { ...json.optimizer, tensors: optimizerTensors } });
  } finally {
    for (const t of Object.values(optimizerTensors)) t.dispose();
  }
  return { trainer, model };
}
