import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { Harness } from '../__fixtures__/harness.js';

describe('cpu gather and scatterAdd', () => {
  it('gathers rows, including repeats, from an offset table', () => {
    const h = new Harness();
    const table = h.input([-1, 0, 1, 10, 11, 20, 21], [3, 2], { offset: 1, strides: [2, 1] });
    const out = h.output([4, 2]);
    h.backend.kernels.gather(table, h.input([2, 0, 2, 1], [4], { dtype: 'i32' }), out);
    expect(Array.from(h.read(out))).toEqual([20, 21, 0, 1, 20, 21, 10, 11]);
  });

  it('scatter-adds rows into the existing contents, summing repeated indices', () => {
    const h = new Harness();
    const out = h.input([1, 1, 1, 1, 1, 1], [3, 2]);
    h.backend.kernels.scatterAdd(
      h.input([2, 0, 2], [3], { dtype: 'i32' }),
      h.input([1, 2, 3, 4, 5, 6], [3, 2]),
      out,
    );
    expect(Array.from(h.read(out))).toEqual([4, 5, 1, 1, 7, 9]);
  });

  it('rejects out-of-range indices, naming the index and the table size, before writing', () => {
    const h = new Harness();
    const out = h.output([2, 2]);
    const call = (index: number) => () =>
      h.backend.kernels.gather(
        h.input([1, 2, 3, 4, 5, 6], [3, 2]),
        h.input([0, index], [2], { dtype: 'i32' }),
        out,
      );
    expect(call(3)).toThrow(InvalidArgumentError);
    expect(call(3)).toThrow(/index 3 at position 1 .*3 rows/);
    expect(call(-1)).toThrow(/index -1/);
    expect(Number.isNaN(h.read(out)[0])).toBe(true);
    const target = h.input([0, 0], [1, 2]);
    expect(() =>
      h.backend.kernels.scatterAdd(h.input([1], [1], { dtype: 'i32' }), h.input([5, 5], [1, 2]), target),
    ).toThrow(/scatterAdd: index 1 .*1 rows/);
    expect(Array.from(h.read(target))).toEqual([0, 0]);
  });
});
