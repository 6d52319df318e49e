import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packedAlgorithms, valueAlgorithms } from '../../test/algorithms.js';
import { closeNumber } from '../../test/close.js';
import { contiguousLine } from '../packed/line.js';
import { packedFromValues, valuesFromPacked } from '../packed-monoid.js';
import { scanSequential } from '../value/sequential.js';
import {
  attentionCodec,
  attentionFromScores,
  attentionLayout,
  attentionLeaf,
  attentionMonoid,
  attentionReadout,
  packedAttentionFromScores,
  packedAttentionMonoid,
} from './attention.js';

/** Independent oracle: softmax over each prefix computed from scratch (max-shifted), O(n²). */
function softmaxPrefixes(scores: readonly number[], values: readonly (readonly number[])[]): number[][] {
  return scores.map((_, t) => {
    const s = scores.slice(0, t + 1);
    const max = Math.max(...s);
    const weights = s.map((x) => Math.exp(x - max));
    const total = weights.reduce((a, b) => a + b, 0);
    const dim = values[0]!.length;
    return Array.from(
      { length: dim },
      (_, k) => weights.reduce((acc, wt, i) => acc + wt * values[i]![k]!, 0) / total,
    );
  });
}

/**
 * The classic mistake: take the running max, then accumulate e^{s_i − M_i} with each term scaled by the max
 * *at its own step* and never rescaled. Terms added before the max grew keep too much weight.
 */
function wrongCummaxCumsum(scores: readonly number[], values: readonly number[]): number[] {
  let max = Number.NEGATIVE_INFINITY;
  let num = 0;
  let den = 0;
  return scores.map((s, i) => {
    max = Math.max(max, s);
    num += Math.exp(s - max) * values[i]!;
    den += Math.exp(s - max);
    return num / den;
  });
}

