/**
 * SUPRA's new weights: the feature map φ(x) = ReLU(W x + b) of each layer, a Linear over all heads at once
 * (the reference's `_totrain_embed`, hidden → hidden), and under grouped-query attention a second one over
 * the key/value heads (`_totrain_embed_kv`).
 * @packageDocumentation
 */
import { type Backend, createRng, linearInit, type Tensor, tensor, zeros } from '@aaren/core';
import type { ModelConfig } from '../config/model-config.js';
import { type ExpectedTensor, gpt2LayerNames, llamaLayerNames } from '../weights/expected-weights.js';
import { hasKeyFeatureMap, type SupraSettings } from './supra-options.js';

/** Names of the feature-map weights of layer `i` (without `.weight`/`.bias`). */
export function featureMapNames(config: ModelConfig, i: number): { query: string; key: string } {
  const n = config.family === 'llama' ? llamaLayerNames(i) : gpt2LayerNames(i);
  return { query: n.featureMap, key: n.featureMapKv };
}

/** The feature-map tensors a SUPRA model of `config` needs, with their shapes. */
export function supraExtraWeights(config: ModelConfig, settings: SupraSettings): ExpectedTensor[] {
  const kvHeads = config.family === 'llama' ? config.numKeyValueHeads : config.numHeads;
  const out: ExpectedTensor[] = [];
  const add = (name: string, heads: number) => {
    out.push({ name: `${name}.weight`, shape: [heads * settings.featureDim, heads * config.headDim] });
    if (settings.featureBias) out.push({ name: `${name}.bias`, shape: [heads * settings.featureDim] });
  };
  for (let i = 0; i < config.numLayers; i++) {
    const names = featureMapNames(config, i);
    add(names.query, config.numHeads);
    if (hasKeyFeatureMap(config, settings)) add(names.key, kvHeads);
  }
  return out;
}

function identity(backend: Backend, n: number): Tensor {
  const data = new Float32Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return tensor(backend, data, [n, n]);
}

/**
 * Fresh feature-map weights for every layer: `nn.Linear`'s default initialisation from a generator seeded
 * with `seed` (layer by layer, query map then key map), or the identity.
 */
export function initFeatureMaps(
  backend: Backend,
  config: ModelConfig,
  settings: SupraSettings,
  init: 'torch-default' | 'identity',
  seed: number,
): Map<string, Tensor> {
  const rng = createRng(seed);
  const out = new Map<string, Tensor>();
  for (const e of supraExtraWeights(config, settings)) {
    if (!e.name.endsWith('.weight')) continue;
    const base = e.name.slice(0, -'.weight'.length);
    const [rows = 0, cols = 0] = e.shape;
    if (init === 'identity') {
      out.set(e.name, identity(backend, rows));
      if (settings.featureBias) out.set(`${base}.bias`, zeros(backend, [rows]));
    } else {
      const { weight, bias } = linearInit(backend, rng, rows, cols);
      out.set(e.name, weight);
      if (settings.featureBias) out.set(`${base}.bias`, bias);
      else bias.dispose();
    }
  }
  return out;
}
