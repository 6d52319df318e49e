/**
 * Opening the weights of a Hugging Face model folder: `model.safetensors`, or the shards listed by
 * `model.safetensors.index.json`.
 * @packageDocumentation
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { openSafetensorsFile, openShardedSafetensors } from '@aaren/core/node';
import { CheckpointTensorError } from '../errors.js';
import type { WeightSource } from '../weights/weight-source.js';

/** A {@link WeightSource} backed by open files; call `close()` when done. */
export interface CheckpointSource extends WeightSource {
  /** Closes the files. Idempotent. */
  close(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens the weights of the model folder `dir`: `model.safetensors.index.json` (sharded) when present,
 * else `model.safetensors`. Headers are read and validated (by `@aaren/core`'s strict safetensors reader);
 * tensor data is read on demand.
 * @throws {@link CheckpointTensorError} (`missing`) naming the folder when it has neither file;
 *   `SafetensorsError` for a corrupt file.
 */
export async function openCheckpoint(dir: string): Promise<CheckpointSource> {
  const indexPath = join(dir, 'model.safetensors.index.json');
  if (await exists(indexPath)) {
    const reader = await openShardedSafetensors(indexPath);
    const names = [...reader.weightMap.keys()];
    return {
      fileName: indexPath,
      names: () => names,
      shape: (name) => (reader.has(name) ? reader.info(name).shape : undefined),
      read: (name) => reader.readTensor(name),
      close: () => reader.close(),
    };
  }
  const filePath = join(dir, 'model.safetensors');
  if (!(await exists(filePath))) {
    throw new CheckpointTensorError(
      'missing',
      dir,
      'model.safetensors',
      null,
      null,
      'the folder has neither model.safetensors nor model.safetensors.index.json (PyTorch .bin checkpoints are not read; convert them to safetensors)',
    );
  }
  const file = await openSafetensorsFile(filePath);
  const names = [...file.tensors.keys()];
  return {
    fileName: filePath,
    names: () => names,
    shape: (name) => (file.has(name) ? file.info(name).shape : undefined),
    read: (name) => file.readTensor(name),
    close: () => file.close(),
  };
}