/** An RNN whose running max starts at 0 instead of −∞ (another common mistake). */
function rnnStartedAtZero(scores: readonly number[], values: readonly number[]): number[] {
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

const monoid1 = attentionMonoid(1);
const readouts = (states: readonly { m: number; u: Float64Array; w: number }[]) =>
  states.map((st) => attentionReadout(st)[0]!);

describe('attention monoid', () => {
  const scores = [0, 3, -1, 5];
  const values = [1, 2, 3, 4];
  const leaves = attentionFromScores(
    scores,
    values.map((v) => [v]),
  );

  it('gives softmax prefix outputs u/w = [1, 1.95, 1.97, 3.74] for scores [0, 3, −1, 5], values [1, 2, 3, 4]', () => {
    const expected = [1, 1.95, 1.97, 3.74];
    const oracle = softmaxPrefixes(
      scores,
      values.map((v) => [v]),
    ).map((row) => row[0]!);
    oracle.forEach((o, i) => {
      expect(o).toBeCloseTo(expected[i]!, 2);
    });
    for (const { scan } of valueAlgorithms) {
      const outputs = readouts(scan(monoid1, leaves));
      outputs.forEach((o, i) => {
        expect(o).toBeCloseTo(expected[i]!, 2);
        expect(closeNumber(o, oracle[i]!, 1, 1e-14)).toBe(true);
      });
    }
  });

  it('differs from the wrong "cummax then cumsum of e^{s − cummax}" method (documents the pitfall)', () => {
    const wrong = wrongCummaxCumsum(scores, values);
    expect(wrong[1]).toBeCloseTo(1.5, 10); // (1·1 + 1·2) / (1 + 1): the first term was never rescaled by e^{0−3}
    const ours = readouts(scanSequential(monoid1, leaves));
    expect(ours[1]).toBeCloseTo(1.95, 2);
    expect(Math.abs(wrong[1]! - ours[1]!)).toBeGreaterThan(0.4);
    expect(Math.abs(wrong[3]! - ours[3]!)).toBeGreaterThan(0.01);
  });

  it('does not underflow for scores around −1e4, where a state started at m = 0 gives 0/0 = NaN', () => {
    const low = [-1e4, -1e4 + 1, -1e4 + 2];
    const vals = [1, 2, 3];
    const naive = rnnStartedAtZero(low, vals);
    expect(naive.every(Number.isNaN)).toBe(true);
    // Softmax is shift-invariant: the answer equals that for scores [0, 1, 2].
    const shifted = softmaxPrefixes(
      [0, 1, 2],
      vals.map((v) => [v]),
    ).map((row) => row[0]!);
    const ours = readouts(
      scanSequential(
        monoid1,
        attentionFromScores(
          low,
          vals.map((v) => [v]),
        ),
      ),
    );
    ours.forEach((o, i) => {
      expect(closeNumber(o, shifted[i]!, 1, 1e-12)).toBe(true);
    });
  });

  it('handles ±1e4 and ±1e30 scores and masked (−∞) tokens without NaN', () => {
    const s = [Number.NEGATIVE_INFINITY, 1e4, -1e4, 1e30, -1e30, Number.NEGATIVE_INFINITY, 1e30];
    const v = [10, 1, 2, 3, 4, 20, 5];
    const states = scanSequential(
      monoid1,
      attentionFromScores(
        s,
        v.map((x) => [x]),
      ),
    );
    // prefix 0 has only a masked token: the identity, read out as 0 (not NaN)
    expect(states[0]!.m).toBe(Number.NEGATIVE_INFINITY);
    expect(readouts(states)).toEqual([0, 1, 1, 3, 3, 3, 4]);
  });

  it('identity is (−∞, 0, 0) and exclusive scans start from it', () => {
    const id = monoid1.identity();
    expect(id.m).toBe(Number.NEGATIVE_INFINITY);
    expect(id.w).toBe(0);
    expect(Array.from(id.u)).toEqual([0]);
    const excl = scanSequential(monoid1, leaves, { exclusive: true });
    expect(attentionReadout(excl[0]!)[0]).toBe(0);
    expect(
      monoid1.combine(
        attentionLeaf(Number.NEGATIVE_INFINITY, [7]),
        attentionLeaf(Number.NEGATIVE_INFINITY, [8]),
      ),
    ).toEqual(id);
  });

  it('matches an independent softmax oracle on random inputs, every algorithm, value and packed', () => {
    const dim = 2;
    const monoid = attentionMonoid(dim);
    const packed = packedAttentionMonoid(dim);
    const codec = attentionCodec(dim);
    const token = fc.tuple(
      fc.double({ min: -50, max: 50, noNaN: true }),
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: dim, maxLength: dim }),
    );
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 41 }), (tokens) => {
        const s = tokens.map((t) => t[0]);
        const v = tokens.map((t) => t[1]);
        const oracle = softmaxPrefixes(s, v);
        const check = (outs: Float64Array[], label: string) =>
          outs.forEach((o, t) => {
            o.forEach((x, k) => {
              if (!closeNumber(x, oracle[t]![k]!, 10, 1e-11))
                throw new Error(`${label}: [${t}][${k}] ${x} vs ${oracle[t]![k]}`);
            });
          });
        const leavesV = attentionFromScores(s, v);
        for (const { name, scan } of valueAlgorithms)
          check(scan(monoid, leavesV).map(attentionReadout), name);
        const data = packedAttentionFromScores(s, v.flat(), dim);
        for (const { name, scan } of packedAlgorithms) {
          const out = new Float64Array(data.length);
          scan(packed, contiguousLine(data, dim + 2), contiguousLine(out, dim + 2));
          check(valuesFromPacked(codec, out).map(attentionReadout), name);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('packedAttentionFromScores lays out [m, w, u…] like the codec', () => {
    const s = [0.5, Number.NEGATIVE_INFINITY, -2];
    const v = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const viaCodec = packedFromValues(attentionCodec(2), attentionFromScores(s, v));
    expect(Array.from(packedAttentionFromScores(s, v.flat(), 2))).toEqual(Array.from(viaCodec));
    expect(Array.from(viaCodec.subarray(0, 4))).toEqual([0.5, 1, 1, 2]);
    expect(attentionLayout).toEqual({ m: 0, w: 1, u: 2 });
  });
});
