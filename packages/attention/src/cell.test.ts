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
import { expectClose } from '../test/helpers/close.js';
import { makeProblem } from '../test/helpers/problem.js';
import { cpu, f32, read } from '../test/helpers/tensors.js';
import {
  type AttentionCellState,
  AttentionShapeError,
  attentionCell,
  attentionScan,
  attentionScanBlockwise,
  attentionScanBlockwiseWithState,
  reference,
} from './index.js';

const VALUE_TOL = { rtol: 1e-5, atol: 2e-6 };
const GRAD_TOL = { rtol: 1e-4, atol: 1e-5 };
const MASK = [1, 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1];
const SPEC = { batch: 2, heads: 3, length: 10, dim: 4, valueDim: 3, mask: MASK, seed: 21 } as const;

/** Token `t` of `[B, H, N, x]` as `[B, H, x]`. */
function token(x: Tensor, t: number): Tensor {
  return squeeze(sliceAxis(x, 2, t, 1), [2]);
}

/** Runs the whole sequence through `step` and stacks the outputs as `[B, H, N, dv]`. */
function runSteps(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  mask: Tensor | null,
): { outputs: Tensor; state: AttentionCellState } {
  const [batch = 0, heads = 0, n = 0] = k.shape;
  const dim = v.shape[3]!;
  let state = attentionCell.init(cpu, { batch, heads, dim });
  const outs: Tensor[] = [];
  for (let t = 0; t < n; t++) {
    const m = mask ? squeeze(sliceAxis(mask, 1, t, 1), [1]) : null;
    const r = attentionCell.step(state, q, token(k, t), token(v, t), { mask: m });
    state = r.state;
    outs.push(reshape(r.output, [batch, heads, 1, dim]));
  }
  return { outputs: concat(outs, 2), state };
}

