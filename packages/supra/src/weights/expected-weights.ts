/**
 * The tensors each architecture needs, with their names in the Hugging Face layout and their shapes.
 * @packageDocumentation
 */
import type { Gpt2Config, LlamaConfig, ModelConfig } from '../config/model-config.js';

/** One tensor a model needs. */
export interface ExpectedTensor {
  /** Name in the Hugging Face checkpoint layout (GPT-2 names carry the `transformer.` prefix). */
  readonly name: string;
  /** Shape in the checkpoint (GPT-2 Conv1D weights are `[in, out]`). */
  readonly shape: readonly number[];
}

/** Names of the weights of layer `i` of a Llama-family model. */
export function llamaLayerNames(i: number) {
  const p = `model.layers.${i}.`;
  return {
    inputNorm: `${p}input_layernorm.weight`,
    postNorm: `${p}post_attention_layernorm.weight`,
    q: `${p}self_attn.q_proj`,
    k: `${p}self_attn.k_proj`,
    v: `${p}self_attn.v_proj`,
    o: `${p}self_attn.o_proj`,
    gate: `${p}mlp.gate_proj`,
    up: `${p}mlp.up_proj`,
    down: `${p}mlp.down_proj`,
    /** SUPRA feature map φ (queries, and keys without grouped-query attention). */
    featureMap: `${p}self_attn.feature_map`,
    /** SUPRA feature map of keys under grouped-query attention. */
    featureMapKv: `${p}self_attn.feature_map_kv`,
  };
}

/** Names of the weights of layer `i` of a GPT-2 model. */
export function gpt2LayerNames(i: number) {
  const p = `transformer.h.${i}.`;
  return {
    ln1: `${p}ln_1`,
    ln2: `${p}ln_2`,
    attn: `${p}attn.c_attn`,
    proj: `${p}attn.c_proj`,
    fc: `${p}mlp.c_fc`,
    mlpProj: `${p}mlp.c_proj`,
    /** SUPRA feature map φ of queries and keys. */
    featureMap: `${p}attn.feature_map`,
    featureMapKv: `${p}attn.feature_map_kv`,
  };
}

function linear(out: ExpectedTensor[], name: string, outDim: number, inDim: number, bias: boolean): void {
  out.push({ name: `${name}.weight`, shape: [outDim, inDim] });
  if (bias) out.push({ name: `${name}.bias`, shape: [outDim] });
}

function llamaWeights(c: LlamaConfig): ExpectedTensor[] {
  const out: ExpectedTensor[] = [{ name: 'model.embed_tokens.weight', shape: [c.vocabSize, c.hiddenSize] }];
  const qDim = c.numHeads * c.headDim;
  const kvDim = c.numKeyValueHeads * c.headDim;
  for (let i = 0; i < c.numLayers; i++) {
    const n = llamaLayerNames(i);
    out.push({ name: n.inputNorm, shape: [c.hiddenSize] });
    linear(out, n.q, qDim, c.hiddenSize, c.attentionBias);
    linear(out, n.k, kvDim, c.hiddenSize, c.attentionBias);
    linear(out, n.v, kvDim, c.hiddenSize, c.attentionBias);
    linear(out, n.o, c.hiddenSize, qDim, c.attentionBias);
    out.push({ name: n.postNorm, shape: [c.hiddenSize] });
    linear(out, n.gate, c.intermediateSize, c.hiddenSize, c.mlpBias);
    linear(out, n.up, c.intermediateSize, c.hiddenSize, c.mlpBias);
    linear(out, n.down, c.hiddenSize, c.intermediateSize, c.mlpBias);
  }
  out.push({ name: 'model.norm.weight', shape: [c.hiddenSize] });
  if (!c.tieWordEmbeddings) out.push({ name: 'lm_head.weight', shape: [c.vocabSize, c.hiddenSize] });
  return out;
}

function gpt2Weights(c: Gpt2Config): ExpectedTensor[] {
  const d = c.hiddenSize;
  const out: ExpectedTensor[] = [
    { name: 'transformer.wte.weight', shape: [c.vocabSize, d] },
    { name: 'transformer.wpe.weight', shape: [c.maxPositionEmbeddings, d] },
  ];
  const norm = (name: string) => {
    out.push({ name: `${name}.weight`, shape: [d] }, { name: `${name}.bias`, shape: [d] });
  };
  // Conv1D stores weight as [in, out] and computes x·W + b.
  const conv = (name: string, inDim: number, outDim: number) => {
    out.push({ name: `${name}.weight`, shape: [inDim, outDim] }, { name: `${name}.bias`, shape: [outDim] });
  };
  for (let i = 0; i < c.numLayers; i++) {
    const n = gpt2LayerNames(i);
    norm(n.ln1);
    conv(n.attn, d, 3 * d);
    conv(n.proj, d, d);
    norm(n.ln2);
    conv(n.fc, d, c.innerSize);
    conv(n.mlpProj, c.innerSize, d);
  }
  norm('transformer.ln_f');
  if (!c.tieWordEmbeddings) out.push({ name: 'lm_head.weight', shape: [c.vocabSize, d] });
  return out;
}

/** Every tensor a model of `config` needs, in checkpoint order. */
export function expectedWeights(config: ModelConfig): ExpectedTensor[] {
  return config.family === 'llama' ? llamaWeights(config) : gpt2Weights(config);
}

/**
 * Whether a checkpoint tensor that no model weight uses may be skipped silently: non-persistent buffers
 * that old checkpoints contain (`rotary_emb.inv_freq`, GPT-2's `attn.bias`/`attn.masked_bias` masks) and a
 * stored `lm_head.weight` of a model with tied embeddings.
 */
export function isIgnorableCheckpointTensor(config: ModelConfig, name: string): boolean {
  if (/\.rotary_emb\.inv_freq$/.test(name)) return true;
  if (config.family === 'gpt2' && /\.attn\.(bias|masked_bias)$/.test(name)) return true;
  return config.tieWordEmbeddings && name === 'lm_head.weight';
}
