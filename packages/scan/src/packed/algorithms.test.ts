import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packedAlgorithms } from '../../test/algorithms.js';
import { allCases, modeName, modes, sequence } from '../../test/cases.js';
import { assertAllClose, closeNumber } from '../../test/close.js';
import { packedFromValues, valuesFromPacked } from '../packed-monoid.js';
import { scanSequential } from '../value/sequential.js';
import { contiguousLine, type PackedLine, reverseLine } from './line.js';
import { reducePacked } from './reduce.js';

describe.each(allCases)('packed scans agree with the value-level scan: $name', (c) => {
  const w = c.packed.width;

  it('contiguous input → separate output, every algorithm and mode', () => {
    fc.assert(
      fc.property(sequence(c.element), (xs) => {
        const data = packedFromValues(c.codec, xs);
        for (const mode of modes) {
          const expected = scanSequential(c.monoid, xs, mode);
          const scales = scanSequential(c.monoid, xs.map(c.abs), mode);
          for (const { name, scan } of packedAlgorithms) {
            const out = new Float64Array(data.length);
            scan(c.packed, contiguousLine(data, w), contiguousLine(out, w), mode);
            const actual = valuesFromPacked(c.codec, out);
            assertAllClose(actual, expected, scales, c.close, `${name} ${modeName(mode)}`);
            expect(actual.some(c.hasNaN)).toBe(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('in place and on strided, offset lines (padding around elements is left untouched)', () => {
    fc.assert(
      fc.property(sequence(c.element), fc.integer({ min: 0, max: 3 }), fc.boolean(), (xs, gap, backwards) => {
        const n = xs.length;
        const stride = w + gap;
        const offset = 2;
        const sentinel = 12345;
        for (const mode of modes) {
          const expected = scanSequential(c.monoid, backwards ? xs.slice().reverse() : xs, mode);
          const scales = scanSequential(c.monoid, (backwards ? xs.slice().reverse() : xs).map(c.abs), mode);
          for (const { name, scan } of packedAlgorithms) {
            const data = new Float64Array(offset + n * stride + 1).fill(sentinel);
            xs.forEach((x, i) => {
              c.codec.write(x, data, offset + i * stride);
            });
            let line: PackedLine = { data, offset, stride, length: n };
            if (backwards) line = reverseLine(line);
            scan(c.packed, line, line, mode);
            const actual = Array.from({ length: n }, (_, k) =>
              c.codec.read(data, line.offset + k * line.stride),
            );
            assertAllClose(actual, expected, scales, c.close, `${name} in place ${modeName(mode)}`);
            for (let i = 0; i < data.length; i++) {
              const inElement = i >= offset && (i - offset) % stride < w && i < offset + n * stride;
              if (!inElement) expect(data[i]).toBe(sentinel);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('reducePacked equals the last inclusive prefix', () => {
    fc.assert(
      fc.property(sequence(c.element), (xs) => {
        const out = new Float64Array(w + 1);
        reducePacked(c.packed, contiguousLine(packedFromValues(c.codec, xs), w), out, 1);
        const expected = scanSequential(c.monoid, [c.monoid.identity(), ...xs]).at(-1)!;
        const scale = scanSequential(c.monoid, [c.monoid.identity(), ...xs].map(c.abs)).at(-1)!;
        assertAllClose([c.codec.read(out, 1)], [expected], [scale], c.close, 'reducePacked');
      }),
      { numRuns: 50 },
    );
  });
});

describe('packed scans on Float32Array', () => {
  it.each(allCases.filter((c) => c.name === 'sum' || c.name === 'attention'))(
    '$name: every algorithm matches the float64 scan to float32 precision',
    (c) => {
      const w = c.packed.width;
      fc.assert(
        fc.property(sequence(c.element), (xs) => {
          // Round inputs to float32 first so that only the scan's own rounding is compared.
          const f32 = packedFromValues(c.codec, xs, new Float32Array(xs.length * w));
          const rounded = valuesFromPacked(c.codec, f32);
          const expected = packedFromValues(c.codec, scanSequential(c.monoid, rounded));
          const scales = packedFromValues(c.codec, scanSequential(c.monoid, rounded.map(c.abs)));
          for (const { name, scan } of packedAlgorithms) {
            const out = new Float32Array(f32.length);
            scan(c.packed, contiguousLine(f32, w), contiguousLine(out, w));
            for (let i = 0; i < out.length; i++) {
              const ok = closeNumber(out[i]!, Math.fround(expected[i]!), scales[i]!, 1e-6);
              if (!ok)
                throw new Error(
                  `${name}: entry ${i} is ${out[i]}, expected ${expected[i]} (scale ${scales[i]})`,
                );
            }
          }
        }),
        { numRuns: 30 },
      );
    },
  );
});
