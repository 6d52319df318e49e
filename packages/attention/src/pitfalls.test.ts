/**
 * Pitfalls seen in public implementations of "Attention as an RNN" (arXiv 2405.13956), each shown wrong with
 * a naive implementation and right with every form of this package.
 */
import {
  concat,
  gradients,
  mul,
  requireGrad,
  reshape,
  sliceAxis,
  squeeze,
  sum,
  type Tensor,
} from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFinite } from '../test/helpers/close.js';
import { cpu, f32, read } from '../test/helpers/tensors.js';
import {
  attentionCell,
  attentionScan,
  attentionScanBlockwise,
  attentionScanFromScores,
  quadraticAttention,
  reference,
} from './index.js';

const NEG_INF = Number.NEGATIVE_INFINITY;

/** Every form of many-to-many attention, for one head, d = 1, q = 1 and scale 1, so that scores = keys. */
const forms: [string, (scores: number[], values: number[]) => Float64Array][] = [
  [
    'attentionScanFromScores',
    (s, v) => read(attentionScanFromScores(f32(s, [s.length]), f32(v, [v.length, 1]))),
  ],
  ['attentionScan', (s, v) => read(attentionScan(...asQKV(s, v), { scale: 1 }))],
  ['quadraticAttention', (s, v) => read(quadraticAttention(...asQKV(s, v), { scale: 1 }))],
  [
    'attentionScanBlockwise (block 1)',
    (s, v) => read(attentionScanBlockwise(...asQKV(s, v), { scale: 1, blockSize: 1 })),
  ],
  [
    'attentionScanBlockwise (block 2)',
    (s, v) => read(attentionScanBlockwise(...asQKV(s, v), { scale: 1, blockSize: 2 })),
  ],
  [
    'attentionCell.block',
    (s, v) => read(attentionCell.block(initState(), ...asQKV(s, v), { scale: 1 }).outputs),
  ],
  ['attentionCell.step', (s, v) => viaSteps(s, v)],
];

function asQKV(scores: number[], values: number[]): [Tensor, Tensor, Tensor] {
  const n = scores.length;
  return [f32([1], [1, 1]), f32(scores, [1, 1, n, 1]), f32(values, [1, 1, n, 1])];
}

function initState() {
  return attentionCell.init(cpu, { batch: 1, heads: 1, dim: 1 });
}

function viaSteps(scores: number[], values: number[]): Float64Array {
  const [q, k, v] = asQKV(scores, values);
  let state = initState();
  const outs: Tensor[] = [];
  for (let t = 0; t < scores.length; t++) {
    const r = attentionCell.step(
      state,
      q,
      squeeze(sliceAxis(k, 2, t, 1), [2]),
      squeeze(sliceAxis(v, 2, t, 1), [2]),
      {
        scale: 1,
      },
    );
    state = r.state;
    outs.push(r.output);
  }
  return read(concat(outs, 0));
}

/** Naive: running max by cummax, then a cumulative sum of e^{s_i − cummax_i}: mixes reference maxima. */
function cummaxThenCumsum(scores: number[], values: number[]): number[] {
  let m = NEG_INF;
  let num = 0;
  let den = 0;
  return scores.map((s, i) => {
    m = Math.max(m, s);
    const e = Math.exp(s - m);
    num += e * values[i]!;
    den += e;
    return num / den;
  });
}

/** Naive: the RNN state started at m = 0 instead of −∞ (so e^{s − m} underflows for very negative scores). */
function startAtZero(scores: number[], values: number[]): number[] {
  let m = 0;
  let u = 0;
  let w = 0;
  return scores.map((s, i) => {
    const next = Math.max(m, s);
    u = u * Math.exp(m - next) + values[i]! * Math.exp(s - next);
    w = w * Math.exp(m - next) + Math.exp(s - next);
    m = next;
    return u / w;
  });
}

/** Naive: the monoid combine without the −∞ guard (e^{−∞ − (−∞)} = NaN) and an unguarded readout. */
function unguarded(scores: number[], values: number[]): number[] {
  let m = NEG_INF;
  let u = 0;
  let w = 0;
  return scores.map((s, i) => {
    const next = Math.max(m, s);
    u = u * Math.exp(m - next) + values[i]! * Math.exp(s - next);
    w = w * Math.exp(m - next) + Math.exp(s - next);
    m = next;
    return u / w;
  });
}

const round2 = (xs: ArrayLike<number>) => Array.from(xs, (x) => Math.round(x * 100) / 100);

