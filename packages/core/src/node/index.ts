/**
 * Node-only entry point of `@aaren/core` (`@aaren/core/node`): atomic file writes and safetensors files
 * and sharded checkpoints on disk.
 * @packageDocumentation
 */
export { type WriteFileAtomicOptions, writeFileAtomic } from './atomic-write.js';
export {
  loadSafetensorsFile,
  openSafetensorsFile,
  readSafetensorsFile,
  type SafetensorsContents,
  type SafetensorsFileReader,
  saveSafetensorsFile,
  writeSafetensorsFile,
} from './safetensors-file.js';
export {
  loadShardedSafetensors,
  openShardedSafetensors,
  readShardedSafetensors,
  type ShardedSafetensorsContents,
  type ShardedSafetensorsReader,
} from './sharded.js';
