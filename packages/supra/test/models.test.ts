import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuBackend, tensor } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import {
  CheckpointTensorError,
  causalAttentionBias,
  type LlamaConfig,
  ModelInputError,
  parseModelConfig,
  ropeParameters,
  TransformerLM,
} from '../src/index.js';
import { loadPretrained } from '../src/node/index.js';
import { FIXTURES, idsTensor, maxAbsDiff, readExpected } from './helpers.js';

describe('TransformerLM', () => {
  it('depends on the sliding window: without it the Mistral logits differ from the reference', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'mistral-window-bf16'), { backend: cpu });
    const raw = JSON.parse(readFileSync(join(FIXTURES, 'mistral-window-bf16', 'config.json'), 'utf8'));
    const noWindow = new TransformerLM(
      parseModelConfig({ ...raw, sliding_window: null }),
      model.weights,
      cpu,
    );
    const expected = readExpected('mistral-window-bf16');
    const ids = idsTensor(cpu, expected.input_ids);
    expect(maxAbsDiff(model.forward(ids).dataSync(), expected.logits)).toBeLessThan(1e-4);
    expect(maxAbsDiff(noWindow.forward(ids).dataSync(), expected.logits)).toBeGreaterThan(1e-2);
  });

  it('builds the causal and sliding-window masks', () => {
    const cpu = cpuBackend();
    const inf = Number.NEGATIVE_INFINITY;
    expect([...causalAttentionBias(cpu, 0, 3, null)!.dataSync()]).toEqual([0, inf, inf, 0, 0, inf, 0, 0, 0]);
    // Query at position 3 with window 2 sees keys 2 and 3.
    expect([...causalAttentionBias(cpu, 3, 1, 2)!.dataSync()]).toEqual([inf, inf, 0, 0]);
    expect(causalAttentionBias(cpu, 5, 1, null)).toBeNull();
  });

  it('uses length-dependent frequencies for dynamic NTK scaling past max_position_embeddings', () => {
    const c = parseModelConfig({
      architectures: ['LlamaForCausalLM'],
      vocab_size: 8,
      hidden_size: 16,
      intermediate_size: 8,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      max_position_embeddings: 32,
      rope_scaling: { rope_type: 'dynamic', factor: 2 },
    }) as LlamaConfig;
    expect(ropeParameters(c, 10).inverseFrequencies).toEqual(ropeParameters(c, 32).inverseFrequencies);
    expect(ropeParameters(c, 64).inverseFrequencies[1]).toBeLessThan(
      ropeParameters(c, 32).inverseFrequencies[1]!,
    );
  });

  it('checks weights and inputs with typed errors', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'gpt2'), { backend: cpu });
    const partial = new Map(model.weights);
    partial.delete('transformer.ln_f.bias');
    expect(() => new TransformerLM(model.config, partial, cpu)).toThrow(CheckpointTensorError);
    expect(() => model.forward(tensor(cpu, Int32Array.of(1, 2, 3), [3], 'i32'))).toThrow(ModelInputError);
    expect(() => model.forward(tensor(cpu, [[1, 2]]))).toThrow(
      /must be an i32 tensor \[B, T\], found shape \[1, 2\]/,
    );
    const tooLong = idsTensor(cpu, [Array.from({ length: 33 }, () => 1)]);
    expect(() => model.forward(tooLong)).toThrow(ModelInputError);
  });
});
