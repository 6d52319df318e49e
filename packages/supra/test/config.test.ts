import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  type LlamaConfig,
  parseModelConfig,
  ropeParameters,
  UnsupportedArchitectureError,
} from '../src/index.js';
import { FIXTURES } from './helpers.js';

const llama = {
  architectures: ['LlamaForCausalLM'],
  vocab_size: 10,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 1,
  num_attention_heads: 4,
};

describe('parseModelConfig', () => {
  it('applies the defaults of transformers LlamaConfig', () => {
    const c = parseModelConfig(llama) as LlamaConfig;
    expect(c).toMatchObject({
      family: 'llama',
      architecture: 'LlamaForCausalLM',
      numKeyValueHeads: 4,
      headDim: 4,
      rmsNormEps: 1e-6,
      ropeTheta: 10000,
      ropeScaling: { type: 'default' },
      tieWordEmbeddings: false,
      attentionBias: false,
      slidingWindow: null,
      maxPositionEmbeddings: 2048,
    });
  });

  it('reads Mistral sliding windows (default 4096, null for none)', () => {
    const base = { ...llama, architectures: ['MistralForCausalLM'] };
    expect((parseModelConfig(base) as LlamaConfig).slidingWindow).toBe(4096);
    expect((parseModelConfig({ ...base, sliding_window: null }) as LlamaConfig).slidingWindow).toBeNull();
    expect((parseModelConfig({ ...base, sliding_window: 7 }) as LlamaConfig).slidingWindow).toBe(7);
  });

  it('falls back to model_type and reads GPT-2 defaults', () => {
    const c = parseModelConfig({ model_type: 'gpt2', n_embd: 8, n_head: 2, n_layer: 1 });
    expect(c).toMatchObject({
      architecture: 'GPT2LMHeadModel',
      innerSize: 32,
      headDim: 4,
      maxPositionEmbeddings: 1024,
      tieWordEmbeddings: true,
      activation: 'gelu_new',
    });
  });

  it('reads rope_scaling in its old ("type") and new ("rope_type") forms, and rope_parameters', () => {
    const old = parseModelConfig({ ...llama, rope_scaling: { type: 'linear', factor: 2 } }) as LlamaConfig;
    expect(old.ropeScaling).toEqual({ type: 'linear', factor: 2 });
    const v5 = parseModelConfig({
      ...llama,
      rope_parameters: { rope_type: 'dynamic', factor: 3, rope_theta: 500 },
    }) as LlamaConfig;
    expect(v5.ropeScaling).toEqual({ type: 'dynamic', factor: 3 });
    expect(v5.ropeTheta).toBe(500);
  });

  it('rejects unsupported architectures with a typed error naming them', () => {
    const run = () =>
      parseModelConfig({ architectures: ['FalconForCausalLM'] }, { fileName: 'f/config.json' });
    expect(run).toThrow(UnsupportedArchitectureError);
    expect(run).toThrow(/f\/config.json: architecture 'FalconForCausalLM' is not supported/);
  });

  it('names the field of invalid values', () => {
    expect(() => parseModelConfig({ ...llama, num_key_value_heads: 3 })).toThrow(ConfigError);
    expect(() => parseModelConfig({ ...llama, hidden_size: 'x' })).toThrow(
      /field 'hidden_size' must be a positive/,
    );
    expect(() => parseModelConfig({ ...llama, rope_scaling: { rope_type: 'longrope' } })).toThrow(
      /rope_scaling.rope_type' 'longrope' is not supported/,
    );
    expect(() => parseModelConfig({ ...llama, rope_scaling: { rope_type: 'llama3', factor: 8 } })).toThrow(
      /rope_scaling.low_freq_factor' is required/,
    );
    expect(() => parseModelConfig({ ...llama, hidden_act: 'swish' })).toThrow(/hidden_act/);
  });
});

interface RopeCase {
  name: string;
  config: Record<string, unknown>;
  seq_len: number | null;
  inv_freq: number[];
  attention_factor: number;
}

describe('ropeParameters', () => {
  const cases = JSON.parse(readFileSync(join(FIXTURES, 'rope-frequencies.json'), 'utf8')) as RopeCase[];
  it.each(cases.map((c) => [c.name, c] as const))(
    '%s matches the PyTorch transcription of modeling_rope_utils',
    (_, c) => {
      const config = parseModelConfig(c.config) as LlamaConfig;
      const p = ropeParameters(config, c.seq_len ?? 0);
      expect(p.attentionScaling).toBeCloseTo(c.attention_factor, 6);
      expect(p.inverseFrequencies.length).toBe(c.inv_freq.length);
      c.inv_freq.forEach((x, j) => {
        expect(Math.abs(p.inverseFrequencies[j]! - x)).toBeLessThanOrEqual(Math.abs(x) * 2e-7);
      });
    },
  );
});
