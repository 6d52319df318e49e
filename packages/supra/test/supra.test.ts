import { join } from 'node:path';
import { alibiSlopes } from '@aaren/attention';
import { cpuBackend, noGrad, type Tensor } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { convertToSupra, SupraOptionError, supraSlopes } from '../src/index.js';
import { loadPretrained } from '../src/node/index.js';
import { FIXTURES, idsTensor, readExpected } from './helpers.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Runs `model` token by token from a prefix of `prefix` tokens and reassembles logits `[B, T, V]`. */
function decodeLogits(
  model: { forward(ids: Tensor, o: { cache: never }): Tensor; createCache(b: number): unknown },
  ids: number[][],
  prefix: number,
  vocab: number,
): { logits: Float32Array; bytes: number[] } {
  const cpu = cpuBackend();
  const cache = model.createCache(ids.length) as { byteLength(): number };
  const t = ids[0]!.length;
  const out = new Float32Array(ids.length * t * vocab);
  const bytes: number[] = [];
  let pos = 0;
  while (pos < t) {
    const n = pos === 0 ? prefix : 1;
    const block = model
      .forward(
        idsTensor(
          cpu,
          ids.map((r) => r.slice(pos, pos + n)),
        ),
        { cache: cache as never },
      )
      .dataSync();
    for (let b = 0; b < ids.length; b++) {
      out.set(block.subarray(b * n * vocab, (b + 1) * n * vocab), (b * t + pos) * vocab);
    }
    bytes.push(cache.byteLength());
    pos += n;
  }
  return { logits: out, bytes };
}

describe('SUPRA conversion', () => {
  it('uses the ALiBi slopes by default and the reference decay_start otherwise', () => {
    expect(supraSlopes(8)).toEqual(alibiSlopes(8));
    expect(supraSlopes(12)).toEqual(alibiSlopes(12));
    expect(supraSlopes(4, 0.5)).toEqual([0.5, 0.125, 0.03125, 0.0078125]);
  });

  describe.each(['llama-gqa-llama3', 'llama-sharded-linear', 'mistral-window-bf16', 'gpt2'])('%s', (name) => {
    it('chunked-parallel forward equals recurrent decoding, with a state of constant size', async () => {
      const cpu = cpuBackend();
      const { model } = await loadPretrained(join(FIXTURES, name), { backend: cpu });
      const supra = convertToSupra(model, { chunkSize: 4 });
      const { input_ids: ids } = readExpected(name);
      const parallel = noGrad(() => supra.forward(idsTensor(cpu, ids)).dataSync());
      const v = supra.config.vocabSize;
      const decoded = noGrad(() => decodeLogits(supra as never, ids, 5, v));
      expect(maxDiff(parallel, decoded.logits)).toBeLessThan(1e-4);
      expect(new Set(decoded.bytes).size).toBe(1);
      // A different chunk size gives the same logits.
      const other = convertToSupra(model, { chunkSize: 64 });
      expect(maxDiff(parallel, other.forward(idsTensor(cpu, ids)).dataSync())).toBeLessThan(1e-4);
    });
  });

  it('keeps every source weight (copied by default) and adds only the feature maps', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'llama-gqa-llama3'), { backend: cpu });
    const supra = convertToSupra(model);
    for (const [n, t] of model.weights) {
      expect(supra.weights.get(n)).not.toBe(t);
      expect(maxDiff(supra.weights.get(n)!.dataSync(), t.dataSync())).toBe(0);
    }
    const added = [...supra.weights.keys()].filter((n) => !model.weights.has(n));
    expect(added).toEqual([
      'model.layers.0.self_attn.feature_map.weight',
      'model.layers.0.self_attn.feature_map.bias',
      'model.layers.0.self_attn.feature_map_kv.weight',
      'model.layers.0.self_attn.feature_map_kv.bias',
      'model.layers.1.self_attn.feature_map.weight',
      'model.layers.1.self_attn.feature_map.bias',
      'model.layers.1.self_attn.feature_map_kv.weight',
      'model.layers.1.self_attn.feature_map_kv.bias',
    ]);
    expect(supra.weights.get('model.layers.0.self_attn.feature_map.weight')!.shape).toEqual([32, 32]);
    expect(supra.weights.get('model.layers.0.self_attn.feature_map_kv.weight')!.shape).toEqual([16, 16]);
    const shared = convertToSupra(model, { copyWeights: false });
    expect(shared.weights.get('model.norm.weight')).toBe(model.weights.get('model.norm.weight'));
  });

  it('accepts every option and rejects invalid ones by name', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'llama-sharded-linear'), { backend: cpu });
    const ids = idsTensor(cpu, readExpected('llama-sharded-linear').input_ids);
    for (const options of [
      { featureDim: 4, featureBias: false, decay: 'retnet' as const },
      { featureInit: 'identity' as const, rope: false, decay: 'none' as const },
      { normalization: 'denominator' as const, shareFeatureMap: false, decay: [0.9, 0.8, 0.7] },
      { normalization: 'none' as const, keyScale: 0.5, decayStart: 0.25 },
    ]) {
      const supra = convertToSupra(model, options);
      const logits = supra.forward(ids).dataSync();
      expect(logits.every(Number.isFinite)).toBe(true);
    }
    expect(() => convertToSupra(model, { featureDim: 3 })).toThrow(SupraOptionError);
    expect(() => convertToSupra(model, { decay: [0.5] })).toThrow(/option 'decay' must give 3 values/);
    expect(() => convertToSupra(model, { featureInit: 'identity', featureDim: 4 })).toThrow(/featureInit/);
  });
});
