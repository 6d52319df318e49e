import { cpuBackend, createRng, noGrad, randomNormal, tensor, tidy } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { ModuleStateError, ParameterMismatchError, StreamingStateError } from '../errors.js';
import { AarenStack } from '../models/aaren-stack.js';
import { TransformerStack } from '../models/transformer-stack.js';
import { Linear } from './linear.js';

const backend = cpuBackend();
const config = { dModel: 8, heads: 2, dFF: 16, layers: 2 };

describe('Module', () => {
  it('initialises deterministically from a seed, in declaration order', () => {
    const a = new AarenStack(config).init(backend, createRng(1));
    const b = new AarenStack(config).init(backend, createRng(1));
    const c = new AarenStack(config).init(backend, createRng(2));
    const first = (m: AarenStack) => m.parameters().get('layers.0.attn.query')!.dataSync();
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
    for (const p of a.parameters().values()) expect(p.requiresGrad).toBe(true);
  });

  it('matches torch.nn.Linear initialisation bounds and LayerNorm defaults', () => {
    const lin = new Linear(16, 4).init(backend, createRng(0));
    const w = lin.weight.dataSync();
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(0.25);
    const stack = new TransformerStack(config).init(backend, createRng(0));
    expect(Array.from(stack.parameters().get('layers.0.norm1.weight')!.dataSync())).toEqual(
      new Array(8).fill(1),
    );
  });

  it('keeps parameters alive across tidy scopes', () => {
    const m = tidy(() => new AarenStack(config).init(backend, createRng(0)));
    expect(() => m.forward(randomNormal(backend, [1, 3, 8], createRng(0)))).not.toThrow();
  });

  it('loads parameters in place, checking names and shapes', () => {
    const a = new AarenStack(config).init(backend, createRng(1));
    const b = new AarenStack(config).init(backend, createRng(2));
    const objects = [...b.parameters().values()];
    b.loadParameters(backend, a.parameters());
    expect([...b.parameters().values()]).toEqual(objects);
    expect(b.parameters().get('layers.1.ffn.linear2.weight')!.dataSync()).toEqual(
      a.parameters().get('layers.1.ffn.linear2.weight')!.dataSync(),
    );
    const missing = new Map(a.parameters());
    missing.delete('layers.0.attn.query');
    expect(() => b.loadParameters(backend, missing)).toThrow(/'layers.0.attn.query' is missing/);
    const wrong = new Map(a.parameters());
    wrong.set('layers.0.attn.query', tensor(backend, [1, 2]));
    expect(() => b.loadParameters(backend, wrong)).toThrow(ParameterMismatchError);
    const extra = new Map(a.parameters());
    extra.set('layers.9.x', tensor(backend, [1]));
    expect(() => b.loadParameters(backend, extra)).toThrow(/'layers.9.x' is not a parameter/);
    const fresh = new AarenStack(config).loadParameters(backend, a.parameters());
    expect(fresh.paramCount()).toBe(a.paramCount());
  });

  it('reports use before init', () => {
    const m = new AarenStack(config);
    expect(m.paramCount()).toBeGreaterThan(0);
    expect(() => m.parameters()).toThrow(ModuleStateError);
    expect(() => m.forward(randomNormal(backend, [1, 3, 8], createRng(0)))).toThrow(/before init/);
  });

  it('withParameters substitutes tensors temporarily', () => {
    const m = new AarenStack(config).init(backend, createRng(1));
    const x = randomNormal(backend, [1, 4, 8], createRng(3));
    const base = noGrad(() => m.forward(x)).dataSync();
    const q = m.parameters().get('layers.0.attn.query')!;
    const other = randomNormal(backend, q.shape, createRng(9));
    const changed = m.withParameters(new Map([['layers.0.attn.query', other]]), () =>
      noGrad(() => m.forward(x)).dataSync(),
    );
    expect(changed).not.toEqual(base);
    expect(noGrad(() => m.forward(x)).dataSync()).toEqual(base);
  });
});

describe('streaming state errors', () => {
  it('names a state from another stack, a disposed state, and a wrong token shape', () => {
    const a = new AarenStack(config).init(backend, createRng(1));
    const b = new AarenStack(config).init(backend, createRng(1));
    const state = a.createState(2);
    const x = randomNormal(backend, [2, 8], createRng(0));
    expect(() => b.step(state, x)).toThrow(StreamingStateError);
    expect(() => a.step(state, randomNormal(backend, [3, 8], createRng(0)))).toThrow(
      /x must be \[B, d_model\] = \[2, 8\]/,
    );
    state.dispose();
    expect(() => a.step(state, x)).toThrow(/disposed/);
    const t = new TransformerStack(config).init(backend, createRng(1));
    const cache = t.createCache(2);
    cache.dispose();
    expect(() => t.step(cache, x)).toThrow(/disposed/);
  });
});
