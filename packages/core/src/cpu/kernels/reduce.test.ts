import { describe, expect, it } from 'vitest';
import type { ReduceOp } from '../../backend.js';
import { expectClose, Harness, randomArray, rng } from '../__fixtures__/harness.js';

describe('cpu reduce and argmax', () => {
  it('reduces the middle axis of [outer, n, inner] with an input offset', () => {
    const h = new Harness();
    const [outer, n, inner] = [3, 5, 4];
    const data = randomArray(rng(61), 2 + outer * n * inner);
    const x = h.input(data, [outer, n, inner], { offset: 2, strides: [n * inner, inner, 1] });
    const combine: Record<ReduceOp, (a: number, b: number) => number> = {
      sum: (a, b) => a + b,
      max: Math.max,
      min: Math.min,
    };
    for (const op of ['sum', 'max', 'min'] as const) {
      const out = h.output([outer, inner]);
      h.backend.kernels.reduce(op, x, out);
      const expected: number[] = [];
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) {
          let acc = data[2 + o * n * inner + j]!;
          for (let i = 1; i < n; i++) acc = combine[op](acc, data[2 + o * n * inner + i * inner + j]!);
          expected.push(acc);
        }
      }
      expectClose(h.read(out), expected, 1e-6, 1e-7);
    }
  });

  it('gives 0, −∞, +∞ for empty sums, maxes and mins, and propagates NaN in max', () => {
    const h = new Harness();
    const empty = h.input([], [2, 0, 1]);
    const results = (['sum', 'max', 'min'] as const).map((op) => {
      const out = h.output([2, 1]);
      h.backend.kernels.reduce(op, empty, out);
      return Array.from(h.read(out));
    });
    expect(results).toEqual([
      [0, 0],
      [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
      [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
    ]);
    const out = h.output([1, 1]);
    h.backend.kernels.reduce('max', h.input([1, Number.NaN, 2], [1, 3, 1]), out);
    expect(Number.isNaN(h.read(out)[0])).toBe(true);
  });

  it('uses the ends of the i32 range as the identities of i32 max/min (empty slices, exclusive cummax)', () => {
    const h = new Harness();
    const empty = h.input([], [1, 0, 2], { dtype: 'i32' });
    const max = h.output([1, 2], 'i32');
    const min = h.output([1, 2], 'i32');
    h.backend.kernels.reduce('max', empty, max);
    h.backend.kernels.reduce('min', empty, min);
    expect(Array.from(h.read(max))).toEqual([-2147483648, -2147483648]);
    expect(Array.from(h.read(min))).toEqual([2147483647, 2147483647]);
    const cm = h.output([1, 3, 1], 'i32');
    h.backend.kernels.cummax(h.input([5, -3, 7], [1, 3, 1], { dtype: 'i32' }), cm, {
      exclusive: true,
      reverse: false,
    });
    expect(Array.from(h.read(cm))).toEqual([-2147483648, 5, 5]);
  });

  it('argmax returns the first maximum', () => {
    const h = new Harness();
    const out = h.output([2, 2], 'i32');
    // [2, 3, 2]: columns of the first block are [1, 5, 5] and [7, 0, 7]; of the second [0, 0, 0] and [−1, 2, 3].
    h.backend.kernels.argmax(h.input([1, 7, 5, 0, 5, 7, 0, -1, 0, 2, 0, 3], [2, 3, 2]), out);
    expect(Array.from(h.read(out))).toEqual([1, 0, 0, 2]);
  });
});
