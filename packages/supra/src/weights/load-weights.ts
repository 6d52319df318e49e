/**
 * Checking a checkpoint against what a model needs and loading it into tensors.
 * @packageDocumentation
 */
import { type Backend, type Tensor, tensor } from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';
import { CheckpointTensorError } from '../errors.js';
import { type ExpectedTensor, expectedWeights, isIgnorableCheckpointTensor } from './expected-weights.js';
import type { WeightSource } from './weight-source.js';

/** Options of {@link loadWeights}. */
export interface LoadWeightsOptions {
  /**
   * What to do with checkpoint tensors the model does not use (other than known buffers such as
   * `rotary_emb.inv_freq`): `'error'` (default) throws a {@link CheckpointTensorError}, `'ignore'` skips them.
   */
  readonly unexpected?: 'error' | 'ignore';
  /** Tensors needed beyond those of the architecture (e.g. SUPRA feature maps). */
  readonly extra?: readonly ExpectedTensor[];
}

/**
 * Maps the canonical names of {@link expectedWeights} to names in the checkpoint. GPT-2 checkpoints saved
 * from `GPT2Model` (such as the original `gpt2` upload) lack the `transformer.` prefix; both forms are read.
 */
function checkpointNameResolver(config: ModelConfig, source: WeightSource): (name: string) => string {
  if (config.family !== 'gpt2') return (name) => name;
  const names = new Set(source.names());
  const prefixed = names.has('transformer.wte.weight') || !names.has('wte.weight');
  return (name) => (prefixed || !name.startsWith('transformer.') ? name : name.slice('transformer.'.length));
}

/**
 * Checks every tensor that a model of `config` needs against `source` (presence and shape, from the headers
 * only) and then reads them into f32 tensors on `backend` (bf16/f16/f64 are converted to f32 by the
 * safetensors decoder). The returned map uses the canonical Hugging Face names (GPT-2 with the
 * `transformer.` prefix). A tied `lm_head.weight` is not loaded; models use the embedding.
 *
 * @throws {@link CheckpointTensorError} naming the file, the tensor and the expected and found shapes, for a
 *   missing tensor, a wrong shape, an integer dtype, or (by default) a tensor the model does not use.
 */
export async function loadWeights(
  backend: Backend,
  config: ModelConfig,
  source: WeightSource,
  options: LoadWeightsOptions = {},
): Promise<Map<string, Tensor>> {
  const expected = [...expectedWeights(config), ...(options.extra ?? [])];
  const resolve = checkpointNameResolver(config, source);
  const used = new Set<string>();
  for (const e of expected) {
    const stored = resolve(e.name);
    const shape = source.shape(stored);
    if (shape === undefined)
      throw new CheckpointTensorError('missing', source.fileName, stored, e.shape, null);
    if (shape.length !== e.shape.length || shape.some((d, i) => d !== e.shape[i])) {
      throw new CheckpointTensorError('shape-mismatch', source.fileName, stored, e.shape, shape);
    }
    used.add(stored);
  }
  if ((options.unexpected ?? 'error') === 'error') {
    for (const name of source.names()) {
      if (!used.has(name) && !isIgnorableCheckpointTensor(config, name)) {
        throw new CheckpointTensorError(
          'unexpected',
          source.fileName,
          name,
          null,
          source.shape(name) ?? null,
        );
      }
    }
  }
  const loaded = new Map<string, Tensor>();
  try {
    for (const e of expected) {
      const stored = resolve(e.name);
      const decoded = await source.read(stored);
      if (decoded.dtype !== 'f32') {
        throw new CheckpointTensorError(
          'dtype',
          source.fileName,
          stored,
          e.shape,
          decoded.shape,
          `stored as ${decoded.storedDType}; weights must be floating point`,
        );
      }
      loaded.set(e.name, tensor(backend, decoded.data, decoded.shape, 'f32'));
    }
  } catch (error) {
    for (const t of loaded.values()) t.dispose();
    throw error;
  }
  return loaded;
}

/**
 * Checks tensors already in memory (e.g. a model built in code) against what `config` needs.
 * @throws {@link CheckpointTensorError} for a missing tensor or a wrong shape.
 */
export function checkWeights(
  config: ModelConfig,
  weights: ReadonlyMap<string, Tensor>,
  fileName = '(weights)',
  extra: readonly ExpectedTensor[] = [],
): void {
  for (const e of [...expectedWeights(config), ...extra]) {
    const t = weights.get(e.name);
    if (t === undefined) throw new CheckpointTensorError('missing', fileName, e.name, e.shape, null);
    if (t.rank !== e.shape.length || t.shape.some((d, i) => d !== e.shape[i])) {
      throw new CheckpointTensorError('shape-mismatch', fileName, e.name, e.shape, t.shape);
    }
  }
}