describe('attentionCell.step', () => {
  it('equals quadratic softmax attention for every prefix, with a per-token mask', () => {
    const p = makeProblem(SPEC);
    const { q, k, v, mask } = p.tensors();
    const { outputs } = runSteps(q, k, v, mask);
    expect(outputs.shape).toEqual(p.outShape);
    expectClose(read(outputs), reference.causalAttention(p.input), VALUE_TOL, 'step outputs');
  });

  it('keeps a state of constant size', () => {
    const p = makeProblem({ ...SPEC, mask: undefined });
    const { q, k, v } = p.tensors();
    let state = attentionCell.init(cpu, { batch: 2, heads: 3, dim: 3 });
    const shapes = [state.m.shape, state.u.shape, state.w.shape];
    for (let t = 0; t < 10; t++) {
      state = attentionCell.step(state, q, token(k, t), token(v, t)).state;
      expect([state.m.shape, state.u.shape, state.w.shape]).toEqual(shapes);
    }
  });

  it('reads out 0 from the empty state', () => {
    const state = attentionCell.init(cpu, { batch: 1, heads: 2, dim: 3 });
    expect(Array.from(read(attentionCell.readout(state)))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(read(state.m))).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it('backpropagates through a chain of steps like the scan', () => {
    const p = makeProblem({ ...SPEC, mask: undefined, length: 6 });
    const leaves = p.tensors();
    const q = requireGrad(leaves.q);
    const k = requireGrad(leaves.k);
    const v = requireGrad(leaves.v);
    const proj = f32(p.projection, p.outShape);
    const viaSteps = gradients(sum(mul(runSteps(q, k, v, null).outputs, proj)), [q, k, v]);
    const viaScan = gradients(sum(mul(attentionScan(q, k, v), proj)), [q, k, v]);
    viaSteps.forEach((g, i) => {
      expectClose(read(g!), read(viaScan[i]!), GRAD_TOL, `input ${i}`);
    });
  });

  it('rejects a token that does not match the state', () => {
    const state = attentionCell.init(cpu, { batch: 1, heads: 2, dim: 3 });
    const q = f32([1, 2, 3, 4], [2, 2]);
    expect(() =>
      attentionCell.step(state, q, f32([1, 2, 3, 4], [1, 2, 2]), f32([1, 2, 3, 4], [1, 2, 2])),
    ).toThrow(AttentionShapeError);
    expect(() => attentionCell.init(cpu, { batch: 0, heads: 2, dim: 3 })).toThrow(
      /dims.batch must be a positive integer/,
    );
  });
});

describe('attentionCell.block', () => {
  it.each([1, 3, 4, 10])('equals the oracle when the sequence is fed in blocks of %i', (blockSize) => {
    const p = makeProblem(SPEC);
    const { q, k, v, mask } = p.tensors();
    let state = attentionCell.init(cpu, { batch: 2, heads: 3, dim: 3 });
    const outs: Tensor[] = [];
    for (let start = 0; start < 10; start += blockSize) {
      const len = Math.min(blockSize, 10 - start);
      const r = attentionCell.block(state, q, sliceAxis(k, 2, start, len), sliceAxis(v, 2, start, len), {
        mask: sliceAxis(mask!, 1, start, len),
      });
      state = r.state;
      outs.push(r.outputs);
    }
    expectClose(read(concat(outs, 2)), reference.causalAttention(p.input), VALUE_TOL, 'block outputs');
  });

  it('mixes with steps: block, then steps, then a block', () => {
    const p = makeProblem({ ...SPEC, mask: undefined });
    const { q, k, v } = p.tensors();
    let state = attentionCell.init(cpu, { batch: 2, heads: 3, dim: 3 });
    const outs: Tensor[] = [];
    let r = attentionCell.block(state, q, sliceAxis(k, 2, 0, 4), sliceAxis(v, 2, 0, 4));
    state = r.state;
    outs.push(r.outputs);
    for (let t = 4; t < 6; t++) {
      const s = attentionCell.step(state, q, token(k, t), token(v, t));
      state = s.state;
      outs.push(reshape(s.output, [2, 3, 1, 3]));
    }
    r = attentionCell.block(state, q, sliceAxis(k, 2, 6, 4), sliceAxis(v, 2, 6, 4));
    outs.push(r.outputs);
    expectClose(read(concat(outs, 2)), reference.causalAttention(p.input), VALUE_TOL);
    // The final state reads out the last output.
    expectClose(read(attentionCell.readout(r.state)), read(sliceAxis(r.outputs, 2, 3, 1)), VALUE_TOL);
  });

  it('matches the step state exactly enough to continue either way', () => {
    const p = makeProblem(SPEC);
    const { q, k, v, mask } = p.tensors();
    const viaSteps = runSteps(q, k, v, mask).state;
    const viaBlock = attentionCell.block(attentionCell.init(cpu, { batch: 2, heads: 3, dim: 3 }), q, k, v, {
      mask,
    }).state;
    // Scores are q·k by a matmul in one and an elementwise product + sum in the other: equal up to rounding.
    expectClose(read(viaBlock.m), read(viaSteps.m), VALUE_TOL, 'm');
    expectClose(read(viaBlock.w), read(viaSteps.w), VALUE_TOL, 'w');
    expectClose(read(viaBlock.u), read(viaSteps.u), VALUE_TOL, 'u');
  });
});

describe('attentionScanBlockwise', () => {
  it.each([1, 2, 3, 7, 10, 64])('equals attentionScan with blockSize %i', (blockSize) => {
    const p = makeProblem(SPEC);
    const { q, k, v, mask } = p.tensors();
    const scan = read(attentionScan(q, k, v, { mask }));
    const blockwise = attentionScanBlockwise(q, k, v, { mask, blockSize });
    expect(blockwise.shape).toEqual(p.outShape);
    expectClose(read(blockwise), scan, VALUE_TOL);
  });

  it('continues from a returned state', () => {
    const p = makeProblem({ ...SPEC, mask: undefined });
    const { q, k, v } = p.tensors();
    const first = attentionScanBlockwiseWithState(q, sliceAxis(k, 2, 0, 6), sliceAxis(v, 2, 0, 6), {
      blockSize: 4,
    });
    const second = attentionScanBlockwise(q, sliceAxis(k, 2, 6, 4), sliceAxis(v, 2, 6, 4), {
      blockSize: 3,
      initialState: first.state,
    });
    expectClose(read(concat([first.output, second], 2)), reference.causalAttention(p.input), VALUE_TOL);
  });

  it('rejects a bad block size', () => {
    const p = makeProblem(SPEC);
    const { q, k, v } = p.tensors();
    expect(() => attentionScanBlockwise(q, k, v, { blockSize: 0 })).toThrow(
      /attentionScanBlockwise: options.blockSize must be a positive integer, got 0/,
    );
  });
});
