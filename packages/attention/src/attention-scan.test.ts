import { tensor } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test/helpers/close.js';
import { makeProblem, type ProblemSpec } from '../test/helpers/problem.js';
import { cpu, f32, read } from '../test/helpers/tensors.js';
import {
  AttentionOptionError,
  AttentionShapeError,
  attentionScan,
  attentionScanFromScores,
  attentionScores,
  quadraticAttention,
  reference,
} from './index.js';

/** f32 outputs against the float64 oracle on the same f32 inputs. */
const VALUE_TOL = { rtol: 1e-5, atol: 2e-6 };

// Row 0: right padding; row 1: left padding (a fully masked prefix) and a hole in the middle.
const MASK_B2_N9 = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1];

const cases: [string, ProblemSpec][] = [
  ['shared query [H, d]', { batch: 2, heads: 3, length: 17, dim: 5, valueDim: 4, seed: 1 }],
  [
    'per-batch query [B, H, d]',
    { batch: 2, heads: 2, length: 11, dim: 3, valueDim: 6, perBatchQuery: true, seed: 2 },
  ],
  ['padding mask', { batch: 2, heads: 2, length: 9, dim: 4, valueDim: 3, mask: MASK_B2_N9, seed: 3 }],
  ['custom scale', { batch: 1, heads: 2, length: 13, dim: 4, valueDim: 2, scale: 2.5, seed: 4 }],
  ['single token', { batch: 1, heads: 1, length: 1, dim: 2, valueDim: 2, seed: 5 }],
];

