/**
 * Held-out evaluation: mean next-token cross-entropy and perplexity over a token stream.
 * @packageDocumentation
 */
import { crossEntropy, noGrad, tensor, tidy } from '@aaren/core';
import { SupraOptionError } from '../errors.js';
import type { CausalLM } from '../models/causal-lm.js';

/** Options of {@link evaluatePerplexity}. */
export interface EvaluateOptions {
  /** Tokens per window (the context the model sees at most). */
  readonly seqLength: number;
  /** Windows per forward. Default 8. */
  readonly batchSize?: number;
  /** Evaluate at most this many windows (default: all). */
  readonly maxWindows?: number;
  /** Called after each batch with the windows done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Result of {@link evaluatePerplexity}. */
export interface EvaluateResult {
  /** Mean negative log-likelihood per predicted token (nats). */
  readonly loss: number;
  /** `exp(loss)`. */
  readonly perplexity: number;
  /** Number of predicted tokens. */
  readonly tokens: number;
}

/**
 * Perplexity of `model` on `tokens`, cut into consecutive non-overlapping windows of `seqLength + 1` tokens
 * (each window predicts its last `seqLength` tokens from the ones before, starting from an empty context).
 * @throws {@link SupraOptionError} when there is not one full window.
 */
export async function evaluatePerplexity(
  model: CausalLM,
  tokens: Int32Array,
  options: EvaluateOptions,
): Promise<EvaluateResult> {
  const t = options.seqLength;
  const batch = options.batchSize ?? 8;
  let windows = Math.floor((tokens.length - 1) / t);
  if (options.maxWindows !== undefined) windows = Math.min(windows, options.maxWindows);
  if (windows < 1) {
    throw new SupraOptionError('evaluatePerplexity', 'tokens', `has fewer than ${t + 1} tokens (one window)`);
  }
  let total = 0;
  let count = 0;
  for (let first = 0; first < windows; first += batch) {
    const rows = Math.min(batch, windows - first);
    const inputs = new Int32Array(rows * t);
    const targets = new Int32Array(rows * t);
    for (let r = 0; r < rows; r++) {
      const start = (first + r) * t;
      inputs.set(tokens.subarray(start, start + t), r * t);
      targets.set(tokens.subarray(start + 1, start + t + 1), r * t);
    }
    const loss = tidy(() =>
      noGrad(() => {
        const logits = model.forward(tensor(model.backend, inputs, [rows, t], 'i32'));
        return crossEntropy(logits, tensor(model.backend, targets, [rows, t], 'i32'));
      }),
    );
    total += (await loss.item()) * rows * t;
    loss.dispose();
    count += rows * t;
    options.onProgress?.(first + rows, windows);
  }
  const mean = total / count;
  return { loss: mean, perplexity: Math.exp(mean), tokens: count };
}
