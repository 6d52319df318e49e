import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBackend, type DecodedTensor } from '@aaren/core';
import { readSafetensorsFile, writeSafetensorsFile } from '@aaren/core/node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckpointTensorError,
  loadWeights,
  parseModelConfig,
  UnsupportedArchitectureError,
  weightSourceFromDecoded,
} from '../src/index.js';
import { loadPretrained } from '../src/node/index.js';
import { FIXTURES, idsTensor, maxAbsDiff, readExpected } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'supra-ckpt-'));
  dirs.push(dir);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

async function rewrite(dir: string, edit: (tensors: Map<string, DecodedTensor>) => void): Promise<void> {
  const path = join(dir, 'model.safetensors');
  const { tensors } = await readSafetensorsFile(path);
  edit(tensors);
  const inputs = new Map(
    [...tensors].map(([n, t]) => [n, { dtype: 'F32' as const, shape: t.shape, data: t.data }]),
  );
  await writeSafetensorsFile(path, inputs);
}

describe('checkpoint validation', () => {
  it('names a missing tensor, its file and expected shape', async () => {
    const dir = copyFixture('gpt2');
    await rewrite(dir, (t) => t.delete('transformer.h.1.mlp.c_fc.weight'));
    const error = await loadPretrained(dir, { backend: cpuBackend() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointTensorError);
    const e = error as CheckpointTensorError;
    expect(e.problem).toBe('missing');
    expect(e.tensorName).toBe('transformer.h.1.mlp.c_fc.weight');
    expect(e.expectedShape).toEqual([32, 128]);
    expect(e.message).toContain(join(dir, 'model.safetensors'));
    expect(e.message).toContain('expected shape [32, 128], found none');
  });

  it('names a tensor of the wrong shape with both shapes', async () => {
    const dir = copyFixture('llama-gqa-llama3');
    await rewrite(dir, (t) => {
      t.set('model.layers.0.self_attn.k_proj.weight', {
        dtype: 'f32',
        shape: [32, 32],
        data: new Float32Array(32 * 32),
        storedDType: 'F32',
      });
    });
    await expect(loadPretrained(dir, { backend: cpuBackend() })).rejects.toThrow(
      /tensor 'model.layers.0.self_attn.k_proj.weight' has the wrong shape \(expected shape \[16, 32\], found \[32, 32\]\)/,
    );
  });

  it('rejects tensors the model does not use unless asked to ignore them', async () => {
    const dir = copyFixture('llama-gqa-llama3');
    await rewrite(dir, (t) => {
      t.set('model.layers.0.self_attn.extra.weight', {
        dtype: 'f32',
        shape: [2],
        data: new Float32Array(2),
        storedDType: 'F32',
      });
      t.set('model.layers.0.self_attn.rotary_emb.inv_freq', {
        dtype: 'f32',
        shape: [4],
        data: new Float32Array(4),
        storedDType: 'F32',
      });
    });
    await expect(loadPretrained(dir, { backend: cpuBackend() })).rejects.toThrow(/is not used by the model/);
    const { model } = await loadPretrained(dir, { backend: cpuBackend(), unexpected: 'ignore' });
    expect(model.weights.has('model.layers.0.self_attn.extra.weight')).toBe(false);
  });

  it('rejects an unsupported architecture from the folder', async () => {
    const dir = copyFixture('gpt2');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ ...config, architectures: ['BloomForCausalLM'] }),
    );
    await expect(loadPretrained(dir, { backend: cpuBackend() })).rejects.toThrow(
      UnsupportedArchitectureError,
    );
  });

  it('reports a folder without weights', async () => {
    const dir = copyFixture('gpt2');
    rmSync(join(dir, 'model.safetensors'));
    await expect(loadPretrained(dir, { backend: cpuBackend() })).rejects.toThrow(/neither model.safetensors/);
  });

  it('reads GPT-2 checkpoints saved without the transformer. prefix (with attn.bias buffers)', async () => {
    const cpu = cpuBackend();
    const { tensors } = await readSafetensorsFile(join(FIXTURES, 'gpt2', 'model.safetensors'));
    const unprefixed = new Map([...tensors].map(([n, t]) => [n.replace(/^transformer\./, ''), t]));
    unprefixed.set('h.0.attn.bias', {
      dtype: 'f32',
      shape: [1],
      data: new Float32Array(1),
      storedDType: 'F32',
    });
    const config = parseModelConfig(JSON.parse(readFileSync(join(FIXTURES, 'gpt2', 'config.json'), 'utf8')));
    const weights = await loadWeights(cpu, config, weightSourceFromDecoded('mem', unprefixed));
    expect(weights.has('transformer.wte.weight')).toBe(true);
    const { TransformerLM } = await import('../src/index.js');
    const model = new TransformerLM(config, weights, cpu);
    const expected = readExpected('gpt2');
    expect(
      maxAbsDiff(model.forward(idsTensor(cpu, expected.input_ids)).dataSync(), expected.logits),
    ).toBeLessThan(1e-4);
  });
});
