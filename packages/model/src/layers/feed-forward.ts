/**
 * {@link FeedForward}: the position-wise two-layer MLP of a Transformer encoder block.
 * @packageDocumentation
 */
import type { Tensor } from '@aaren/core';
import { type Activation, activate } from './activation.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

/**
 * `FFN(x) = W₂·act(W₁x + b₁) + b₂`, applied to every token independently: `linear1: d → dFF`,
 * `linear2: dFF → d`, so `2·d·dFF + dFF + d` parameters.
 */
export class FeedForward extends Module {
  /** `d → dFF`. */
  readonly linear1: Linear;
  /** `dFF → d`. */
  readonly linear2: Linear;
  /** The activation between the two. */
  readonly activation: Activation;

  constructor(dModel: number, dFF: number, activation: Activation = 'relu') {
    super();
    this.linear1 = this.addModule('linear1', new Linear(dModel, dFF));
    this.linear2 = this.addModule('linear2', new Linear(dFF, dModel));
    this.activation = activation;
  }

  /** `x: [..., d]` → `[..., d]`. */
  forward(x: Tensor): Tensor {
    return this.linear2.forward(activate(this.activation, this.linear1.forward(x)));
  }
}
