/**
 * Parsing of Hugging Face `config.json` objects into typed {@link ModelConfig}s, with the defaults of the
 * corresponding `transformers` configuration classes.
 * @packageDocumentation
 */
import { ConfigError, UnsupportedArchitectureError } from '../errors.js';
import { FieldReader } from './field-reader.js';
import {
  type Gpt2Config,
  type HiddenActivation,
  type LlamaConfig,
  type ModelConfig,
  SUPPORTED_ARCHITECTURES,
} from './model-config.js';
import { parseRopeScaling } from './parse-rope-scaling.js';

/** Options of {@link parseModelConfig}. */
export interface ParseModelConfigOptions {
  /** Name used in error messages. Default `'config.json'`. */
  readonly fileName?: string;
}

const MODEL_TYPES: Readonly<Record<string, (typeof SUPPORTED_ARCHITECTURES)[number]>> = {
  llama: 'LlamaForCausalLM',
  mistral: 'MistralForCausalLM',
  gpt2: 'GPT2LMHeadModel',
};

const ACTIVATIONS: readonly HiddenActivation[] = ['silu', 'gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'];

function architectureOf(json: Record<string, unknown>, fileName: string): string {
  const list = json.architectures;
  if (Array.isArray(list) && list.length > 0) {
    const first = list[0];
    if (typeof first !== 'string') {
      throw new ConfigError(
        fileName,
        'architectures',
        `must be a list of class names, got ${JSON.stringify(list)}`,
      );
    }
    return first;
  }
  const modelType = json.model_type;
  if (typeof modelType === 'string' && MODEL_TYPES[modelType]) return MODEL_TYPES[modelType];
  return typeof modelType === 'string' ? `model_type '${modelType}'` : '(none)';
}

function activation(r: FieldReader, field: string, fallback: HiddenActivation): HiddenActivation {
  const value = r.string(field, fallback);
  if (!(ACTIVATIONS as readonly string[]).includes(value)) {
    throw new ConfigError(r.fileName, field, `must be one of ${ACTIVATIONS.join(', ')}, got '${value}'`);
  }
  return value as HiddenActivation;
}

function tokenIds(r: FieldReader, field: string): number[] {
  const value = r.raw[field];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v) => Number.isInteger(v))) return value as number[];
  if (Number.isInteger(value)) return [value as number];
  throw new ConfigError(
    r.fileName,
    field,
    `must be a token id or a list of them, got ${JSON.stringify(value)}`,
  );
}

function parseLlama(r: FieldReader, architecture: LlamaConfig['architecture']): LlamaConfig {
  const mistral = architecture === 'MistralForCausalLM';
  const hiddenSize = r.positiveInteger('hidden_size');
  const numHeads = r.positiveInteger('num_attention_heads');
  const numKeyValueHeads = r.positiveInteger('num_key_value_heads', numHeads);
  if (numHeads % numKeyValueHeads !== 0) {
    throw new ConfigError(
      r.fileName,
      'num_key_value_heads',
      `(${numKeyValueHeads}) must divide num_attention_heads (${numHeads})`,
    );
  }
  const headDim = r.positiveInteger('head_dim', Math.floor(hiddenSize / numHeads));
  if (headDim % 2 !== 0)
    throw new ConfigError(r.fileName, 'head_dim', `must be even for RoPE, got ${headDim}`);
  const maxPositionEmbeddings = r.positiveInteger('max_position_embeddings', mistral ? 131072 : 2048);
  const { theta, scaling } = parseRopeScaling(r, maxPositionEmbeddings);
  const partial = r.number('partial_rotary_factor', 1);
  if (partial !== 1) {
    throw new ConfigError(
      r.fileName,
      'partial_rotary_factor',
      `must be 1 for ${architecture}, got ${partial}`,
    );
  }
  const window = r.raw.sliding_window;
  let slidingWindow: number | null = null;
  if (mistral && window !== undefined && window !== null) slidingWindow = r.positiveInteger('sliding_window');
  if (mistral && window === undefined) slidingWindow = 4096;
  const eos = tokenIds(r, 'eos_token_id');
  const bos = tokenIds(r, 'bos_token_id');
  return {
    family: 'llama',
    architecture,
    vocabSize: r.positiveInteger('vocab_size'),
    hiddenSize,
    numLayers: r.positiveInteger('num_hidden_layers'),
    numHeads,
    numKeyValueHeads,
    headDim,
    intermediateSize: r.positiveInteger('intermediate_size'),
    maxPositionEmbeddings,
    rmsNormEps: r.number('rms_norm_eps', 1e-6),
    ropeTheta: theta,
    ropeScaling: scaling,
    attentionBias: r.boolean('attention_bias', false),
    mlpBias: r.boolean('mlp_bias', false),
    hiddenAct: activation(r, 'hidden_act', 'silu'),
    tieWordEmbeddings: r.boolean('tie_word_embeddings', false),
    slidingWindow,
    bosTokenId: bos[0] ?? null,
    eosTokenIds: eos,
    raw: r.raw,
  };
}

