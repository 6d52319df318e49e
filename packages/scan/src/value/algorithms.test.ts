import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueAlgorithms } from '../../test/algorithms.js';
import { allCases, modeName, modes, sequence } from '../../test/cases.js';
import { assertAllClose } from '../../test/close.js';
import { type Monoid, maxMonoid, sumMonoid } from '../index.js';
import { scanBlelloch } from './blelloch.js';
import { scanBlockwise } from './blockwise.js';
import { scanHillisSteele } from './hillis-steele.js';
import { reduce } from './reduce.js';
import { scanSequential } from './sequential.js';

/** The definition of each mode, one independent reduction per output (O(n²)). */
function bruteForce<T>(
  monoid: Monoid<T>,
  xs: readonly T[],
  mode: { exclusive: boolean; reverse: boolean },
): T[] {
  return xs.map((_, i) => {
    const window = mode.reverse
      ? xs.slice(mode.exclusive ? i + 1 : i)
      : xs.slice(0, mode.exclusive ? i : i + 1);
    return reduce(monoid, window);
  });
}

/** A non-commutative monoid that records the exact order of combination. */
const concat: Monoid<string> = { name: 'concat', identity: () => '', combine: (a, b) => a + b };

describe('value-level scans', () => {
  it('follow the documented semantics on a small example', () => {
    expect(scanSequential(sumMonoid, [1, 2, 3])).toEqual([1, 3, 6]);
    expect(scanSequential(sumMonoid, [1, 2, 3], { exclusive: true })).toEqual([0, 1, 3]);
    expect(scanSequential(sumMonoid, [1, 2, 3], { reverse: true })).toEqual([6, 5, 3]);
    expect(scanSequential(sumMonoid, [1, 2, 3], { reverse: true, exclusive: true })).toEqual([5, 3, 0]);
    expect(scanSequential(maxMonoid, [0, 3, -1, 5])).toEqual([0, 3, 3, 5]);
    expect(reduce(maxMonoid, [])).toBe(Number.NEGATIVE_INFINITY);
  });

  it.each(valueAlgorithms)('$name keeps the sequence order for a non-commutative monoid', ({ scan }) => {
    const xs = ['a', 'b', 'c', 'd', 'e'];
    expect(scan(concat, xs)).toEqual(['a', 'ab', 'abc', 'abcd', 'abcde']);
    expect(scan(concat, xs, { exclusive: true })).toEqual(['', 'a', 'ab', 'abc', 'abcd']);
    expect(scan(concat, xs, { reverse: true })).toEqual(['abcde', 'bcde', 'cde', 'de', 'e']);
    expect(scan(concat, xs, { reverse: true, exclusive: true })).toEqual(['bcde', 'cde', 'de', 'e', '']);
    expect(scan(concat, [])).toEqual([]);
    expect(scan(concat, [], { exclusive: true, reverse: true })).toEqual([]);
    expect(scan(concat, ['x'], { exclusive: true })).toEqual(['']);
  });

  it.each(valueAlgorithms)(
    '$name agrees with the brute-force definition for every mode (strings, exact)',
    ({ scan }) => {
      fc.assert(
        fc.property(sequence(fc.string({ maxLength: 2 })), (xs) => {
          for (const mode of modes) expect(scan(concat, xs, mode)).toEqual(bruteForce(concat, xs, mode));
        }),
        { numRuns: 50 },
      );
    },
  );

  it('do not mutate their input', () => {
    const xs = [3, 1, 2];
    for (const { scan } of valueAlgorithms) scan(sumMonoid, xs, { reverse: true, exclusive: true });
    expect(xs).toEqual([3, 1, 2]);
  });

  it('export the functions the tests iterate over', () => {
    expect(valueAlgorithms.map((a) => a.name)).toContain('blockwise(1)');
    expect([scanBlelloch, scanBlockwise, scanHillisSteele].every((f) => typeof f === 'function')).toBe(true);
  });
});

describe.each(allCases)('value-level scans agree: $name', (c) => {
  it('sequential equals the brute-force definition', () => {
    fc.assert(
      fc.property(sequence(c.element), (xs) => {
        for (const mode of modes) {
          const scales = scanSequential(c.monoid, xs.map(c.abs), mode);
          assertAllClose(
            scanSequential(c.monoid, xs, mode),
            bruteForce(c.monoid, xs, mode),
            scales,
            c.close,
            modeName(mode),
          );
        }
      }),
      { numRuns: 50 },
    );
  });

  it('all algorithms equal sequential on random inputs (odd lengths, 0, 1, huge/tiny magnitudes)', () => {
    fc.assert(
      fc.property(sequence(c.element), (xs) => {
        for (const mode of modes) {
          const expected = scanSequential(c.monoid, xs, mode);
          const scales = scanSequential(c.monoid, xs.map(c.abs), mode);
          for (const { name, scan } of valueAlgorithms) {
            const actual = scan(c.monoid, xs, mode);
            expect(actual.some(c.hasNaN)).toBe(false);
            assertAllClose(actual, expected, scales, c.close, `${name} ${modeName(mode)}`);
          }
        }
      }),
    );
  });
});
