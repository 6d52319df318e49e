/**
 * Autoregressive generation with any {@link CausalLM}: one parallel prefill of the prompt, then one token at
 * a time through the model's decoding cache (a growing KV cache for softmax attention, a fixed-size state
 * for SUPRA).
 * @packageDocumentation
 */
import { createRng, noGrad, type Rng, type Tensor, tensor, tidy } from '@aaren/core';
import { ModelInputError, SupraOptionError } from '../errors.js';
import type { CausalLM, DecodeCache } from '../models/causal-lm.js';
import { checkSamplingOptions, type SamplingOptions, sampleToken } from './sampling.js';

/** What {@link GenerateOptions.onToken} receives with each token. */
export interface TokenEvent {
  /** 0 for the first generated token. */
  readonly index: number;
  /** Tokens the model has consumed (prompt plus generated tokens fed back). */
  readonly position: number;
  /** Bytes held by the decoding cache now (grows for a KV cache, constant for SUPRA). */
  readonly cacheBytes: number;
}

/** Options of {@link generate}. */
export interface GenerateOptions extends SamplingOptions {
  /** Most tokens to generate. */
  readonly maxNewTokens: number;
  /** Stop after generating any of these (the stop token is included in the result). */
  readonly stopTokens?: readonly number[];
  /** Called with each token as soon as it is sampled (streaming); return `false` to stop. May be async. */
  readonly onToken?: (token: number, event: TokenEvent) => undefined | boolean | Promise<undefined | boolean>;
  /** Seed of the sampler (default 0). Ignored when `rng` is given. */
  readonly seed?: number;
  /** Generator to draw from (continues its stream). */
  readonly rng?: Rng;
}

/** Result of {@link generate}. */
export interface GenerateResult {
  /** The generated tokens (not the prompt). */
  readonly tokens: number[];
  /** Why generation ended. */
  readonly finishReason: 'stop-token' | 'max-tokens' | 'callback';
  /** Bytes of the decoding cache at the end. */
  readonly cacheBytes: number;
}

/**
 * Generates up to `maxNewTokens` tokens after `promptIds` with temperature, top-k and top-p sampling
 * (`temperature: 0` is greedy), stop tokens and a streaming callback. Works with every {@link CausalLM}: the
 * source model decodes with its KV cache, a SUPRA model with its fixed-size recurrent state.
 *
 * @example
 * ```ts
 * const { tokens } = await generate(supra, tokenizer.encode('Call me'), {
 *   maxNewTokens: 50, temperature: 0.8, topP: 0.95, stopTokens: [eos],
 *   onToken: (t) => { process.stdout.write(tokenizer.decode([t])); },
 * });
 * ```
 * @throws {@link ModelInputError} for an empty prompt; {@link SupraOptionError} naming an invalid option.
 */
export async function generate<C extends DecodeCache>(
  model: CausalLM<C>,
  promptIds: readonly number[],
  options: GenerateOptions,
): Promise<GenerateResult> {
  const op = 'generate';
  checkSamplingOptions(op, options);
  if (!Number.isInteger(options.maxNewTokens) || options.maxNewTokens < 0) {
    throw new SupraOptionError(
      op,
      'maxNewTokens',
      `must be a non-negative integer, got ${options.maxNewTokens}`,
    );
  }
  if (promptIds.length === 0) throw new ModelInputError(op, 'promptIds', 'at least one token', [0]);
  const vocab = model.config.vocabSize;
  const bad = promptIds.find((id) => !Number.isInteger(id) || id < 0 || id >= vocab);
  if (bad !== undefined) {
    throw new SupraOptionError(op, 'promptIds', `must be token ids in [0, ${vocab}), found ${bad}`);
  }
  const rng = options.rng ?? createRng(options.seed ?? 0);
  const stops = new Set(options.stopTokens ?? []);
  const cache = model.createCache(1);
  const step = (ids: readonly number[]): Tensor =>
    tidy(() =>
      noGrad(() =>
        model.forward(tensor(model.backend, Int32Array.from(ids), [1, ids.length], 'i32'), {
          cache,
          lastOnly: true,
        }),
      ),
    );
  const tokens: number[] = [];
  let finishReason: GenerateResult['finishReason'] = 'max-tokens';
  try {
    if (options.maxNewTokens === 0) return { tokens, finishReason, cacheBytes: cache.byteLength() };
    let logits = step(promptIds);
    for (let index = 0; index < options.maxNewTokens; index++) {
      const data = await logits.data();
      logits.dispose();
      const token = sampleToken(data, options, rng);
      tokens.push(token);
      const event = { index, position: cache.position, cacheBytes: cache.byteLength() };
      if ((await options.onToken?.(token, event)) === false) {
        finishReason = 'callback';
        break;
      }
      if (stops.has(token)) {
        finishReason = 'stop-token';
        break;
      }
      if (index + 1 === options.maxNewTokens) break;
      logits = step([token]);
    }
    return { tokens, finishReason, cacheBytes: cache.byteLength() };
  } finally {
    cache.dispose();
  }
}
