import { gradients, mul, relu, requireGrad, sliceAxis, squeeze, sum, type Tensor } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test/helpers/close.js';
import { centralDifferences } from '../test/helpers/finite-differences.js';
import { createRng } from '../test/helpers/random.js';
import { cpu, f32, read } from '../test/helpers/tensors.js';
import {
  AttentionOptionError,
  AttentionShapeError,
  type LinearAttentionOptions,
  type LinearAttentionState,
  linearAttention,
  linearAttentionState,
  linearAttentionStep,
  linearAttentionWithState,
  reference,
} from './index.js';

/** f32 results against the float64 recurrence on the same inputs. */
const VALUE_TOL = { rtol: 1e-5, atol: 1e-5 };
const GRAD_TOL = { rtol: 1e-4, atol: 1e-4 };

const B = 2;
const H = 3;
const N = 10;
const DK = 4;
const DV = 3;
const DECAY = [0.9, 0.5, 1];

function problem(seed: number, nonNegative = false) {
  const rng = createRng(seed);
  const feature = (n: number) => (nonNegative ? rng.uniform(n, 0, 1) : rng.normal(n));
  return {
    q: feature(B * H * N * DK),
    k: feature(B * H * N * DK),
    v: rng.normal(B * H * N * DV),
    projection: rng.normal(B * H * N * DV),
  };
}

const shapes = { q: [B, H, N, DK], k: [B, H, N, DK], v: [B, H, N, DV] };

function refInput(p: ReturnType<typeof problem>, normalize = false) {
  return {
    batch: B,
    heads: H,
    length: N,
    keyDim: DK,
    valueDim: DV,
    q: p.q,
    k: p.k,
    v: p.v,
    decay: DECAY,
    normalize,
  };
}

const modes: [string, LinearAttentionOptions][] = [
  ['recurrent', { mode: 'recurrent' }],
  ['chunked C=1', { mode: 'chunked', chunkSize: 1 }],
  ['chunked C=3 (ragged last chunk)', { mode: 'chunked', chunkSize: 3 }],
  ['chunked C=5', { mode: 'chunked', chunkSize: 5 }],
  ['chunked C=64 (one chunk)', { mode: 'chunked', chunkSize: 64 }],
];

describe('linearAttention', () => {
  it.each(modes)('%s equals the float64 recurrence', (_, options) => {
    const p = problem(51);
    const out = linearAttention(f32(p.q, shapes.q), f32(p.k, shapes.k), f32(p.v, shapes.v), DECAY, options);
    expect(out.shape).toEqual([B, H, N, DV]);
    expectClose(read(out), reference.linearAttentionRecurrence(refInput(p)).output, VALUE_TOL);
  });

  it.each(modes)('%s with the normaliser equals the float64 recurrence', (_, options) => {
    const p = problem(52, true);
    const out = linearAttention(f32(p.q, shapes.q), f32(p.k, shapes.k), f32(p.v, shapes.v), DECAY, {
      ...options,
      normalize: true,
    });
    expectClose(read(out), reference.linearAttentionRecurrence(refInput(p, true)).output, VALUE_TOL);
  });

  it('accepts the decay as a tensor [H] or one number', () => {
    const p = problem(53);
    const args = () => [f32(p.q, shapes.q), f32(p.k, shapes.k), f32(p.v, shapes.v)] as const;
    const expected = reference.linearAttentionRecurrence(refInput(p)).output;
    expectClose(read(linearAttention(...args(), f32(DECAY, [H]))), expected, VALUE_TOL);
    const uniform = reference.linearAttentionRecurrence({ ...refInput(p), decay: [0.8, 0.8, 0.8] }).output;
    expectClose(read(linearAttention(...args(), 0.8, { mode: 'recurrent' })), uniform, VALUE_TOL);
  });

  it('applies a feature map supplied by the caller', () => {
    const p = problem(54);
    const q = relu(f32(p.q, shapes.q));
    const k = relu(f32(p.k, shapes.k));
    const expected = reference.linearAttentionRecurrence({ ...refInput(p), q: read(q), k: read(k) }).output;
    expectClose(read(linearAttention(q, k, f32(p.v, shapes.v), DECAY)), expected, VALUE_TOL);
  });

  it.each(['recurrent', 'chunked'] as const)('handles N = 0 (%s)', (mode) => {
    const empty = (d: number) => f32([], [1, 2, 0, d]);
    expect(linearAttention(empty(3), empty(3), empty(4), [0.5, 0.5], { mode }).shape).toEqual([1, 2, 0, 4]);
  });

  it('rejects bad decays, shapes and options', () => {
    const p = problem(55);
    const args = () => [f32(p.q, shapes.q), f32(p.k, shapes.k), f32(p.v, shapes.v)] as const;
    expect(() => linearAttention(...args(), [0.5, 0.5])).toThrow(
      /linearAttention: decay has 2 entries but there are 3 heads/,
    );
    expect(() => linearAttention(...args(), [0.5, 1.5, 0.5])).toThrow(AttentionOptionError);
    expect(() => linearAttention(...args(), f32([1, 1], [2]))).toThrow(AttentionShapeError);
    expect(() => linearAttention(...args(), DECAY, { chunkSize: 0 })).toThrow(
      /options.chunkSize must be a positive integer/,
    );
    expect(() => linearAttention(f32(p.q, shapes.q), f32(p.v, shapes.v), f32(p.v, shapes.v), DECAY)).toThrow(
      /linearAttention: k must be the shape of q/,
    );
  });
});

