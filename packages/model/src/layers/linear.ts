/**
 * {@link Linear}: an affine map `x·Wᵀ + b` with PyTorch's weight layout and initialisation.
 * @packageDocumentation
 */
import { kaimingUniform, linear, type Tensor, uniformInit } from '@aaren/core';
import { ModelConfigError } from '../errors.js';
import { Module } from './module.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn a bias `[out]`. Default `true`. */
  readonly bias?: boolean;
}

/**
 * Affine layer `y = x·Wᵀ + b` on the last axis. Parameters `weight: [out, in]` and `bias: [out]`,
 * initialised as `torch.nn.Linear` (weight from Kaiming-uniform with `a = √5`, i.e. U(±1/√in), then the bias
 * from U(±1/√in), drawn in that order), so the count is `out·in + out`.
 */
export class Linear extends Module {
  /** Input width. */
  readonly inFeatures: number;
  /** Output width. */
  readonly outFeatures: number;
  /** Whether the layer has a bias. */
  readonly hasBias: boolean;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [name, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new ModelConfigError('Linear', name, `must be a positive integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.hasBias = options.bias ?? true;
    this.addParameter('weight', [outFeatures, inFeatures], kaimingUniform({ a: Math.sqrt(5) }));
    if (this.hasBias) {
      const bound = 1 / Math.sqrt(inFeatures);
      this.addParameter('bias', [outFeatures], uniformInit(-bound, bound));
    }
  }

  /** The weight `[out, in]`. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** The bias `[out]`, or `null` without one. */
  get bias(): Tensor | null {
    return this.hasBias ? this.param('bias') : null;
  }

  /** `x: [..., in]` → `[..., out]`. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
