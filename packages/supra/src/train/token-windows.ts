/**
 * Next-token training data: a token stream cut into non-overlapping windows of `seqLength + 1` tokens,
 * visited in a seeded random order per epoch. Batch `s` is a pure function of `(seed, s)`, so a resumed run
 * sees exactly the batches the uninterrupted run would have.
 * @packageDocumentation
 */
import { createRng } from '@aaren/core';
import { SupraOptionError } from '../errors.js';

/** One batch: `inputs` and `targets` (the inputs shifted by one token), each `batch × seqLength`, row-major. */
export interface TokenBatch {
  /** Token ids `[B, T]`. */
  readonly inputs: Int32Array;
  /** Next-token ids `[B, T]`. */
  readonly targets: Int32Array;
  /** Batch size `B`. */
  readonly batch: number;
  /** Tokens per row `T`. */
  readonly seqLength: number;
}

/** Deterministically shuffled training windows over a token stream. */
export class TokenWindows {
  /** The token stream. */
  readonly tokens: Int32Array;
  /** Tokens per training row. */
  readonly seqLength: number;
  /** Seed of the visiting order. */
  readonly seed: number;
  /** Number of windows of `seqLength + 1` tokens (consecutive windows share one token). */
  readonly count: number;
  private epoch = -1;
  private order: Int32Array = new Int32Array(0);

  /** @throws {@link SupraOptionError} when the stream is shorter than one window. */
  constructor(tokens: Int32Array, seqLength: number, seed = 0) {
    if (!Number.isInteger(seqLength) || seqLength < 1) {
      throw new SupraOptionError('TokenWindows', 'seqLength', `must be a positive integer, got ${seqLength}`);
    }
    this.tokens = tokens;
    this.seqLength = seqLength;
    this.seed = seed;
    this.count = Math.floor((tokens.length - 1) / seqLength);
    if (this.count < 1) {
      throw new SupraOptionError(
        'TokenWindows',
        'tokens',
        `has ${tokens.length} tokens, fewer than one window of ${seqLength + 1}`,
      );
    }
  }

  /** Start of the `k`-th window visited (over all epochs). */
  windowStart(k: number): number {
    const epoch = Math.floor(k / this.count);
    if (epoch !== this.epoch) {
      this.order = createRng(this.seed * 1_000_003 + epoch).permutation(this.count);
      this.epoch = epoch;
    }
    return this.order[k % this.count]! * this.seqLength;
  }

  /** Batch number `step` of `batch` rows: windows `step·B … step·B + B − 1` of the visiting order. */
  batch(step: number, batch: number): TokenBatch {
    const t = this.seqLength;
    const inputs = new Int32Array(batch * t);
    const targets = new Int32Array(batch * t);
    for (let b = 0; b < batch; b++) {
      const start = this.windowStart(step * batch + b);
      inputs.set(this.tokens.subarray(start, start + t), b * t);
      targets.set(this.tokens.subarray(start + 1, start + t + 1), b * t);
    }
    return { inputs, targets, batch, seqLength: t };
  }
}
