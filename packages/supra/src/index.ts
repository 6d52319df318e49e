/**
 * `@aaren/supra`: load Hugging Face Llama/Mistral/GPT-2 checkpoints into the aaren engine, linearize them
 * with SUPRA ("Linearizing Large Language Models", Mercat et al., arXiv 2405.06640) into RNNs with a
 * fixed-size state, and generate text. Browser-safe; file loading lives in `@aaren/supra/node`.
 * @packageDocumentation
 */
export {
  type Gpt2Config,
  type HiddenActivation,
  type LlamaConfig,
  type ModelConfig,
  type RopeScaling,
  SUPPORTED_ARCHITECTURES,
} from './config/model-config.js';
export { type ParseModelConfigOptions, parseModelConfig } from './config/parse-config.js';
export {
  defaultInverseFrequencies,
  type RopeParameters,
  type RopeSettings,
  ropeDependsOnLength,
  ropeParameters,
} from './config/rope-frequencies.js';
export {
  CheckpointTensorError,
  type CheckpointTensorProblem,
  ConfigError,
  ModelInputError,
  SupraOptionError,
  TokenizerError,
  UnsupportedArchitectureError,
} from './errors.js';
export {
  type GenerateOptions,
  type GenerateResult,
  generate,
  type TokenEvent,
} from './generate/generate.js';
export {
  argmaxOf,
  checkSamplingOptions,
  type SamplingOptions,
  sampleToken,
  samplingDistribution,
} from './generate/sampling.js';
export { causalAttentionBias } from './models/attention-bias.js';
export type { CausalLM, DecodeCache, ForwardOptions } from './models/causal-lm.js';
export type { AttendFn, DecoderBody } from './models/decoder-body.js';
export { DecoderLM } from './models/decoder-lm.js';
export type { ForwardContext } from './models/forward-context.js';
export { type InitWeightsOptions, initWeights } from './models/init-weights.js';
export { KVCache, type KVCacheDims } from './models/kv-cache.js';
export { ropeTables } from './models/rope-tables.js';
export {
  groupedSoftmaxAttention,
  keyValueHeads,
  mergeHeads,
  splitHeads,
  TransformerLM,
} from './models/transformer-lm.js';
export { type ConvertToSupraOptions, convertToSupra } from './supra/convert.js';
export { featureMapNames, initFeatureMaps, supraExtraWeights } from './supra/feature-maps.js';
export { repeatHeads, SupraLM } from './supra/supra-lm.js';
export {
  hasKeyFeatureMap,
  resolveSupraOptions,
  retnetDecays,
  type SupraOptions,
  type SupraSettings,
  supraSettingsFromJson,
  supraSettingsToJson,
  supraSlopes,
} from './supra/supra-options.js';
export { SupraState, type SupraStateDims } from './supra/supra-state.js';
export {
  createTokenizer,
  type DecodeOptions,
  type EncodeOptions,
  type TextTokenizer,
} from './tokenizer/text-tokenizer.js';
export {
  byteLevelAlphabet,
  type TrainBpeOptions,
  type TrainedBpe,
  trainByteLevelBpe,
} from './tokenizer/train-bpe.js';
export { attentionTransferLoss, featureMapWeightNames } from './train/attention-transfer.js';
export { type EvaluateOptions, type EvaluateResult, evaluatePerplexity } from './train/evaluate.js';
export { type TokenBatch, TokenWindows } from './train/token-windows.js';
export {
  nextTokenLoss,
  type ResolvedTrainerOptions,
  type RunOptions,
  resolveTrainerOptions,
  Trainer,
  type TrainerOptions,
  type TrainerState,
  type TrainProgress,
} from './train/trainer.js';
export {
  type ExpectedTensor,
  expectedWeights,
  gpt2LayerNames,
  isIgnorableCheckpointTensor,
  llamaLayerNames,
} from './weights/expected-weights.js';
export { checkWeights, type LoadWeightsOptions, loadWeights } from './weights/load-weights.js';
export { type WeightSource, weightSourceFromDecoded } from './weights/weight-source.js';
