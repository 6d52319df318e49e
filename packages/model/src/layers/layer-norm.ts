/**
 * {@link LayerNorm}: layer normalisation over the last axis with a learned scale and shift.
 * @packageDocumentation
 */
import { layerNorm, onesInit, type Tensor, zerosInit } from '@aaren/core';
import { Module } from './module.js';

/**
 * `LayerNorm(x) = (x − mean)/√(var + eps)·weight + bias` over the last axis (`torch.nn.LayerNorm`):
 * `2·d` parameters, `weight` initialised to ones and `bias` to zeros.
 */
export class LayerNorm extends Module {
  /** Normalised width. */
  readonly dim: number;
  /** ε added to the variance. */
  readonly eps: number;

  constructor(dim: number, eps = 1e-5) {
    super();
    this.dim = dim;
    this.eps = eps;
    this.addParameter('weight', [dim], onesInit());
    this.addParameter('bias', [dim], zerosInit());
  }

  /** `x: [..., d]` → `[..., d]`. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.param('weight'), this.param('bias'), this.eps);
  }
}
