/**
 * SUPRA conversion of a softmax-attention model.
 * @packageDocumentation
 */
import { assign, noGrad, type Tensor, zeros } from '@aaren/core';
import type { CausalLM } from '../models/causal-lm.js';
import { initFeatureMaps } from './feature-maps.js';
import { SupraLM } from './supra-lm.js';
import { resolveSupraOptions, type SupraOptions } from './supra-options.js';

/** Options of {@link convertToSupra}. */
export interface ConvertToSupraOptions extends SupraOptions {
  /**
   * Copy the source weights (default true), so that uptraining the SUPRA model leaves the source model
   * unchanged. `false` shares the tensors (half the memory; the source changes when the copy is trained).
   */
  readonly copyWeights?: boolean;
}

function copyOf(t: Tensor): Tensor {
  return noGrad(() => {
    const out = zeros(t.backend, t.shape, t.dtype);
    assign(out, t);
    return out;
  });
}

/**
 * Linearizes `model` with SUPRA (Mercat et al., arXiv 2405.06640): each layer's softmax attention becomes
 * decayed linear attention over `φ(x) = ReLU(W_φ x + b_φ)` features of the queries and keys (RoPE after φ,
 * keys scaled by `1/√d_φ`, fixed decay `γ_h = e^{−slope_h}` from ALiBi slopes, no softmax denominator,
 * GroupNorm per head on the output). Every other weight is kept; only the feature maps are new. Each choice
 * is an option of {@link SupraOptions} whose default is the paper's.
 *
 * The result must be uptrained (next-token loss) before it is a good language model: at conversion the
 * feature maps are random.
 *
 * @example
 * ```ts
 * const supra = convertToSupra(teacher, { chunkSize: 32 });
 * ```
 * @throws {@link SupraOptionError} naming an invalid option.
 */
export function convertToSupra(model: CausalLM, options: ConvertToSupraOptions = {}): SupraLM {
  const settings = resolveSupraOptions(model.config, options);
  const copy = options.copyWeights ?? true;
  const weights = new Map<string, Tensor>();
  for (const [name, t] of model.weights) weights.set(name, copy ? copyOf(t) : t);
  const maps = initFeatureMaps(
    model.backend,
    model.config,
    settings,
    options.featureInit ?? 'torch-default',
    options.seed ?? 0,
  );
  for (const [name, t] of maps) weights.set(name, t);
  return new SupraLM(model.config, weights, model.backend, settings);
}
