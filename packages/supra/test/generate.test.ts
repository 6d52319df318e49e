import { join } from 'node:path';
import { argmax, cpuBackend, noGrad, sliceAxis } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { type CausalLM, convertToSupra, generate, ModelInputError, type TokenEvent } from '../src/index.js';
import { loadPretrained } from '../src/node/index.js';
import { FIXTURES, idsTensor } from './helpers.js';

/** Greedy continuation by re-running the full forward on the whole sequence each step (no cache). */
function greedyWithoutCache(model: CausalLM, prompt: number[], n: number): number[] {
  const ids = [...prompt];
  for (let i = 0; i < n; i++) {
    const next = noGrad(() => {
      const logits = model.forward(idsTensor(model.backend, [ids]));
      return argmax(sliceAxis(logits, 1, ids.length - 1, 1), -1).dataSync()[0]!;
    });
    ids.push(next);
  }
  return ids.slice(prompt.length);
}

describe('generate', () => {
  it.each(['llama-gqa-llama3', 'mistral-window-bf16', 'gpt2'])(
    '%s: greedy decoding with the KV cache and with the SUPRA state equals full recomputation',
    async (name) => {
      const cpu = cpuBackend();
      const { model } = await loadPretrained(join(FIXTURES, name), { backend: cpu });
      const prompt = [3, 14, 15, 9, 2, 6];
      for (const lm of [model, convertToSupra(model, { chunkSize: 4 })]) {
        const { tokens, finishReason } = await generate(lm, prompt, { maxNewTokens: 10, temperature: 0 });
        expect(finishReason).toBe('max-tokens');
        expect(tokens).toEqual(greedyWithoutCache(lm, prompt, 10));
      }
    },
  );

  it('streams tokens, stops at stop tokens or when the callback says so, and reproduces from the seed', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'llama-gqa-llama3'), { backend: cpu });
    const options = { maxNewTokens: 12, temperature: 1.2, topK: 20, topP: 0.9, seed: 3 };
    const streamed: number[] = [];
    const first = await generate(model, [1, 2, 3], {
      ...options,
      onToken: (t) => {
        streamed.push(t);
        return undefined;
      },
    });
    expect(streamed).toEqual(first.tokens);
    expect((await generate(model, [1, 2, 3], options)).tokens).toEqual(first.tokens);
    const stop = first.tokens[4]!;
    const stopped = await generate(model, [1, 2, 3], { ...options, stopTokens: [stop] });
    expect(stopped.finishReason).toBe('stop-token');
    expect(stopped.tokens).toEqual(first.tokens.slice(0, first.tokens.indexOf(stop) + 1));
    const cut = await generate(model, [1, 2, 3], { ...options, onToken: (_, e) => e.index < 2 });
    expect(cut).toMatchObject({ finishReason: 'callback', tokens: first.tokens.slice(0, 3) });
  });

  it('keeps the SUPRA state constant while the KV cache grows', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'llama-gqa-llama3'), { backend: cpu });
    const supra = convertToSupra(model);
    const sizes = async (lm: CausalLM) => {
      const events: TokenEvent[] = [];
      await generate(lm, [5, 6, 7], {
        maxNewTokens: 100,
        temperature: 0,
        onToken: (_, e) => {
          events.push(e);
          return undefined;
        },
      });
      return events.map((e) => e.cacheBytes);
    };
    const kv = await sizes(model);
    expect(kv[kv.length - 1]!).toBeGreaterThan(kv[0]!);
    const state = await sizes(supra);
    expect(new Set(state).size).toBe(1);
    // 2 layers × 4 heads × 8 × 8 floats.
    expect(state[0]).toBe(2 * 4 * 8 * 8 * 4);
  });

  it('rejects an empty prompt and out-of-range ids', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'gpt2'), { backend: cpu });
    await expect(generate(model, [], { maxNewTokens: 1 })).rejects.toThrow(ModelInputError);
    await expect(generate(model, [64], { maxNewTokens: 1 })).rejects.toThrow(/promptIds/);
  });
});