function parseGpt2(r: FieldReader): Gpt2Config {
  const hiddenSize = r.positiveInteger('n_embd', 768);
  const numHeads = r.positiveInteger('n_head', 12);
  if (hiddenSize % numHeads !== 0) {
    throw new ConfigError(r.fileName, 'n_head', `(${numHeads}) must divide n_embd (${hiddenSize})`);
  }
  const inner = r.raw.n_inner;
  return {
    family: 'gpt2',
    architecture: 'GPT2LMHeadModel',
    vocabSize: r.positiveInteger('vocab_size', 50257),
    hiddenSize,
    numLayers: r.positiveInteger('n_layer', 12),
    numHeads,
    headDim: hiddenSize / numHeads,
    innerSize: inner === undefined || inner === null ? 4 * hiddenSize : r.positiveInteger('n_inner'),
    maxPositionEmbeddings: r.positiveInteger('n_positions', 1024),
    layerNormEps: r.number('layer_norm_epsilon', 1e-5),
    activation: activation(r, 'activation_function', 'gelu_new'),
    scaleAttnWeights: r.boolean('scale_attn_weights', true),
    scaleAttnByInverseLayerIdx: r.boolean('scale_attn_by_inverse_layer_idx', false),
    tieWordEmbeddings: r.boolean('tie_word_embeddings', true),
    bosTokenId: tokenIds(r, 'bos_token_id')[0] ?? null,
    eosTokenIds: tokenIds(r, 'eos_token_id'),
    raw: r.raw,
  };
}

/**
 * Parses a Hugging Face `config.json` object (already `JSON.parse`d) of a `LlamaForCausalLM`,
 * `MistralForCausalLM` or `GPT2LMHeadModel`. The architecture comes from `architectures[0]`, or from
 * `model_type` when that list is absent. Missing fields take the defaults of `transformers`' `LlamaConfig`,
 * `MistralConfig` and `GPT2Config`.
 *
 * @example
 * ```ts
 * const config = parseModelConfig(JSON.parse(await readFile('tiny-llama/config.json', 'utf8')));
 * ```
 * @throws {@link UnsupportedArchitectureError} for other architectures; {@link ConfigError} naming the field
 *   for a missing or invalid one.
 */
export function parseModelConfig(json: unknown, options: ParseModelConfigOptions = {}): ModelConfig {
  const fileName = options.fileName ?? 'config.json';
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(fileName, '(root)', 'must be a JSON object');
  }
  const raw = json as Record<string, unknown>;
  const architecture = architectureOf(raw, fileName);
  const r = new FieldReader(raw, fileName);
  switch (architecture) {
    case 'LlamaForCausalLM':
    case 'MistralForCausalLM':
      return parseLlama(r, architecture);
    case 'GPT2LMHeadModel':
      return parseGpt2(r);
    default:
      throw new UnsupportedArchitectureError(architecture, fileName, SUPPORTED_ARCHITECTURES);
  }
}
