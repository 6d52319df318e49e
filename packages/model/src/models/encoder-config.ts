/**
 * {@link EncoderConfig}: the widths and depth shared by {@link AarenStack} and {@link TransformerStack}.
 * @packageDocumentation
 */

import { ModelConfigError } from '../errors.js';
import { type Activation, checkActivation } from '../layers/activation.js';

/** Where the layer normalisations sit in each block. */
export type NormPlacement = 'post' | 'pre';

/** Widths and depth of a stack of encoder blocks (Aaren or Transformer). */
export interface EncoderConfig {
  /** Token width `d_model`. */
  readonly dModel: number;
  /** Attention heads `H` (must divide `dModel`). */
  readonly heads: number;
  /** Hidden width of the feed-forward block `d_ff`. */
  readonly dFF: number;
  /** Number of blocks. */
  readonly layers: number;
  /**
   * `'post'` (default): `x ← LN(x + attn(x))`, `x ← LN(x + FFN(x))`, the original Transformer encoder and
   * PyTorch's `nn.TransformerEncoderLayer` default, which the paper's parameter counts describe.
   * `'pre'`: `x ← x + attn(LN(x))`, `x ← x + FFN(LN(x))`, often easier to train deep.
   */
  readonly norm?: NormPlacement;
  /** Feed-forward activation. Default `'relu'` (PyTorch's default). */
  readonly activation?: Activation;
  /** A LayerNorm after the last block. Default: `true` for `'pre'`, `false` for `'post'`. */
  readonly finalNorm?: boolean;
  /** ε of the LayerNorms. Default `1e-5`. */
  readonly eps?: number;
}

/** An {@link EncoderConfig} with every default filled in. */
export interface ResolvedEncoderConfig extends Required<EncoderConfig> {}

function positiveInteger(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ModelConfigError(where, name, `must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Validates `config` and fills in the defaults.
 * @throws {@link ModelConfigError} naming the option.
 */
export function resolveEncoderConfig(where: string, config: EncoderConfig): ResolvedEncoderConfig {
  if (config === null || typeof config !== 'object') {
    throw new ModelConfigError(where, 'config', 'must be an object { dModel, heads, dFF, layers }');
  }
  const dModel = positiveInteger(where, 'dModel', config.dModel);
  const heads = positiveInteger(where, 'heads', config.heads);
  if (dModel % heads !== 0) {
    throw new ModelConfigError(where, 'heads', `(${heads}) must divide dModel (${dModel})`);
  }
  const norm = config.norm ?? 'post';
  if (norm !== 'post' && norm !== 'pre') {
    throw new ModelConfigError(where, 'norm', `must be 'post' or 'pre', got ${JSON.stringify(norm)}`);
  }
  const eps = config.eps ?? 1e-5;
  if (!(typeof eps === 'number' && eps > 0 && Number.isFinite(eps))) {
    throw new ModelConfigError(where, 'eps', `must be a positive number, got ${JSON.stringify(eps)}`);
  }
  const finalNorm = config.finalNorm ?? norm === 'pre';
  if (typeof finalNorm !== 'boolean') {
    throw new ModelConfigError(where, 'finalNorm', `must be a boolean, got ${JSON.stringify(finalNorm)}`);
  }
  return {
    dModel,
    heads,
    dFF: positiveInteger(where, 'dFF', config.dFF),
    layers: positiveInteger(where, 'layers', config.layers),
    norm,
    activation: checkActivation(where, config.activation ?? 'relu'),
    finalNorm,
    eps,
  };
}
