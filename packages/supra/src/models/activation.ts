/**
 * Feed-forward activations by their `transformers` names.
 * @packageDocumentation
 */
import { gelu, geluTanh, relu, silu, type Tensor } from '@aaren/core';
import type { HiddenActivation } from '../config/model-config.js';

/** Applies activation `name` (`gelu_new` and `gelu_pytorch_tanh` are the tanh approximation). */
export function activate(name: HiddenActivation, x: Tensor): Tensor {
  switch (name) {
    case 'silu':
      return silu(x);
    case 'gelu':
      return gelu(x);
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
      return geluTanh(x);
    case 'relu':
      return relu(x);
  }
}
