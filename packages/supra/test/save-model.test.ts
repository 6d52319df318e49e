import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBackend } from '@aaren/core';
import { afterEach, describe, expect, it } from 'vitest';
import { convertToSupra, SupraLM, TransformerLM } from '../src/index.js';
import { loadPretrained, saveModel } from '../src/node/index.js';
import { FIXTURES, idsTensor, readExpected } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'supra-save-'));
  dirs.push(d);
  return d;
};

describe('saveModel', () => {
  it('round-trips a SUPRA model (config supra section + feature maps), sharded, with the tokenizer', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'llama-gqa-llama3'), { backend: cpu });
    const supra = convertToSupra(model, { decay: 'retnet', chunkSize: 8 });
    const out = join(tmp(), 'supra');
    await saveModel(out, supra, { maxShardBytes: 20_000, tokenizerFrom: join(FIXTURES, 'tokenizer') });
    const files = readdirSync(out).sort();
    expect(files).toContain('model.safetensors.index.json');
    expect(files.filter((f) => f.endsWith('.safetensors')).length).toBeGreaterThan(1);
    expect(files).toContain('tokenizer.json');
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.supra).toMatchObject({ normalization: 'group-norm', chunk_size: 8, feature_dim: 8 });
    expect(config.rope_scaling.rope_type).toBe('llama3');
    const loaded = await loadPretrained(out, { backend: cpu });
    expect(loaded.model).toBeInstanceOf(SupraLM);
    expect((loaded.model as SupraLM).settings).toEqual(supra.settings);
    expect(loaded.tokenizer?.vocabSize).toBe(377);
    const ids = idsTensor(cpu, readExpected('llama-gqa-llama3').input_ids);
    expect(loaded.model.forward(ids).dataSync()).toEqual(supra.forward(ids).dataSync());
  });

  it('round-trips a source model in bf16 into a single file', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'mistral-window-bf16'), { backend: cpu });
    const out = tmp();
    await saveModel(out, model, { dtype: 'BF16' });
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).torch_dtype).toBe('bfloat16');
    const loaded = await loadPretrained(out, { backend: cpu });
    expect(loaded.model).toBeInstanceOf(TransformerLM);
    const ids = idsTensor(cpu, readExpected('mistral-window-bf16').input_ids);
    // The fixture's weights are bf16 values, so storing them as bf16 is lossless.
    expect(loaded.model.forward(ids).dataSync()).toEqual(model.forward(ids).dataSync());
  });

  it('stores f16 weights that load back as f32 (rounded to half precision)', async () => {
    const cpu = cpuBackend();
    const { model } = await loadPretrained(join(FIXTURES, 'gpt2'), { backend: cpu });
    const out = tmp();
    await saveModel(out, model, { dtype: 'F16' });
    const loaded = await loadPretrained(out, { backend: cpu });
    const a = model.weights.get('transformer.h.0.attn.c_attn.weight')!.dataSync();
    const b = loaded.model.weights.get('transformer.h.0.attn.c_attn.weight')!.dataSync();
    expect(b).not.toEqual(a);
    for (let i = 0; i < a.length; i++)
      expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(Math.abs(a[i]!) * 2 ** -11 + 1e-7);
  });
});
