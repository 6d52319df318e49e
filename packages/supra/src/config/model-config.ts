/**
 * Typed model configurations parsed from Hugging Face `config.json` files.
 * @packageDocumentation
 */

/** RoPE frequency scaling (`rope_scaling` / `rope_parameters` of a Llama-family `config.json`). */
export type RopeScaling =
  | { readonly type: 'default' }
  | { readonly type: 'linear'; readonly factor: number }
  | { readonly type: 'dynamic'; readonly factor: number }
  | {
      readonly type: 'llama3';
      readonly factor: number;
      readonly lowFreqFactor: number;
      readonly highFreqFactor: number;
      readonly originalMaxPositionEmbeddings: number;
    }
  | {
      readonly type: 'yarn';
      readonly factor: number;
      readonly attentionFactor: number | null;
      readonly betaFast: number | null;
      readonly betaSlow: number | null;
      readonly mscale: number | null;
      readonly mscaleAllDim: number | null;
      readonly originalMaxPositionEmbeddings: number | null;
      readonly truncate: boolean;
    };

/** Activation of a feed-forward block, by its `transformers` name. */
export type HiddenActivation = 'silu' | 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';

/** Fields shared by every supported configuration. */
interface BaseModelConfig {
  /** Vocabulary size `V` (rows of the embedding). */
  readonly vocabSize: number;
  /** Model width `D`. */
  readonly hiddenSize: number;
  /** Number of decoder layers. */
  readonly numLayers: number;
  /** Number of query heads `H`. */
  readonly numHeads: number;
  /** Per-head dimension. */
  readonly headDim: number;
  /** Longest context the model was trained for (`max_position_embeddings` / `n_positions`). */
  readonly maxPositionEmbeddings: number;
  /** Whether the output projection reuses the token embedding. */
  readonly tieWordEmbeddings: boolean;
  /** Beginning-of-sequence token id, if any. */
  readonly bosTokenId: number | null;
  /** End-of-sequence token ids (empty if none). */
  readonly eosTokenIds: readonly number[];
  /** The `config.json` object as read, kept so a saved model writes back every field. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * `LlamaForCausalLM` and `MistralForCausalLM`: RMSNorm, RoPE (rotate-half pairing), grouped-query attention,
 * gated MLP, optional sliding window (Mistral).
 */
export interface LlamaConfig extends BaseModelConfig {
  /** Model family. */
  readonly family: 'llama';
  /** The `transformers` class name. */
  readonly architecture: 'LlamaForCausalLM' | 'MistralForCausalLM';
  /** Key/value heads (`H` for multi-head attention, fewer for grouped-query attention). */
  readonly numKeyValueHeads: number;
  /** Width of the gated MLP. */
  readonly intermediateSize: number;
  /** RMSNorm epsilon. */
  readonly rmsNormEps: number;
  /** RoPE base θ. */
  readonly ropeTheta: number;
  /** RoPE scaling variant. */
  readonly ropeScaling: RopeScaling;
  /** Bias on the q/k/v/o projections. */
  readonly attentionBias: boolean;
  /** Bias on the MLP projections. */
  readonly mlpBias: boolean;
  /** MLP activation (`silu` for Llama and Mistral). */
  readonly hiddenAct: HiddenActivation;
  /** Each token attends to itself and the `slidingWindow − 1` tokens before it; `null`: no window. */
  readonly slidingWindow: number | null;
}

/** `GPT2LMHeadModel`: learned positions, pre-LayerNorm, GELU MLP, fused `c_attn`, Conv1D weight layout. */
export interface Gpt2Config extends BaseModelConfig {
  /** Model family. */
  readonly family: 'gpt2';
  /** The `transformers` class name. */
  readonly architecture: 'GPT2LMHeadModel';
  /** Width of the MLP (`n_inner`, default 4·D). */
  readonly innerSize: number;
  /** LayerNorm epsilon. */
  readonly layerNormEps: number;
  /** MLP activation (`gelu_new` for GPT-2). */
  readonly activation: HiddenActivation;
  /** Divide scores by √head_dim. */
  readonly scaleAttnWeights: boolean;
  /** Also divide scores of layer `i` by `i + 1`. */
  readonly scaleAttnByInverseLayerIdx: boolean;
}

/** A parsed configuration of a supported architecture. */
export type ModelConfig = LlamaConfig | Gpt2Config;

/** The `transformers` architectures this package loads. */
export const SUPPORTED_ARCHITECTURES = ['LlamaForCausalLM', 'MistralForCausalLM', 'GPT2LMHeadModel'] as const;