describe('pitfall: cummax, then a cumulative sum of e^{s − cummax}', () => {
  const scores = [0, 3, -1, 5];
  const values = [1, 2, 3, 4];

  it('is wrong: it mixes different reference maxima', () => {
    const naive = cummaxThenCumsum(scores, values);
    expect(round2(naive)).not.toEqual([1, 1.95, 1.97, 3.74]);
    expect(naive[1]).toBeCloseTo(1.5, 10); // (1·e^0 + 2·e^0) / 2: token 0 is not rescaled by e^{0−3}
  });

  it.each(forms)('%s gives [1, 1.95, 1.97, 3.74]', (_, run) => {
    const out = run(scores, values);
    expect(round2(out)).toEqual([1, 1.95, 1.97, 3.74]);
    expectClose(out, reference.causalAttentionFromScores(scores, values, 1, 4, 1), {
      rtol: 1e-6,
      atol: 1e-6,
    });
  });
});

describe('pitfall: a state started at m = 0 instead of −∞', () => {
  const scores = [-1000, -1001, -999.5, -2000];
  const values = [1, 2, 3, 4];

  it('underflows to 0/0 when every score is very negative', () => {
    expect(startAtZero(scores, values).every(Number.isNaN)).toBe(true);
  });

  it.each(forms)('%s stays exact', (_, run) => {
    const out = run(scores, values);
    expectFinite(out);
    expectClose(out, reference.causalAttentionFromScores(scores, values, 1, 4, 1), {
      rtol: 1e-6,
      atol: 1e-6,
    });
  });
});

describe('pitfall: prefixes whose scores are all −∞ (masked)', () => {
  const scores = [NEG_INF, NEG_INF, 2, NEG_INF, 1];
  const values = [5, 6, 7, 8, 9];

  it('give NaN without guards', () => {
    const naive = unguarded(scores, values);
    expect(Number.isNaN(naive[0]!)).toBe(true);
    expect(Number.isNaN(naive[4]!)).toBe(true); // the NaN state poisons every later output
  });

  it.each(forms)('%s outputs 0 for the empty prefix and exact values after it', (_, run) => {
    const out = run(scores, values);
    expect(Array.from(out)).toEqual([0, 0, 7, 7, expect.closeTo((7 * Math.E + 9) / (Math.E + 1), 5)]);
  });

  it('give finite gradients, zero for masked tokens (scan, blockwise, steps)', () => {
    const q = requireGrad(f32([1], [1, 1]));
    const k = requireGrad(f32([0.3, -0.2, 2, 0.5, 1], [1, 1, 5, 1]));
    const v = requireGrad(f32(values, [1, 1, 5, 1]));
    const mask = f32([0, 0, 1, 0, 1], [1, 5]);
    const proj = f32([1, -2, 0.5, 3, 1], [1, 1, 5, 1]);
    const runs: [string, () => Tensor][] = [
      ['scan', () => attentionScan(q, k, v, { mask, scale: 1 })],
      ['blockwise', () => attentionScanBlockwise(q, k, v, { mask, scale: 1, blockSize: 2 })],
      ['block', () => attentionCell.block(initState(), q, k, v, { mask, scale: 1 }).outputs],
      [
        'steps',
        () => {
          let state = initState();
          const outs: Tensor[] = [];
          for (let t = 0; t < 5; t++) {
            const r = attentionCell.step(
              state,
              q,
              reshape(sliceAxis(k, 2, t, 1), [1, 1, 1]),
              reshape(sliceAxis(v, 2, t, 1), [1, 1, 1]),
              {
                mask: sliceAxis(reshape(mask, [5]), 0, t, 1),
                scale: 1,
              },
            );
            state = r.state;
            outs.push(reshape(r.output, [1, 1, 1, 1]));
          }
          return concat(outs, 2);
        },
      ],
    ];
    const expected = reference.causalAttentionBackward(
      {
        batch: 1,
        heads: 1,
        length: 5,
        dim: 1,
        valueDim: 1,
        q: [1],
        k: read(k),
        v: values,
        mask: [0, 0, 1, 0, 1],
        scale: 1,
      },
      read(proj),
    );
    for (const [name, run] of runs) {
      const [gq, gk, gv] = gradients(sum(mul(run(), proj)), [q, k, v]).map((g) => read(g!));
      for (const g of [gq!, gk!, gv!]) expectFinite(g, name);
      expectClose(gq!, expected.q, { rtol: 1e-5, atol: 1e-6 }, `${name} dq`);
      expectClose(gk!, expected.k, { rtol: 1e-5, atol: 1e-6 }, `${name} dk`);
      expectClose(gv!, expected.v, { rtol: 1e-5, atol: 1e-6 }, `${name} dv`);
      expect([gk![0], gk![1], gk![3], gv![0], gv![1], gv![3]]).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });
});
