/**
 * Loading a Hugging Face model folder (`config.json`, safetensors weights, `tokenizer.json`) into a model
 * of this engine.
 * @packageDocumentation
 */
import { join } from 'node:path';
import type { Backend } from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';
import { parseModelConfig } from '../config/parse-config.js';
import type { CausalLM } from '../models/causal-lm.js';
import { TransformerLM } from '../models/transformer-lm.js';
import { supraExtraWeights } from '../supra/feature-maps.js';
import { SupraLM } from '../supra/supra-lm.js';
import { supraSettingsFromJson } from '../supra/supra-options.js';
import { createTokenizer, type TextTokenizer } from '../tokenizer/text-tokenizer.js';
import { type LoadWeightsOptions, loadWeights } from '../weights/load-weights.js';
import { openCheckpoint } from './checkpoint-source.js';
import { readJsonFile } from './read-json.js';

/** Reads and parses `dir/config.json`. @throws {@link UnsupportedArchitectureError}, {@link ConfigError}. */
export async function readModelConfig(dir: string): Promise<ModelConfig> {
  const path = join(dir, 'config.json');
  return parseModelConfig(await readJsonFile(path), { fileName: path });
}

/**
 * Reads `dir/tokenizer.json` (and `tokenizer_config.json` when present); `null` when the folder has no
 * `tokenizer.json`.
 * @throws {@link TokenizerError} when the file cannot be used.
 */
export async function loadTokenizer(dir: string): Promise<TextTokenizer | null> {
  const path = join(dir, 'tokenizer.json');
  const json = await readJsonFile(path, true);
  if (json === undefined) return null;
  const config = (await readJsonFile(join(dir, 'tokenizer_config.json'), true)) ?? {};
  return createTokenizer(json, config, path);
}

/** Options of {@link loadPretrained}. */
export interface LoadPretrainedOptions extends Pick<LoadWeightsOptions, 'unexpected'> {
  /** Backend to put the weights on. */
  readonly backend: Backend;
  /** Also load the tokenizer. Default true. */
  readonly tokenizer?: boolean;
}

/** A loaded model folder. */
export interface Pretrained {
  /** The parsed `config.json`. */
  readonly config: ModelConfig;
  /**
   * The model, with weights in f32 on the chosen backend: a {@link SupraLM} when `config.json` has a `supra`
   * section (a converted model saved by `saveModel`), else a {@link TransformerLM} (tell them apart with
   * `instanceof`).
   */
  readonly model: CausalLM;
  /** The tokenizer, or `null` when the folder has none (or it was not asked for). */
  readonly tokenizer: TextTokenizer | null;
}

/**
 * Loads a Hugging Face model folder: `config.json` (`LlamaForCausalLM`, `MistralForCausalLM` or
 * `GPT2LMHeadModel`, optionally with the `supra` section of a converted model), the weights from `model.safetensors` or a sharded `model.safetensors.index.json`
 * (bf16/f16/f32 stored, f32 in memory), and `tokenizer.json`.
 *
 * @example
 * ```ts
 * const { model, tokenizer } = await loadPretrained('models/tiny-llama', { backend: cpuBackend() });
 * ```
 * @throws {@link UnsupportedArchitectureError} for other architectures; {@link ConfigError} for a bad config;
 *   {@link CheckpointTensorError} naming the tensor, file and expected/found shapes for missing or mismatched
 *   tensors; `SafetensorsError` for a corrupt file.
 */
export async function loadPretrained(dir: string, options: LoadPretrainedOptions): Promise<Pretrained> {
  const config = await readModelConfig(dir);
  const settings = config.raw.supra === undefined ? null : supraSettingsFromJson(config, config.raw.supra);
  const extra = settings ? supraExtraWeights(config, settings) : [];
  const source = await openCheckpoint(dir);
  let weights: Awaited<ReturnType<typeof loadWeights>>;
  try {
    weights = await loadWeights(options.backend, config, source, {
      unexpected: options.unexpected ?? 'error',
      extra,
    });
  } finally {
    await source.close();
  }
  const tokenizer = options.tokenizer === false ? null : await loadTokenizer(dir);
  const model = settings
    ? new SupraLM(config, weights, options.backend, settings)
    : new TransformerLM(config, weights, options.backend);
  return { config, model, tokenizer };
}