describe('linearAttention backward', () => {
  const loss = (options: LinearAttentionOptions, p: ReturnType<typeof problem>) => {
    const q = requireGrad(f32(p.q, shapes.q));
    const k = requireGrad(f32(p.k, shapes.k));
    const v = requireGrad(f32(p.v, shapes.v));
    const out = linearAttention(q, k, v, DECAY, options);
    return gradients(sum(mul(out, f32(p.projection, out.shape))), [q, k, v]).map((g) => read(g!));
  };

  /** Central differences of the float64 recurrence: the gradient oracle. */
  function oracle(p: ReturnType<typeof problem>, normalize: boolean): Float64Array[] {
    const f = ([q, k, v]: Float64Array[]) =>
      reference
        .linearAttentionRecurrence({ ...refInput(p, normalize), q: q!, k: k!, v: v! })
        .output.reduce((acc, o, i) => acc + o * p.projection[i]!, 0);
    return centralDifferences(f, [p.q, p.k, p.v], 1e-6);
  }

  it.each(modes)('%s: gradients equal central differences of the float64 recurrence', (_, options) => {
    const p = problem(56);
    const expected = oracle(p, false);
    loss(options, p).forEach((g, i) => {
      expectClose(g, expected[i]!, GRAD_TOL, ['dq', 'dk', 'dv'][i]);
    });
  });

  it.each(modes)('%s with the normaliser: gradients equal central differences', (_, options) => {
    const p = problem(57, true);
    const expected = oracle(p, true);
    loss({ ...options, normalize: true }, p).forEach((g, i) => {
      expectClose(g, expected[i]!, GRAD_TOL, ['dq', 'dk', 'dv'][i]);
    });
  });

  it('recurrent (kernel backward) and chunked (autograd) agree', () => {
    const p = problem(58);
    const recurrent = loss({ mode: 'recurrent' }, p);
    const chunked = loss({ mode: 'chunked', chunkSize: 4 }, p);
    recurrent.forEach((g, i) => {
      expectClose(g, chunked[i]!, GRAD_TOL);
    });
  });

  it('matches central differences of the f32 op itself', () => {
    const p = problem(59);
    for (const options of [modes[0]![1], modes[2]![1]]) {
      const analytic = loss(options, p);
      const f = ([q, k, v]: Float64Array[]) =>
        read(linearAttention(f32(q!, shapes.q), f32(k!, shapes.k), f32(v!, shapes.v), DECAY, options)).reduce(
          (acc, o, i) => acc + o * p.projection[i]!,
          0,
        );
      const fd = centralDifferences(f, [p.q, p.k, p.v], 1e-2);
      analytic.forEach((g, i) => {
        expectClose(g, fd[i]!, { rtol: 2e-2, atol: 5e-3 });
      });
    }
  });
});

