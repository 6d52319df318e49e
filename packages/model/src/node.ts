/**
 * Node-only entry point of `@aaren/model` (`@aaren/model/node`): checkpoints on disk, and the data
 * loaders that read files (CSV, JSON, IDX) and the built-in dataset registry.
 * @packageDocumentation
 */

export {
  CHECKPOINT_FILES,
  type CheckpointConfigFile,
  type CheckpointTrainerFile,
} from './checkpoint/checkpoint-files.js';
export {
  type CheckpointToOptions,
  checkpointTo,
  disposeSnapshot,
  type LoadedCheckpoint,
  loadCheckpoint,
  type SaveCheckpointInput,
  saveCheckpoint,
} from './checkpoint/node-checkpoint.js';
export * from './cli/index.js';
export * from './data/node/index.js';
