import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBackend } from '@aaren/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { initWeights, parseModelConfig, TransformerLM } from '../src/index.js';
import { saveModel } from '../src/node/index.js';
import { FIXTURES } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'supra-cli-'));
  const config = parseModelConfig({
    architectures: ['LlamaForCausalLM'],
    vocab_size: 377,
    hidden_size: 16,
    intermediate_size: 24,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    eos_token_id: 376,
  });
  const cpu = cpuBackend();
  await saveModel(join(dir, 'teacher'), new TransformerLM(config, initWeights(cpu, config), cpu), {
    tokenizerFrom: join(FIXTURES, 'tokenizer'),
  });
  const text = readFileSync(join(FIXTURES, 'make_tokenizer.py'), 'utf8');
  writeFileSync(join(dir, 'corpus.txt'), text.repeat(3));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('supra CLI', () => {
  it('converts, uptrains (resumably), evaluates and generates', async () => {
    const supra = join(dir, 'supra');
    expect((await run(['convert', join(dir, 'teacher'), supra, '--chunk-size', '16'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(supra, 'config.json'), 'utf8')).supra.chunk_size).toBe(16);
    expect(existsSync(join(supra, 'tokenizer.json'))).toBe(true);

    const trained = join(dir, 'trained');
    const common = ['--text', join(dir, 'corpus.txt'), '--seq-length', '16', '--batch-size', '2'];
    const up = await run(['uptrain', supra, trained, ...common, '--steps', '4', '--checkpoint-every', '2']);
    expect(up.code).toBe(0);
    expect(up.err).toContain('uptrain [');
    expect(up.out).toMatch(/held-out loss \d+\.\d+ perplexity/);
    expect(JSON.parse(readFileSync(join(trained, 'trainer_state.json'), 'utf8')).step).toBe(4);

    const evaluated = await run(['eval', trained, '--text', join(dir, 'corpus.txt'), '--seq-length', '16']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.out).toMatch(/^loss \d+\.\d+ perplexity \d+\.\d+/);

    const generated = await run(['generate', trained, '--prompt', 'Call me', '--max-new-tokens', '5']);
    expect(generated.code).toBe(0);
    expect(generated.out.startsWith('Call me')).toBe(true);
    expect(generated.err).toMatch(/tokens \((max-tokens|stop-token)\); decoding cache \d+ bytes/);
  });

  it('prints usage and reports errors without a stack trace', async () => {
    expect((await run([])).code).toBe(0);
    expect((await run(['bogus'])).code).toBe(2);
    const missing = await run(['convert', join(dir, 'nope'), join(dir, 'out')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('config.json');
  });
});