describe('linearAttentionWithState and the step API', () => {
  const token = (x: Tensor, t: number) => squeeze(sliceAxis(x, 2, t, 1), [2]);

  it.each([false, true])('prefill then steps equals the full recurrence (normalize: %s)', (normalize) => {
    const p = problem(61, true);
    const q = f32(p.q, shapes.q);
    const k = f32(p.k, shapes.k);
    const v = f32(p.v, shapes.v);
    const expected = reference.linearAttentionRecurrence(refInput(p, normalize));
    const prefill = linearAttentionWithState(
      sliceAxis(q, 2, 0, 6),
      sliceAxis(k, 2, 0, 6),
      sliceAxis(v, 2, 0, 6),
      DECAY,
      {
        chunkSize: 4,
        normalize,
      },
    );
    let state: LinearAttentionState = prefill.state;
    const outputs = [read(prefill.output)];
    for (let t = 6; t < N; t++) {
      const r = linearAttentionStep(state, token(q, t), token(k, t), token(v, t), DECAY);
      expect(r.state.S.shape).toEqual([B, H, DK, DV]);
      state = r.state;
      outputs.push(read(r.output));
    }
    // Reassemble [B, H, N, dv] from the prefill [B, H, 6, dv] and the steps [B, H, dv].
    const got = new Float64Array(B * H * N * DV);
    for (let bh = 0; bh < B * H; bh++) {
      for (let t = 0; t < N; t++) {
        const src = t < 6 ? outputs[0]!.subarray((bh * 6 + t) * DV) : outputs[t - 5]!.subarray(bh * DV);
        got.set(src.subarray(0, DV), (bh * N + t) * DV);
      }
    }
    expectClose(got, expected.output, VALUE_TOL, 'outputs');
    expectClose(read(state.S), expected.state, VALUE_TOL, 'final S');
    if (normalize) expectClose(read(state.z!), expected.normalizer, VALUE_TOL, 'final z');
  });

  it('steps from the zero state equal the recurrence', () => {
    const p = problem(62);
    const q = f32(p.q, shapes.q);
    const k = f32(p.k, shapes.k);
    const v = f32(p.v, shapes.v);
    let state = linearAttentionState(cpu, { batch: B, heads: H, dk: DK, dv: DV });
    const expected = reference.linearAttentionRecurrence(refInput(p)).output;
    for (let t = 0; t < N; t++) {
      const r = linearAttentionStep(state, token(q, t), token(k, t), token(v, t), f32(DECAY, [H]));
      state = r.state;
      const want = new Float64Array(B * H * DV);
      for (let bh = 0; bh < B * H; bh++)
        want.set(expected.subarray((bh * N + t) * DV, (bh * N + t + 1) * DV), bh * DV);
      expectClose(read(r.output), want, VALUE_TOL, `token ${t}`);
    }
  });

  it('segments chained through the state equal one pass, with gradients through the state', () => {
    const p = problem(63);
    const q = requireGrad(f32(p.q, shapes.q));
    const k = requireGrad(f32(p.k, shapes.k));
    const v = requireGrad(f32(p.v, shapes.v));
    const first = linearAttentionWithState(
      sliceAxis(q, 2, 0, 7),
      sliceAxis(k, 2, 0, 7),
      sliceAxis(v, 2, 0, 7),
      DECAY,
      {
        chunkSize: 3,
      },
    );
    const second = linearAttentionWithState(
      sliceAxis(q, 2, 7, 3),
      sliceAxis(k, 2, 7, 3),
      sliceAxis(v, 2, 7, 3),
      DECAY,
      {
        chunkSize: 2,
        initialState: first.state,
      },
    );
    const proj = f32(p.projection, [B, H, N, DV]);
    const segmented =
      sum(mul(first.output, sliceAxis(proj, 2, 0, 7))).dataSync()[0]! +
      sum(mul(second.output, sliceAxis(proj, 2, 7, 3))).dataSync()[0]!;
    const expected = reference
      .linearAttentionRecurrence(refInput(p))
      .output.reduce((acc, o, i) => acc + o * p.projection[i]!, 0);
    expect(segmented).toBeCloseTo(expected, 4);
    // Gradients of the loss on the second segment reach the first segment's tokens only through the state.
    const viaState = gradients(sum(mul(second.output, sliceAxis(proj, 2, 7, 3))), [q, k, v]).map((g) =>
      read(g!),
    );
    const onePass = linearAttention(q, k, v, DECAY, { mode: 'recurrent' });
    const direct = gradients(sum(mul(sliceAxis(onePass, 2, 7, 3), sliceAxis(proj, 2, 7, 3))), [q, k, v]).map(
      (g) => read(g!),
    );
    viaState.forEach((g, i) => {
      expectClose(g, direct[i]!, GRAD_TOL, ['dq', 'dk', 'dv'][i]);
    });
    expect(viaState[1]!.slice(0, 7 * DK).some((x) => x !== 0)).toBe(true);
  });

  it('rejects a token that does not match the state', () => {
    const state = linearAttentionState(cpu, { batch: 1, heads: 2, dk: 3, dv: 4 });
    const t = f32(new Float32Array(6), [1, 2, 3]);
    expect(() => linearAttentionStep(state, t, t, t, [0.5, 0.5])).toThrow(
      /linearAttentionStep: v must be \[1, 2, 4\]/,
    );
  });
});
