import { describe, expect, it } from 'vitest';
import { expectClose, Harness, randomArray, rng } from '../__fixtures__/harness.js';

const NINF = Number.NEGATIVE_INFINITY;

function run(h: Harness, data: ArrayLike<number>, rows: number, n: number, log: boolean, offset = 0) {
  const padded = new Float32Array(offset + rows * n);
  padded.set(Array.from(data), offset);
  const out = h.output([rows, n]);
  h.backend.kernels.softmax(h.input(padded, [rows, n], { offset, strides: [n, 1] }), out, log);
  return Array.from(h.read(out));
}

describe('cpu softmax', () => {
  it('matches a float64 reference on random rows with an input offset', () => {
    const h = new Harness();
    const data = randomArray(rng(51), 4 * 9, -5, 5);
    const expected: number[] = [];
    const expectedLog: number[] = [];
    for (let r = 0; r < 4; r++) {
      const row = Array.from(data.subarray(r * 9, r * 9 + 9));
      const z = row.reduce((s, x) => s + Math.exp(x), 0);
      for (const x of row) {
        expected.push(Math.exp(x) / z);
        expectedLog.push(x - Math.log(z));
      }
    }
    expectClose(run(h, data, 4, 9, false, 3), expected, 1e-6, 1e-7);
    expectClose(run(h, data, 4, 9, true, 3), expectedLog, 1e-6, 1e-6);
  });

  it('handles −∞ logits without NaN', () => {
    const h = new Harness();
    expect(run(h, [NINF, 0], 1, 2, false)).toEqual([0, 1]);
    expect(run(h, [NINF, 0], 1, 2, true)).toEqual([NINF, 0]);
    expect(run(h, [NINF, NINF, NINF], 1, 3, false)).toEqual([0, 0, 0]);
    expect(run(h, [NINF, NINF, NINF], 1, 3, true)).toEqual([NINF, NINF, NINF]);
  });

  it('is stable for logits of ±1e4', () => {
    const h = new Harness();
    expect(run(h, [1e4, 0, -1e4], 1, 3, false)).toEqual([1, 0, 0]);
    expectClose(run(h, [1e4, 1e4, -1e4], 1, 3, false), [0.5, 0.5, 0], 1e-7, 0);
    expectClose(run(h, [1e4, 1e4, -1e4], 1, 3, true), [-Math.LN2, -Math.LN2, -2e4 - Math.LN2], 1e-7, 0);
    expectClose(run(h, [-1e4, -1e4 + 1], 1, 2, false), [1 / (1 + Math.E), Math.E / (1 + Math.E)], 1e-6, 0);
  });
});
