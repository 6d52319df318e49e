import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packedAlgorithms, valueAlgorithms } from '../test/algorithms.js';
import { allCases, flaggedSequence, modeName, modes } from '../test/cases.js';
import { assertAllClose, show } from '../test/close.js';
import {
  contiguousLine,
  type Monoid,
  packedFromValues,
  packedSegmented,
  packedSumMonoid,
  reduce,
  scanSequential,
  segmented,
  segmentedScan,
  segmentedScanPacked,
  sumMonoid,
  valuesFromPacked,
} from './index.js';

/** Definition: each output reduces its window clipped to its own segment (O(n²)). */
function bruteForce<T>(
  monoid: Monoid<T>,
  xs: readonly T[],
  flags: readonly boolean[],
  mode: { exclusive: boolean; reverse: boolean },
): T[] {
  const segmentOf: number[] = [];
  let seg = 0;
  flags.forEach((f, i) => {
    if (f && i > 0) seg++;
    segmentOf.push(seg);
  });
  return xs.map((_, i) => {
    const indices = xs
      .map((__, j) => j)
      .filter((j) => segmentOf[j] === segmentOf[i])
      .filter((j) => (mode.reverse ? (mode.exclusive ? j > i : j >= i) : mode.exclusive ? j < i : j <= i));
    return reduce(
      monoid,
      indices.map((j) => xs[j]!),
    );
  });
}

const concat: Monoid<string> = { name: 'concat', identity: () => '', combine: (a, b) => a + b };

describe('segmented scans', () => {
  it('restart at every segment start (documented examples)', () => {
    const flags = [true, false, true, false, false];
    expect(segmentedScan(sumMonoid, [1, 2, 3, 4, 5], flags)).toEqual([1, 3, 3, 7, 12]);
    expect(segmentedScan(sumMonoid, [1, 2, 3, 4, 5], flags, { exclusive: true })).toEqual([0, 1, 0, 3, 7]);
    expect(segmentedScan(sumMonoid, [1, 2, 3, 4, 5], [1, 0, 1, 0, 0], { reverse: true })).toEqual([
      3, 2, 12, 9, 5,
    ]);
    expect(segmentedScan(sumMonoid, [1, 2, 3, 4, 5], flags, { reverse: true, exclusive: true })).toEqual([
      2, 0, 9, 5, 0,
    ]);
    const x = new Float64Array([1, 2, 3, 4, 5]);
    segmentedScanPacked(packedSumMonoid, contiguousLine(x, 1), [1, 0, 1, 0, 0], contiguousLine(x, 1));
    expect(Array.from(x)).toEqual([1, 3, 3, 7, 12]);
  });

  it('lifted monoids satisfy the laws (exactly, on strings)', () => {
    for (const direction of ['forward', 'reverse'] as const) {
      const lifted = segmented(concat, direction);
      const el = fc.record({ flag: fc.boolean(), value: fc.string({ maxLength: 2 }) });
      fc.assert(
        fc.property(el, el, el, (a, b, c) => {
          expect(lifted.combine(lifted.combine(a, b), c)).toEqual(lifted.combine(a, lifted.combine(b, c)));
          expect(lifted.combine(lifted.identity(), a)).toEqual(a);
          expect(lifted.combine(a, lifted.identity())).toEqual(a);
        }),
      );
    }
  });

  it('packedSegmented matches segmented', () => {
    for (const direction of ['forward', 'reverse'] as const) {
      const lifted = segmented(sumMonoid, direction);
      const packed = packedSegmented(packedSumMonoid, direction);
      const el = fc.record({ flag: fc.boolean(), value: fc.integer({ min: -9, max: 9 }) });
      fc.assert(
        fc.property(el, el, (a, b) => {
          const buf = new Float64Array([a.flag ? 1 : 0, a.value, b.flag ? 1 : 0, b.value, 0, 0]);
          packed.combine(buf, 0, buf, 2, buf, 4);
          const r = lifted.combine(a, b);
          expect([buf[4] === 1, buf[5]]).toEqual([r.flag, r.value]);
        }),
      );
    }
  });

  it.each(valueAlgorithms)('$name: segmented scan equals the definition (strings, exact)', ({ scan }) => {
    fc.assert(
      fc.property(flaggedSequence(fc.string({ maxLength: 2 })), ({ values, flags }) => {
        for (const mode of modes) {
          expect(segmentedScan(concat, values, flags, { ...mode, algorithm: scan })).toEqual(
            bruteForce(concat, values, flags, mode),
          );
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe.each(allCases)('segmented scans agree: $name', (c) => {
  it('value and packed, every algorithm and mode, equal the brute-force definition', () => {
    const w = c.packed.width;
    fc.assert(
      fc.property(flaggedSequence(c.element), ({ values, flags }) => {
        const data = packedFromValues(c.codec, values);
        for (const mode of modes) {
          const expected = bruteForce(c.monoid, values, flags, mode);
          const scales = segmentedScan(c.monoid, values.map(c.abs), flags, mode);
          for (const { name, scan } of valueAlgorithms) {
            const actual = segmentedScan(c.monoid, values, flags, { ...mode, algorithm: scan });
            assertAllClose(actual, expected, scales, c.close, `${name} ${modeName(mode)}`);
          }
          for (const { name, scan } of packedAlgorithms) {
            const out = new Float64Array(data.length);
            segmentedScanPacked(c.packed, contiguousLine(data, w), flags, contiguousLine(out, w), {
              ...mode,
              algorithm: scan,
            });
            assertAllClose(
              valuesFromPacked(c.codec, out),
              expected,
              scales,
              c.close,
              `${name} ${modeName(mode)}`,
            );
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('with no flags (or only the first) equals the plain scan', () => {
    fc.assert(
      fc.property(flaggedSequence(c.element), ({ values }) => {
        const flags = values.map((_, i) => i === 0);
        for (const mode of modes) {
          expect(show(segmentedScan(c.monoid, values, flags, mode))).toBe(
            show(scanSequential(c.monoid, values, mode)),
          );
        }
      }),
      { numRuns: 25 },
    );
  });
});
