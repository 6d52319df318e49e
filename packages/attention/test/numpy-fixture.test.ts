/**
 * Against an outside computation: NumPy results kept in `__fixtures__/attention-fixture.json`, made by
 * `__fixtures__/make_attention_fixture.py` (float64, written independently of this package).
 */
import { readFileSync } from 'node:fs';
import { gradients, mul, requireGrad, sum } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import {
  alibiSlopes,
  attentionCell,
  attentionScan,
  attentionScanBlockwise,
  attentionScanFromScores,
  linearAttention,
  quadraticAttention,
} from '../src/index.js';
import { expectClose } from './helpers/close.js';
import { cpu, f32, read } from './helpers/tensors.js';

interface Fixture {
  attention: {
    batch: number;
    heads: number;
    length: number;
    dim: number;
    valueDim: number;
    scale: number;
    q: number[];
    k: number[];
    v: number[];
    mask: number[];
    projection: number[];
    output: number[];
    gradQ: number[];
    gradK: number[];
    gradV: number[];
  };
  pitfall: { scores: number[]; values: number[]; output: number[] };
  linear: {
    batch: number;
    heads: number;
    length: number;
    keyDim: number;
    valueDim: number;
    q: number[];
    k: number[];
    v: number[];
    decay: number[];
    output: number[];
    outputNormalized: number[];
  };
  alibi: Record<string, number[]>;
}

const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/attention-fixture.json', import.meta.url), 'utf8'),
) as Fixture;

/** f32 computation against float64 NumPy on the same (f32-rounded) inputs. */
const VALUE_TOL = { rtol: 1e-5, atol: 2e-6 };
/** NumPy's gradients are central differences with h = 1e-6 in float64 (error ~1e-9). */
const GRAD_TOL = { rtol: 1e-4, atol: 1e-5 };

describe('softmax attention against NumPy', () => {
  const a = fixture.attention;
  const shapes = {
    q: [a.heads, a.dim],
    k: [a.batch, a.heads, a.length, a.dim],
    v: [a.batch, a.heads, a.length, a.valueDim],
  };
  const forms = {
    attentionScan,
    attentionScanBlockwise: (...args: Parameters<typeof attentionScan>) =>
      attentionScanBlockwise(args[0], args[1], args[2], { ...args[3], blockSize: 5 }),
    quadraticAttention,
  };

  it.each(Object.entries(forms))('%s matches outputs and gradients', (_, f) => {
    const q = requireGrad(f32(a.q, shapes.q));
    const k = requireGrad(f32(a.k, shapes.k));
    const v = requireGrad(f32(a.v, shapes.v));
    const out = f(q, k, v, { mask: f32(a.mask, [a.batch, a.length]) });
    expectClose(read(out), a.output, VALUE_TOL, 'output');
    const [gq, gk, gv] = gradients(sum(mul(out, f32(a.projection, out.shape))), [q, k, v]).map((g) =>
      read(g!),
    );
    expectClose(gq!, a.gradQ, GRAD_TOL, 'dq');
    expectClose(gk!, a.gradK, GRAD_TOL, 'dk');
    expectClose(gv!, a.gradV, GRAD_TOL, 'dv');
  });

  it('attentionCell.block matches the outputs', () => {
    const state = attentionCell.init(cpu, { batch: a.batch, heads: a.heads, dim: a.valueDim });
    const { outputs } = attentionCell.block(
      state,
      f32(a.q, shapes.q),
      f32(a.k, shapes.k),
      f32(a.v, shapes.v),
      {
        mask: f32(a.mask, [a.batch, a.length]),
      },
    );
    expectClose(read(outputs), a.output, VALUE_TOL);
  });

  it('the pitfall example gives the NumPy numbers', () => {
    const p = fixture.pitfall;
    const out = attentionScanFromScores(f32(p.scores, [4]), f32(p.values, [4, 1]));
    expectClose(read(out), p.output, { rtol: 1e-6, atol: 0 });
  });
});

describe('linear attention against NumPy', () => {
  const l = fixture.linear;
  const shape = (d: number) => [l.batch, l.heads, l.length, d];
  const args = () =>
    [f32(l.q, shape(l.keyDim)), f32(l.k, shape(l.keyDim)), f32(l.v, shape(l.valueDim))] as const;

  it.each(['recurrent', 'chunked'] as const)('%s form matches, with and without the normaliser', (mode) => {
    expectClose(read(linearAttention(...args(), l.decay, { mode, chunkSize: 4 })), l.output, VALUE_TOL);
    expectClose(
      read(linearAttention(...args(), l.decay, { mode, chunkSize: 4, normalize: true })),
      l.outputNormalized,
      VALUE_TOL,
    );
  });
});

describe('ALiBi slopes against the reference get_slopes', () => {
  it.each(Object.entries(fixture.alibi))('%s heads', (heads, slopes) => {
    const ours = alibiSlopes(Number(heads));
    expect(ours).toHaveLength(slopes.length);
    expectClose(ours, slopes, { rtol: 1e-14, atol: 0 }); // powers formed in another order
  });
});
