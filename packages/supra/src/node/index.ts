/**
 * Node-only entry point of `@aaren/supra` (`@aaren/supra/node`): reading Hugging Face model folders from disk.
 * @packageDocumentation
 */
export { type CheckpointSource, openCheckpoint } from './checkpoint-source.js';
export {
  type LoadPretrainedOptions,
  loadPretrained,
  loadTokenizer,
  type Pretrained,
  readModelConfig,
} from './load-pretrained.js';
export { type SaveModelOptions, savedConfigJson, saveModel } from './save-model.js';
export { type ResumedTrainer, resumeTrainer, saveTrainerCheckpoint } from './trainer-checkpoint.js';
