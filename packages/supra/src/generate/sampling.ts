/**
 * Next-token sampling from logits: temperature, top-k and top-p (nucleus) filtering, applied in that order
 * as `transformers`' logits warpers do, then a draw from a seeded generator (or the argmax when greedy).
 * @packageDocumentation
 */
import type { Rng } from '@aaren/core';
import { SupraOptionError } from '../errors.js';

/** Sampling settings. */
export interface SamplingOptions {
  /** Divides the logits; `0` means greedy (argmax). Default 1. */
  readonly temperature?: number;
  /** Keep only the `topK` most likely tokens (ties with the k-th kept). `0` or absent: no limit. */
  readonly topK?: number;
  /**
   * Keep the most likely tokens whose probabilities add up to at least `topP` (as `TopPLogitsWarper`: drop the
   * least likely tokens while their cumulative probability stays ≤ 1 − topP; at least one token is kept).
   * Default 1 (no filtering).
   */
  readonly topP?: number;
}

/** Checks sampling options. @throws {@link SupraOptionError} naming the option. */
export function checkSamplingOptions(op: string, options: SamplingOptions): void {
  const { temperature = 1, topK = 0, topP = 1 } = options;
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new SupraOptionError(op, 'temperature', `must be a finite number ≥ 0, got ${temperature}`);
  }
  if (!Number.isInteger(topK) || topK < 0) {
    throw new SupraOptionError(op, 'topK', `must be a non-negative integer, got ${topK}`);
  }
  if (!(topP > 0 && topP <= 1)) throw new SupraOptionError(op, 'topP', `must lie in (0, 1], got ${topP}`);
}

/** Index of the largest logit (the first one on ties). */
export function argmaxOf(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/**
 * The distribution tokens are drawn from: `softmax(logits / temperature)` restricted by `topK` and `topP` and
 * renormalised (float64). With `temperature = 0` it is one-hot on the argmax.
 */
export function samplingDistribution(logits: ArrayLike<number>, options: SamplingOptions = {}): Float64Array {
  checkSamplingOptions('samplingDistribution', options);
  const { temperature = 1, topK = 0, topP = 1 } = options;
  const n = logits.length;
  const probs = new Float64Array(n);
  if (temperature === 0) {
    probs[argmaxOf(logits)] = 1;
    return probs;
  }
  const scaled = Float64Array.from({ length: n }, (_, i) => logits[i]! / temperature);
  const keep = new Uint8Array(n).fill(1);
  if (topK > 0 && topK < n) {
    const threshold = [...scaled].sort((a, b) => b - a)[topK - 1]!;
    for (let i = 0; i < n; i++) if (scaled[i]! < threshold) keep[i] = 0;
  }
  const softmaxKept = () => {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) if (keep[i] && scaled[i]! > max) max = scaled[i]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      probs[i] = keep[i] ? Math.exp(scaled[i]! - max) : 0;
      total += probs[i]!;
    }
    for (let i = 0; i < n; i++) probs[i]! /= total;
  };
  softmaxKept();
  if (topP < 1) {
    const order = [...Array(n).keys()].filter((i) => keep[i]).sort((a, b) => probs[a]! - probs[b]! || b - a);
    let cumulative = 0;
    for (let r = 0; r < order.length - 1; r++) {
      const i = order[r]!;
      cumulative += probs[i]!;
      if (cumulative <= 1 - topP) keep[i] = 0;
      else break;
    }
    softmaxKept();
  }
  return probs;
}

/** Draws a token from {@link samplingDistribution} with `rng` (greedy needs no draw). */
export function sampleToken(logits: ArrayLike<number>, options: SamplingOptions, rng: Rng): number {
  if ((options.temperature ?? 1) === 0) return argmaxOf(logits);
  const probs = samplingDistribution(logits, options);
  const u = rng.next();
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0) continue;
    last = i;
    cumulative += probs[i]!;
    if (u < cumulative) return i;
  }
  return last;
}
