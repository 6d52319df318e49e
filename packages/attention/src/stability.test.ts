/**
 * Numerical stability: scores of ±1e4, very negative scores, fully masked prefixes, and N = 1e6 on CPU.
 */
import { gradients, mul, noGrad, requireGrad, sum, type Tensor } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFinite } from '../test/helpers/close.js';
import { createRng } from '../test/helpers/random.js';
import { cpu, f32, read } from '../test/helpers/tensors.js';
import {
  attentionCell,
  attentionScan,
  attentionScanBlockwise,
  attentionScanFromScores,
  reference,
} from './index.js';

const VALUE_TOL = { rtol: 1e-5, atol: 2e-6 };

describe('scores of magnitude up to 1e4', () => {
  const n = 64;
  const rng = createRng(31);
  const scores = rng.uniform(n, -1e4, 1e4);
  const values = rng.normal(n * 3);
  const projection = rng.normal(n * 3);
  // One head, d = 1, q = 1, scale 1: the keys are the scores.
  const qkv = (): [Tensor, Tensor, Tensor] => [
    f32([1], [1, 1]),
    f32(scores, [1, 1, n, 1]),
    f32(values, [1, 1, n, 3]),
  ];

  const forms: [string, (q: Tensor, k: Tensor, v: Tensor) => Tensor][] = [
    ['attentionScan', (q, k, v) => attentionScan(q, k, v, { scale: 1 })],
    ['attentionScanBlockwise', (q, k, v) => attentionScanBlockwise(q, k, v, { scale: 1, blockSize: 5 })],
    [
      'attentionCell.block',
      (q, k, v) =>
        attentionCell.block(attentionCell.init(cpu, { batch: 1, heads: 1, dim: 3 }), q, k, v, { scale: 1 })
          .outputs,
    ],
  ];

  it.each(forms)('%s: outputs equal the float64 oracle', (_, f) => {
    const out = read(f(...qkv()));
    expectFinite(out);
    expectClose(out, reference.causalAttentionFromScores(scores, values, 1, n, 3), VALUE_TOL);
  });

  it.each(forms)('%s: gradients are finite and equal the float64 oracle', (_, f) => {
    const [q, k, v] = qkv().map((t) => requireGrad(t));
    const loss = sum(mul(f(q!, k!, v!), f32(projection, [1, 1, n, 3])));
    const [gq, gk, gv] = gradients(loss, [q!, k!, v!]).map((g) => read(g!));
    const expected = reference.causalAttentionBackward(
      { batch: 1, heads: 1, length: n, dim: 1, valueDim: 3, q: [1], k: scores, v: values, scale: 1 },
      projection,
    );
    for (const g of [gq!, gk!, gv!]) expectFinite(g);
    // dq = Σ_i ∂L/∂s_i · k_i adds terms with |k_i| up to 1e4 whose exact sum is ~0 here (the softmax is
    // nearly one-hot). Each f32 ∂L/∂s_i carries an absolute error of a few ulps of |g|·|v| = O(1) (the dk
    // check below bounds it by 1e-5), so dq is accurate to about 1e-6·Σ_i |k_i|, which is the tolerance.
    const keyMass = scores.reduce((acc, s) => acc + Math.abs(s), 0);
    expectClose(gq!, expected.q, { rtol: 1e-4, atol: 1e-6 * keyMass }, 'dq');
    expectClose(gk!, expected.k, { rtol: 1e-4, atol: 1e-5 }, 'dk');
    expectClose(gv!, expected.v, { rtol: 1e-4, atol: 1e-5 }, 'dv');
  });

  it('steps of the cell stay exact', () => {
    let state = attentionCell.init(cpu, { batch: 1, heads: 1, dim: 3 });
    const out = new Float64Array(n * 3);
    for (let t = 0; t < n; t++) {
      const r = attentionCell.step(
        state,
        f32([1], [1, 1]),
        f32([scores[t]!], [1, 1, 1]),
        f32(values.subarray(t * 3, t * 3 + 3), [1, 1, 3]),
        {
          scale: 1,
        },
      );
      state = r.state;
      out.set(read(r.output), t * 3);
    }
    expectClose(out, reference.causalAttentionFromScores(scores, values, 1, n, 3), VALUE_TOL);
  });

  it('all-negative scores of −1e4 do not underflow to 0/0', () => {
    const negative = Float32Array.from(scores, (s) => -1e4 - Math.abs(s));
    const out = read(attentionScanFromScores(f32(negative, [n]), f32(values, [n, 3])));
    expectFinite(out);
    expectClose(out, reference.causalAttentionFromScores(negative, values, 1, n, 3), VALUE_TOL);
  });
});

describe('N = 1e6 on CPU', () => {
  it('scan forward and backward stay finite and exact (d = 4, one head)', () => {
    const n = 1_000_000;
    const d = 4;
    const rng = createRng(41);
    const q = rng.normal(d);
    const k = rng.normal(n * d, 2);
    const v = rng.normal(n * d);
    const qt = requireGrad(f32(q, [1, d]));
    const kt = requireGrad(f32(k, [1, 1, n, d]));
    const vt = requireGrad(f32(v, [1, 1, n, d]));
    const out = attentionScan(qt, kt, vt);
    const data = read(out);
    expectFinite(data);
    const scores = reference.referenceScores({ batch: 1, heads: 1, length: n, dim: d, valueDim: d, q, k, v });
    // Every position against the float64 attention-monoid scan of @aaren/scan (O(N·d))...
    const monoid = reference.attentionScanMonoid(scores, v, 1, n, d, {
      algorithm: 'blockwise',
      blockSize: 4096,
    });
    expectClose(data, monoid, { rtol: 1e-4, atol: 1e-6 }, 'all positions vs monoid scan');
    // ...and a few against the two-pass quadratic softmax over the whole prefix.
    for (const t of [0, 1, 999, 123_456, n - 1]) {
      const expected = reference.prefixAttention(scores, v, d, t);
      expectClose(data.subarray(t * d, (t + 1) * d), expected, { rtol: 1e-4, atol: 1e-6 }, `position ${t}`);
    }
    const grads = gradients(sum(out), [qt, kt, vt]);
    for (const g of grads) expectFinite(read(g!));
    // Σ_k out_k does not depend on v_i through a shift of all values: Σ_i ∂/∂v_i = Σ_k 1 per feature = N.
    const gv = read(grads[2]!);
    let total = 0;
    for (let i = 0; i < n; i++) total += gv[i * d]!;
    expect(total).toBeCloseTo(n, -1);
    // Blockwise without gradients: bounded working memory, same outputs.
    const blockwise = noGrad(() => read(attentionScanBlockwise(qt, kt, vt, { blockSize: 1 << 16 })));
    expectClose(blockwise, data, { rtol: 1e-4, atol: 1e-6 }, 'blockwise');
  });
});
