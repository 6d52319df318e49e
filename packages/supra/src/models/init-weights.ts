/**
 * Fresh weights for a config (training from scratch), initialised as `transformers` does: linear and
 * embedding weights from N(0, initializer_range²), biases zero, norm scales one.
 * @packageDocumentation
 */
import { type Backend, createRng, ones, randomNormal, type Tensor, zeros } from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';
import { expectedWeights } from '../weights/expected-weights.js';

/** Options of {@link initWeights}. */
export interface InitWeightsOptions {
  /** Seed of the generator. Default 0. */
  readonly seed?: number;
  /** Standard deviation of the weights. Default `initializer_range` of the config, else 0.02. */
  readonly std?: number;
}

function isNormScale(config: ModelConfig, name: string, rank: number): boolean {
  if (rank !== 1) return false;
  if (config.family === 'llama') return name.endsWith('norm.weight');
  return /(ln_1|ln_2|ln_f)\.weight$/.test(name);
}

/** Every weight of `expectedWeights(config)`, freshly initialised on `backend`. */
export function initWeights(
  backend: Backend,
  config: ModelConfig,
  options: InitWeightsOptions = {},
): Map<string, Tensor> {
  const rng = createRng(options.seed ?? 0);
  const range = config.raw.initializer_range;
  const std = options.std ?? (typeof range === 'number' ? range : 0.02);
  const out = new Map<string, Tensor>();
  for (const { name, shape } of expectedWeights(config)) {
    if (isNormScale(config, name, shape.length)) out.set(name, ones(backend, shape));
    else if (shape.length === 1) out.set(name, zeros(backend, shape));
    else out.set(name, randomNormal(backend, [...shape], rng, 0, std));
  }
  return out;
}
