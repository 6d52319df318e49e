import { join } from 'node:path';
import { cpuBackend } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { SupraLM } from '../src/index.js';
import { loadPretrained } from '../src/node/index.js';
import { FIXTURES, idsTensor, maxAbsDiff, readExpected } from './helpers.js';

/** Our f32 logits must match the PyTorch reference forward of make_fixtures.py within this. */
const TOLERANCE = 1e-4;

describe.each([
  ['llama-gqa-llama3', 'LlamaForCausalLM (GQA, llama3 RoPE scaling, tied embeddings)'],
  ['llama-sharded-linear', 'LlamaForCausalLM (sharded, linear RoPE scaling, biases, untied)'],
  ['mistral-window-bf16', 'MistralForCausalLM (sliding window 5 < 12 tokens, bf16 weights, MQA)'],
  ['gpt2', 'GPT2LMHeadModel (learned positions, Conv1D, gelu_new)'],
])('%s: %s', (name) => {
  it('gives the logits of the PyTorch reference', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, name), { backend: cpu });
    const expected = readExpected(name);
    const logits = model.forward(idsTensor(cpu, expected.input_ids));
    expect(logits.shape).toEqual([2, expected.input_ids[0]!.length, model.config.vocabSize]);
    expect(maxAbsDiff(logits.dataSync(), expected.logits)).toBeLessThan(TOLERANCE);
  });

  it('gives the same logits when decoding token by token with the KV cache', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, name), { backend: cpu });
    const expected = readExpected(name);
    const cache = model.createCache(2);
    const t = expected.input_ids[0]!.length;
    const prefix = 5;
    const rows: Float32Array[] = [];
    const first = model.forward(
      idsTensor(
        cpu,
        expected.input_ids.map((r) => r.slice(0, prefix)),
      ),
      { cache },
    );
    rows.push(first.dataSync() as Float32Array);
    for (let i = prefix; i < t; i++) {
      const step = model.forward(
        idsTensor(
          cpu,
          expected.input_ids.map((r) => r.slice(i, i + 1)),
        ),
        { cache },
      );
      rows.push(step.dataSync() as Float32Array);
    }
    expect(cache.position).toBe(t);
    const v = model.config.vocabSize;
    // Reassemble [B, T, V] from the per-call [B, n, V] blocks.
    const lengths = [prefix, ...Array.from({ length: t - prefix }, () => 1)];
    const out = new Float32Array(2 * t * v);
    let offset = 0;
    rows.forEach((block, k) => {
      const n = lengths[k]!;
      for (let b = 0; b < 2; b++) out.set(block.subarray(b * n * v, (b + 1) * n * v), (b * t + offset) * v);
      offset += n;
    });
    expect(maxAbsDiff(out, expected.logits)).toBeLessThan(TOLERANCE);
  });
});

describe.each([
  ['supra-llama-gqa', 'SUPRA Llama (GQA: separate key feature map, llama3 RoPE after φ)'],
  ['supra-gpt2', 'SUPRA GPT-2 (shared feature map, no RoPE)'],
])('%s: %s', (name) => {
  it('loads as a SupraLM and gives the logits of the PyTorch recurrence of the reference code', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, name), { backend: cpu });
    expect(model).toBeInstanceOf(SupraLM);
    const expected = readExpected(name);
    const logits = model.forward(idsTensor(cpu, expected.input_ids));
    expect(maxAbsDiff(logits.dataSync(), expected.logits)).toBeLessThan(TOLERANCE);
  });
});
