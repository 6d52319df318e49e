import { createRng } from '@aaren/core';
import { describe, expect, it } from 'vitest';
import { SupraOptionError, sampleToken, samplingDistribution } from '../src/index.js';

const logitsOf = (probs: number[]) => probs.map(Math.log);

function expectClose(actual: Float64Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((p, i) => {
    expect(actual[i]).toBeCloseTo(p, 12);
  });
}

describe('samplingDistribution', () => {
  it('is the softmax at temperature 1 and sharpens with lower temperature', () => {
    expectClose(samplingDistribution(logitsOf([0.1, 0.2, 0.3, 0.4])), [0.1, 0.2, 0.3, 0.4]);
    // p^(1/T) renormalised: T = 0.5 squares the probabilities.
    const sq = [0.01, 0.04, 0.09, 0.16];
    const total = sq.reduce((a, b) => a + b);
    expectClose(
      samplingDistribution(logitsOf([0.1, 0.2, 0.3, 0.4]), { temperature: 0.5 }),
      sq.map((x) => x / total),
    );
  });

  it('is one-hot on the argmax at temperature 0', () => {
    expectClose(samplingDistribution([1, 5, 3], { temperature: 0 }), [0, 1, 0]);
  });

  it('top-k keeps the k most likely tokens (and ties with the k-th)', () => {
    expectClose(samplingDistribution(logitsOf([0.1, 0.2, 0.3, 0.4]), { topK: 2 }), [0, 0, 3 / 7, 4 / 7]);
    expectClose(samplingDistribution([1, 2, 2, 0], { topK: 2 }), [0, 0.5, 0.5, 0]);
    expectClose(samplingDistribution(logitsOf([0.1, 0.2, 0.3, 0.4]), { topK: 10 }), [0.1, 0.2, 0.3, 0.4]);
  });

  it('top-p drops the least likely tokens while their total stays ≤ 1 − p', () => {
    const logits = logitsOf([0.1, 0.2, 0.3, 0.4]);
    // Ascending cumulative 0.1, 0.3, 0.6, 1.0.
    expectClose(samplingDistribution(logits, { topP: 0.5 }), [0, 0, 3 / 7, 4 / 7]);
    expectClose(samplingDistribution(logits, { topP: 0.75 }), [0, 2 / 9, 3 / 9, 4 / 9]);
    expectClose(samplingDistribution(logits, { topP: 0.95 }), [0.1, 0.2, 0.3, 0.4]);
    expectClose(samplingDistribution(logits, { topP: 0.01 }), [0, 0, 0, 1]);
  });

  it('applies temperature, then top-k, then top-p', () => {
    // T = 0.5 → [1, 4, 9, 16]/30; top-k 3 → [4, 9, 16]/29; top-p 0.6: cumulative 4/29 ≤ 0.4 dropped,
    // 13/29 > 0.4 kept → [9, 16]/25.
    expectClose(
      samplingDistribution(logitsOf([0.1, 0.2, 0.3, 0.4]), { temperature: 0.5, topK: 3, topP: 0.6 }),
      [0, 0, 9 / 25, 16 / 25],
    );
  });

  it('rejects invalid options by name', () => {
    expect(() => samplingDistribution([0], { topP: 0 })).toThrow(SupraOptionError);
    expect(() => samplingDistribution([0], { topK: 1.5 })).toThrow(/topK/);
    expect(() => samplingDistribution([0], { temperature: -1 })).toThrow(/temperature/);
  });
});

describe('sampleToken', () => {
  it('draws with the frequencies of the distribution and is reproducible from the seed', () => {
    const logits = logitsOf([0.1, 0.2, 0.3, 0.4]);
    const rng = createRng(7);
    const counts = [0, 0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) counts[sampleToken(logits, { topK: 3 }, rng)]!++;
    expect(counts[0]).toBe(0);
    // Binomial standard deviations are below 0.0036; allow 5 of them.
    [0, 2 / 9, 3 / 9, 4 / 9].forEach((p, i) => {
      expect(Math.abs(counts[i]! / n - p)).toBeLessThan(0.018);
    });
    const a = Array.from({ length: 20 }, (_, i) => sampleToken(logits, {}, createRng(i)));
    const b = Array.from({ length: 20 }, (_, i) => sampleToken(logits, {}, createRng(i)));
    expect(a).toEqual(b);
  });
});