describe('attentionScan', () => {
  it.each(cases)('equals the float64 quadratic oracle (%s)', (_, spec) => {
    const p = makeProblem(spec);
    const { q, k, v, mask } = p.tensors();
    const out = attentionScan(q, k, v, { mask, scale: spec.scale });
    expect(out.shape).toEqual(p.outShape);
    expectClose(read(out), reference.causalAttention(p.input), VALUE_TOL, 'attentionScan');
  });

  it.each(cases)('equals quadraticAttention written with core ops (%s)', (_, spec) => {
    const p = makeProblem(spec);
    const { q, k, v, mask } = p.tensors();
    const scan = read(attentionScan(q, k, v, { mask, scale: spec.scale }));
    const quadratic = read(quadraticAttention(q, k, v, { mask, scale: spec.scale }));
    expectClose(scan, quadratic, VALUE_TOL, 'scan vs quadratic');
    expectClose(quadratic, reference.causalAttention(p.input), VALUE_TOL, 'quadratic vs oracle');
  });

  it.each(['sequential', 'blockwise', 'blelloch', 'hillis-steele'] as const)(
    'equals a scan of the attention monoid of @aaren/scan (%s)',
    (algorithm) => {
      const p = makeProblem(cases[2]![1]);
      const { q, k, v, mask } = p.tensors();
      const { batch, heads, length, valueDim } = p.spec;
      const scores = reference.referenceScores(p.input);
      const expected = reference.attentionScanMonoid(scores, p.v, batch * heads, length, valueDim, {
        algorithm,
        blockSize: 4,
      });
      expectClose(
        expected,
        reference.causalAttention(p.input),
        { rtol: 1e-12, atol: 1e-14 },
        'monoid vs quadratic',
      );
      expectClose(read(attentionScan(q, k, v, { mask })), expected, VALUE_TOL, 'attentionScan vs monoid');
    },
  );

  it('outputs 0 for a fully masked prefix and the last real output on right padding', () => {
    const p = makeProblem({ batch: 2, heads: 1, length: 9, dim: 2, valueDim: 2, mask: MASK_B2_N9, seed: 6 });
    const { q, k, v, mask } = p.tensors();
    const out = read(attentionScan(q, k, v, { mask }));
    // Batch 1 starts with two masked tokens: outputs 0 there.
    const b1 = 9 * 2;
    expect(Array.from(out.slice(b1, b1 + 4))).toEqual([0, 0, 0, 0]);
    // Batch 0 ends with three padded tokens: each repeats the output of token 5.
    for (let t = 6; t < 9; t++)
      expect(Array.from(out.slice(t * 2, t * 2 + 2))).toEqual(Array.from(out.slice(10, 12)));
  });

  it('accepts i32 masks', () => {
    const p = makeProblem({ batch: 2, heads: 1, length: 9, dim: 2, valueDim: 2, mask: MASK_B2_N9, seed: 7 });
    const { q, k, v } = p.tensors();
    const mask = tensor(cpu, Int32Array.from(MASK_B2_N9), [2, 9]);
    expectClose(read(attentionScan(q, k, v, { mask })), reference.causalAttention(p.input), VALUE_TOL);
  });

  it('handles N = 0', () => {
    const out = attentionScan(f32([1, 0], [1, 2]), f32([], [1, 1, 0, 2]), f32([], [1, 1, 0, 3]));
    expect(out.shape).toEqual([1, 1, 0, 3]);
  });

  it('rejects bad shapes with errors naming the op, the tensor and the shapes', () => {
    const k = f32(new Float32Array(2 * 3 * 4 * 5), [2, 3, 4, 5]);
    const v = f32(new Float32Array(2 * 3 * 4 * 6), [2, 3, 4, 6]);
    const q = f32(new Float32Array(15), [3, 5]);
    expect(() => attentionScan(f32(new Float32Array(12), [3, 4]), k, v)).toThrow(AttentionShapeError);
    expect(() => attentionScan(f32(new Float32Array(12), [3, 4]), k, v)).toThrow(
      /attentionScan: q must be \[H, d\]/,
    );
    expect(() => attentionScan(q, k, f32(new Float32Array(36), [2, 3, 3, 2]))).toThrow(
      /attentionScan: v must be/,
    );
    expect(() => attentionScan(q, f32(new Float32Array(60), [3, 4, 5]), v)).toThrow(
      /k must be \[B, H, N, d\]/,
    );
    expect(() => attentionScan(q, k, v, { mask: f32([1, 1, 1], [1, 3]) })).toThrow(
      /options.mask must be \[2, 4\]/,
    );
    expect(() => attentionScan(q, k, v, { scale: Number.NaN })).toThrow(AttentionOptionError);
    try {
      attentionScan(q, k, f32(new Float32Array(36), [2, 3, 3, 2]));
    } catch (e) {
      expect(e).toBeInstanceOf(AttentionShapeError);
      expect((e as AttentionShapeError).tensor).toBe('v');
      expect((e as AttentionShapeError).op).toBe('attentionScan');
      expect((e as AttentionShapeError).shapes).toEqual([
        [2, 3, 3, 2],
        [2, 3, 4, 5],
      ]);
    }
  });
});

describe('attentionScores', () => {
  it('is q·k·scale with −∞ where masked', () => {
    const q = f32([1, 2], [1, 2]);
    const k = f32([1, 0, 0, 1, 1, 1], [1, 1, 3, 2]);
    const s = read(attentionScores(q, k, { scale: 0.5, mask: f32([1, 0, 1], [1, 3]) }));
    expect(Array.from(s)).toEqual([0.5, Number.NEGATIVE_INFINITY, 1.5]);
  });
});

describe('attentionScanFromScores', () => {
  it('scans any leading axes', () => {
    const scores = new Float32Array([0, 3, -1, 5, 2, 2, Number.NEGATIVE_INFINITY, 1]);
    const values = new Float32Array(8 * 3).map((_, i) => Math.sin(i));
    const out = attentionScanFromScores(f32(scores, [2, 1, 4]), f32(values, [2, 1, 4, 3]));
    expect(out.shape).toEqual([2, 1, 4, 3]);
    expectClose(read(out), reference.causalAttentionFromScores(scores, values, 2, 4, 3), VALUE_TOL);
  });

  it('rejects values whose leading extents differ from the scores', () => {
    expect(() => attentionScanFromScores(f32([1, 2], [2]), f32([1, 2, 3], [3, 1]))).toThrow(
      /attentionScanFromScores: values must be \[\.\.\.scores\.shape, D\]/,
    );
  });
});
