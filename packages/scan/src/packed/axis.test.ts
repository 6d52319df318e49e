import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packedAlgorithms } from '../../test/algorithms.js';
import { ATTENTION_DIM, allCases, attentionCase, modeName, modes } from '../../test/cases.js';
import { assertAllClose } from '../../test/close.js';
import { packedSumMonoid } from '../monoids/sum.js';
import { scanSequential } from '../value/sequential.js';
import { scanAxis } from './axis.js';

const dim = fc.oneof(
  fc.constant(0),
  fc.constant(1),
  fc.integer({ min: 1, max: 4 }).map((k) => 2 * k + 1),
  fc.constant(2),
);

describe('scanAxis', () => {
  it('scans rows and columns of a matrix (documented example)', () => {
    const x = new Float64Array([1, 2, 3, 4, 5, 6]);
    expect(Array.from(scanAxis(packedSumMonoid, x, [2, 3], 0))).toEqual([1, 2, 3, 5, 7, 9]);
    expect(Array.from(scanAxis(packedSumMonoid, x, [2, 3], 1))).toEqual([1, 3, 6, 4, 9, 15]);
    expect(Array.from(scanAxis(packedSumMonoid, x, [2, 3], -1, { reverse: true }))).toEqual([
      6, 5, 3, 15, 11, 6,
    ]);
    expect(scanAxis(packedSumMonoid, new Float32Array(6), [2, 3], 0)).toBeInstanceOf(Float32Array);
  });

  it('in place via options.output = data', () => {
    const x = new Float64Array([1, 2, 3, 4, 5, 6]);
    expect(scanAxis(packedSumMonoid, x, [2, 3], 0, { output: x })).toBe(x);
    expect(Array.from(x)).toEqual([1, 2, 3, 5, 7, 9]);
  });

  // Each case's shape has 3 element axes; for attention the array is [d0, d1, d2, dim + 2].
  describe.each(allCases.filter((c) => c.name === 'sum' || c.name === 'attention'))(
    'on a 3-d array of $name elements equals scanning every line by hand',
    (c) => {
      it('for every axis, mode and algorithm', () => {
        const w = c.packed.width;
        fc.assert(
          fc.property(
            fc.tuple(dim, dim, dim).chain((shape) =>
              fc.record({
                shape: fc.constant(shape),
                values: fc.array(c.element, {
                  minLength: shape[0] * shape[1] * shape[2],
                  maxLength: shape[0] * shape[1] * shape[2],
                }),
                axis: fc.integer({ min: -3, max: 2 }),
              }),
            ),
            ({ shape, values, axis }) => {
              const data = new Float64Array(values.length * w);
              values.forEach((v, i) => {
                c.codec.write(v, data, i * w);
              });
              const fullShape = w === 1 ? shape : [...shape, w];
              const a = axis < 0 ? axis + 3 : axis;
              const [, d1, d2] = shape;
              const index = (i: number, j: number, k: number) => (i * d1 + j) * d2 + k;
              for (const mode of modes) {
                // Manual loop: gather each line along `a` as values, scan it with the value-level reference.
                const expected = new Array(values.length);
                const scales = new Array(values.length);
                const outerDims = [0, 1, 2].filter((x) => x !== a).map((x) => shape[x]!);
                for (let p = 0; p < outerDims[0]!; p++) {
                  for (let q = 0; q < outerDims[1]!; q++) {
                    const ids = Array.from({ length: shape[a]! }, (_, t) => {
                      const idx = [p, q];
                      idx.splice(a, 0, t);
                      return index(idx[0]!, idx[1]!, idx[2]!);
                    });
                    const line = scanSequential(
                      c.monoid,
                      ids.map((id) => values[id]),
                      mode,
                    );
                    const lineScale = scanSequential(
                      c.monoid,
                      ids.map((id) => c.abs(values[id])),
                      mode,
                    );
                    ids.forEach((id, t) => {
                      expected[id] = line[t];
                      scales[id] = lineScale[t];
                    });
                  }
                }
                for (const { name, scan } of packedAlgorithms) {
                  const out = scanAxis(c.packed, data, fullShape, axis, { ...mode, algorithm: scan });
                  const actual = values.map((_, i) => c.codec.read(out, i * w));
                  assertAllClose(actual, expected, scales, c.close, `${name} axis ${axis} ${modeName(mode)}`);
                }
              }
            },
          ),
          { numRuns: 25 },
        );
      });
    },
  );

  it('uses the default sequential algorithm and honours blockSize', () => {
    const x = new Float64Array(Array.from({ length: 12 }, (_, i) => i));
    const a = scanAxis(packedSumMonoid, x, [3, 4], 1);
    const b = scanAxis(packedSumMonoid, x, [3, 4], 1, { blockSize: 3, algorithm: packedAlgorithms[1]!.scan });
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('handles attention elements with the documented [.., dim + 2] layout', () => {
    expect(ATTENTION_DIM + 2).toBe(attentionCase.packed.width);
  });
});
