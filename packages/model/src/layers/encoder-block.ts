/**
 * {@link EncoderBlock}: attention + feed-forward with residual connections and LayerNorms, the block shared
 * by Aaren layers and the Transformer baseline.
 * @packageDocumentation
 */
import { add, type Tensor } from '@aaren/core';
import type { ResolvedEncoderConfig } from '../models/encoder-config.js';
import { FeedForward } from './feed-forward.js';
import { LayerNorm } from './layer-norm.js';
import { Module } from './module.js';

/** The token-mixing sub-layer of a block: `[B, N, d]` → `[B, N, d]` with an optional padding mask. */
export interface TokenMixer extends Module {
  /** Parallel form. */
  forward(x: Tensor, mask?: Tensor | null): Tensor;
}

/**
 * A Transformer encoder block around a token mixer `attn` (parameters `attn.*`, `ffn.*`, `norm1.*`,
 * `norm2.*`, declared in that order):
 * - post-norm: `x ← norm1(x + attn(x))`, `x ← norm2(x + ffn(x))`;
 * - pre-norm: `x ← x + attn(norm1(x))`, `x ← x + ffn(norm2(x))`.
 */
export class EncoderBlock<A extends TokenMixer> extends Module {
  /** The attention sub-layer. */
  readonly attn: A;
  /** The feed-forward sub-layer. */
  readonly ffn: FeedForward;
  /** LayerNorm around the attention. */
  readonly norm1: LayerNorm;
  /** LayerNorm around the feed-forward. */
  readonly norm2: LayerNorm;
  /** Where the norms sit. */
  readonly prenorm: boolean;

  constructor(attn: A, config: ResolvedEncoderConfig) {
    super();
    this.attn = this.addModule('attn', attn);
    this.ffn = this.addModule('ffn', new FeedForward(config.dModel, config.dFF, config.activation));
    this.norm1 = this.addModule('norm1', new LayerNorm(config.dModel, config.eps));
    this.norm2 = this.addModule('norm2', new LayerNorm(config.dModel, config.eps));
    this.prenorm = config.norm === 'pre';
  }

  /** `x: [B, N, d]` → `[B, N, d]`. */
  forward(x: Tensor, mask?: Tensor | null): Tensor {
    return this.around(x, (t) => this.attn.forward(t, mask));
  }

  /**
   * The block with the token mixer replaced by `mix` (used by the streaming steps, where the mixer reads
   * a recurrent state) and optionally the feed-forward by `ffn` (an inference-layout copy): applies
   * residuals and norms around them. Works for any leading axes.
   */
  around(x: Tensor, mix: (t: Tensor) => Tensor, ffn?: (t: Tensor) => Tensor): Tensor {
    const f = ffn ?? ((t: Tensor) => this.ffn.forward(t));
    if (this.prenorm) {
      const h = add(x, mix(this.norm1.forward(x)));
      return add(h, f(this.norm2.forward(h)));
    }
    const h = this.norm1.forward(add(x, mix(x)));
    return this.norm2.forward(add(h, f(h)));
  }
}
