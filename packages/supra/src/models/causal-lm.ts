/**
 * The interface every language model of this package implements: a parallel forward over whole sequences
 * (training, scoring) that can also continue from a decoding cache (generation).
 * @packageDocumentation
 */
import type { Backend, Tensor } from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';

/** State carried between calls while decoding: a KV cache (softmax attention) or a fixed-size recurrent state. */
export interface DecodeCache {
  /** Number of tokens consumed so far (the position of the next token). */
  readonly position: number;
  /** Batch size the cache was created for. */
  readonly batch: number;
  /** Bytes held by the cache's tensors now. */
  byteLength(): number;
  /** Frees the cache's tensors. */
  dispose(): void;
}

/** Options of {@link CausalLM.forward}. */
export interface ForwardOptions<C extends DecodeCache = DecodeCache> {
  /** Continue from (and update) this cache: the new tokens follow the `cache.position` tokens already seen. */
  readonly cache?: C;
  /** Return the logits of the last position only (`[B, 1, V]`), saving the vocabulary projection elsewhere. */
  readonly lastOnly?: boolean;
}

/** A causal language model. */
export interface CausalLM<C extends DecodeCache = DecodeCache> {
  /** The parsed configuration. */
  readonly config: ModelConfig;
  /** The backend the weights live on. */
  readonly backend: Backend;
  /** Every weight by its Hugging Face name (parameters for training; the model reads them at each call). */
  readonly weights: ReadonlyMap<string, Tensor>;
  /**
   * Logits `[B, T, V]` of token ids `inputIds: [B, T]` (i32). With `options.cache`, continues from the cached
   * tokens and advances the cache by `T`.
   */
  forward(inputIds: Tensor, options?: ForwardOptions<C>): Tensor;
  /** An empty decoding cache for `batch` sequences (default 1). */
  createCache(batch?: number): C;
  /** Frees every weight. */
  dispose(): void;
}
