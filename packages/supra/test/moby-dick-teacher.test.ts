import { join } from 'node:path';
import { cpuBackend } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { loadMobyDick } from '../experiments/corpus.js';
import { convertToSupra, evaluatePerplexity, generate, TransformerLM } from '../src/index.js';
import { loadPretrained } from '../src/node/index.js';

const DIR = join(import.meta.dirname, '..', 'experiments', 'moby-dick-teacher');

describe('the committed Moby Dick teacher (experiments/moby-dick-teacher)', () => {
  it('loads with its tokenizer, beats a uniform model by far on held-out text, and generates', async () => {
    const cpu = cpuBackend();
    const { model, tokenizer } = await loadPretrained(DIR, { backend: cpu });
    expect(model).toBeInstanceOf(TransformerLM);
    expect(tokenizer!.vocabSize).toBe(2048);
    const heldOut = Int32Array.from(tokenizer!.encode(loadMobyDick().heldOut));
    const { perplexity } = await evaluatePerplexity(model, heldOut, { seqLength: 128, maxWindows: 4 });
    expect(perplexity).toBeLessThan(200);
    const prompt = tokenizer!.encode('Call me Ishmael.');
    const greedy = await generate(model, prompt, { maxNewTokens: 8, temperature: 0 });
    expect(greedy.tokens).toHaveLength(8);
    const supra = await generate(convertToSupra(model), prompt, { maxNewTokens: 8, temperature: 0 });
    expect(supra.tokens).toHaveLength(8);
  });
});
