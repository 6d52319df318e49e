/**
 * Activation functions of the feed-forward blocks.
 * @packageDocumentation
 */
import { gelu, relu, type Tensor } from '@aaren/core';
import { ModelConfigError } from '../errors.js';

/** Activation of the feed-forward block: `'relu'` (PyTorch's Transformer default) or `'gelu'` (exact, erf). */
export type Activation = 'relu' | 'gelu';

/** Applies `activation` elementwise. */
export function activate(activation: Activation, x: Tensor): Tensor {
  return activation === 'gelu' ? gelu(x) : relu(x);
}

/** Throws unless `value` names an {@link Activation}. */
export function checkActivation(where: string, value: unknown): Activation {
  if (value !== 'relu' && value !== 'gelu') {
    throw new ModelConfigError(where, 'activation', `must be 'relu' or 'gelu', got ${JSON.stringify(value)}`);
  }
  return value;
}
