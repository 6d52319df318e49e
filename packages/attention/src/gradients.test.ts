import type { Tensor } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectFinite } from '../test/helpers/close.js';
import { centralDifferences } from '../test/helpers/finite-differences.js';
import { makeProblem, type ProblemSpec } from '../test/helpers/problem.js';
import { f32, gradientsOf, read } from '../test/helpers/tensors.js';
import { attentionScan, attentionScanBlockwise, quadraticAttention, reference } from './index.js';

/**
 * Gradient tolerances. Kernel gradients against the float64 analytic oracle: f32 storage of the
 * inputs/outputs only. Finite differences of the f32 op: step 1e-2 in f32, so truncation (~h²) and rounding
 * (~ulp·|L|/h) errors of ~1e-3 are expected.
 */
const GRAD_TOL = { rtol: 1e-4, atol: 1e-5 };
const FD_F32_TOL = { rtol: 2e-2, atol: 2e-3 };

const MASK = [1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1];

const cases: [string, ProblemSpec][] = [
  ['shared query', { batch: 2, heads: 2, length: 7, dim: 3, valueDim: 4, seed: 11 }],
  ['per-batch query', { batch: 2, heads: 1, length: 6, dim: 4, valueDim: 2, perBatchQuery: true, seed: 12 }],
  [
    'padding mask with a fully masked prefix',
    { batch: 2, heads: 2, length: 7, dim: 3, valueDim: 2, mask: MASK, seed: 13 },
  ],
  ['custom scale', { batch: 1, heads: 2, length: 8, dim: 2, valueDim: 3, scale: 1.7, seed: 14 }],
];

function scanFn(spec: ProblemSpec, mask: Tensor | null) {
  return (q: Tensor, k: Tensor, v: Tensor) => attentionScan(q, k, v, { mask, scale: spec.scale });
}

describe('attentionScan backward', () => {
  it.each(cases)('equals the float64 analytic gradients (%s)', (_, spec) => {
    const p = makeProblem(spec);
    const { mask } = p.tensors();
    const [gq, gk, gv] = gradientsOf(
      scanFn(spec, mask),
      [
        { data: p.q, shape: p.qShape },
        { data: p.k, shape: p.kShape },
        { data: p.v, shape: p.vShape },
      ],
      p.projection,
    );
    const expected = reference.causalAttentionBackward(p.input, p.projection);
    expectClose(gq!, expected.q, GRAD_TOL, 'dq');
    expectClose(gk!, expected.k, GRAD_TOL, 'dK');
    expectClose(gv!, expected.v, GRAD_TOL, 'dV');
  });

  it.each(cases)('equals autograd through the quadratic reference built from core ops (%s)', (_, spec) => {
    const p = makeProblem(spec);
    const { mask } = p.tensors();
    const inputs = [
      { data: p.q, shape: p.qShape },
      { data: p.k, shape: p.kShape },
      { data: p.v, shape: p.vShape },
    ];
    const scan = gradientsOf(scanFn(spec, mask), inputs, p.projection);
    const quadratic = gradientsOf(
      (q, k, v) => quadraticAttention(q, k, v, { mask, scale: spec.scale }),
      inputs,
      p.projection,
    );
    ['dq', 'dK', 'dV'].forEach((name, i) => {
      expectClose(scan[i]!, quadratic[i]!, GRAD_TOL, name);
    });
  });

  it.each(cases)('the float64 oracle gradients match its own central differences (%s)', (_, spec) => {
    const p = makeProblem(spec);
    const expected = reference.causalAttentionBackward(p.input, p.projection);
    const loss = ([q, k, v]: Float64Array[]) => {
      const out = reference.causalAttention({ ...p.input, q: q!, k: k!, v: v! });
      return out.reduce((acc, o, i) => acc + o * p.projection[i]!, 0);
    };
    const fd = centralDifferences(loss, [p.q, p.k, p.v], 1e-6);
    expectClose(expected.q, fd[0]!, { rtol: 1e-6, atol: 1e-7 }, 'dq');
    expectClose(expected.k, fd[1]!, { rtol: 1e-6, atol: 1e-7 }, 'dK');
    expectClose(expected.v, fd[2]!, { rtol: 1e-6, atol: 1e-7 }, 'dV');
  });

  it('matches central differences of the f32 op itself', () => {
    const spec = cases[2]![1];
    const p = makeProblem(spec);
    const { mask } = p.tensors();
    const f = scanFn(spec, mask);
    const analytic = gradientsOf(
      f,
      [
        { data: p.q, shape: p.qShape },
        { data: p.k, shape: p.kShape },
        { data: p.v, shape: p.vShape },
      ],
      p.projection,
    );
    const loss = (params: Float64Array[]) => {
      const out = read(f(f32(params[0]!, p.qShape), f32(params[1]!, p.kShape), f32(params[2]!, p.vShape)));
      return out.reduce((acc, o, i) => acc + o * p.projection[i]!, 0);
    };
    const fd = centralDifferences(loss, [p.q, p.k, p.v], 1e-2);
    ['dq', 'dK', 'dV'].forEach((name, i) => {
      expectClose(analytic[i]!, fd[i]!, FD_F32_TOL, name);
    });
  });

  it('gives zero gradients to masked tokens and finite ones everywhere', () => {
    const spec = cases[2]![1];
    const p = makeProblem(spec);
    const { mask } = p.tensors();
    const [gq, gk, gv] = gradientsOf(
      scanFn(spec, mask),
      [
        { data: p.q, shape: p.qShape },
        { data: p.k, shape: p.kShape },
        { data: p.v, shape: p.vShape },
      ],
      p.projection,
    );
    for (const g of [gq!, gk!, gv!]) expectFinite(g);
    const { batch, heads, length, dim, valueDim } = spec;
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        for (let i = 0; i < length; i++) {
          if (MASK[b * length + i] !== 0) continue;
          const row = (b * heads + h) * length + i;
          expect(Array.from(gk!.slice(row * dim, (row + 1) * dim))).toEqual(new Array(dim).fill(0));
          expect(Array.from(gv!.slice(row * valueDim, (row + 1) * valueDim))).toEqual(
            new Array(valueDim).fill(0),
          );
        }
      }
    }
  });

  it('blockwise gradients equal the scan gradients', () => {
    const spec = cases[2]![1];
    const p = makeProblem(spec);
    const { mask } = p.tensors();
    const inputs = [
      { data: p.q, shape: p.qShape },
      { data: p.k, shape: p.kShape },
      { data: p.v, shape: p.vShape },
    ];
    const scan = gradientsOf(scanFn(spec, mask), inputs, p.projection);
    for (const blockSize of [1, 3, 7]) {
      const blockwise = gradientsOf(
        (q, k, v) => attentionScanBlockwise(q, k, v, { mask, blockSize }),
        inputs,
        p.projection,
      );
      ['dq', 'dK', 'dV'].forEach((name, i) => {
        expectClose(blockwise[i]!, scan[i]!, GRAD_TOL, `${name} (block ${blockSize})`);
      });
    }
  });
});
