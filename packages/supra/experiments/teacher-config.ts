/**
 * The `config.json` of the small Llama-architecture teacher of the README experiment: 4 layers, width 128,
 * 2 query heads and 1 key/value head of 64 (grouped-query attention), a gated MLP of 352, a 2048-token
 * byte-level BPE vocabulary, tied embeddings: about 1.0M parameters, sized to train in about half an hour on
 * a 2-core CPU with this engine. Also the model the decode benchmark times.
 * @packageDocumentation
 */

/** The teacher's Hugging Face config. */
export const TEACHER_CONFIG = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  vocab_size: 2048,
  hidden_size: 128,
  intermediate_size: 352,
  num_hidden_layers: 4,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  max_position_embeddings: 8192,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  tie_word_embeddings: true,
  hidden_act: 'silu',
  initializer_range: 0.02,
  bos_token_id: 2047,
  eos_token_id: 2047,
  torch_dtype: 'float32',
} as const;
