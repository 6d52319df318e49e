/**
 * End to end for SUPRA on the GPU: a tiny random Llama (grouped-query attention) converted to SUPRA gives
 * the same uptraining step losses on WebGPU as on the CPU backend, and the same greedy tokens when decoding
 * with its recurrent state. Tolerance: relative 2e-3 per step — f32 summation orders differ between the
 * backends and compound over the AdamW steps.
 */
import { type Backend, cpuBackend } from '@aaren/core';
import {
  convertToSupra,
  generate,
  initWeights,
  parseModelConfig,
  TokenWindows,
  Trainer,
  TransformerLM,
} from '@aaren/supra';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebGPUBackend, type WebGPUBackend } from './create-backend.js';
import { requestNodeAdapter } from './node.js';
import { describeGpu } from './testing/node-adapter.js';

const LOSS_RTOL = 2e-3;

const config = parseModelConfig({
  architectures: ['LlamaForCausalLM'],
  vocab_size: 64,
  hidden_size: 16,
  intermediate_size: 32,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
});

/** Uptrains a freshly converted model for a few steps; returns the step losses and a greedy continuation. */
async function uptrain(backend: Backend): Promise<{ losses: number[]; tokens: number[] }> {
  const teacher = new TransformerLM(config, initWeights(backend, config, { seed: 11 }), backend);
  const supra = convertToSupra(teacher, { chunkSize: 8 });
  const tokens = Int32Array.from({ length: 400 }, (_, i) => (i * 7 + (i >> 2)) % 64);
  const losses: number[] = [];
  const trainer = new Trainer(supra, new TokenWindows(tokens, 16, 3), {
    steps: 5,
    batchSize: 2,
    lr: 5e-3,
    warmupSteps: 1,
  });
  await trainer.run({ onProgress: (p) => losses.push(p.loss) });
  const generated = await generate(supra, [1, 2, 3, 4], { maxNewTokens: 6, temperature: 0 });
  return { losses, tokens: generated.tokens };
}

describeGpu('SUPRA uptraining and decoding', () => {
  let gpu: WebGPUBackend;
  beforeAll(async () => {
    gpu = await createWebGPUBackend({ adapter: await requestNodeAdapter() });
  });
  afterAll(() => gpu?.dispose());

  it(`gives the CPU's step losses within a relative ${LOSS_RTOL} and the same greedy tokens`, async () => {
    const reference = await uptrain(cpuBackend());
    const ours = await uptrain(gpu);
    expect(ours.losses).toHaveLength(5);
    for (let i = 0; i < ours.losses.length; i++) {
      const rel = Math.abs(ours.losses[i]! - reference.losses[i]!) / Math.abs(reference.losses[i]!);
      expect(rel, `step ${i + 1}: webgpu ${ours.losses[i]} vs cpu ${reference.losses[i]}`).toBeLessThan(
        LOSS_RTOL,
      );
    }
    expect(ours.tokens).toEqual(reference.tokens);
  });
});
