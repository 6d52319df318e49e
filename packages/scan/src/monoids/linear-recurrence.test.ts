import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packedAlgorithms, valueAlgorithms } from '../../test/algorithms.js';
import { closeNumber } from '../../test/close.js';
import { contiguousLine } from '../packed/line.js';
import { scanSequential } from '../value/sequential.js';
import {
  linearRecurrenceLoop,
  linearRecurrenceMonoid,
  packedLinearRecurrenceMonoid,
} from './linear-recurrence.js';

const coefficient = fc
  .double({ min: -1.2, max: 1.2, noNaN: true })
  .filter((a) => a === 0 || Math.abs(a) > 1e-3);
const input = fc.double({ min: -100, max: 100, noNaN: true });

describe('linear recurrence monoid', () => {
  it('composes in sequence order: (a1, b1) ⊕ (a2, b2) = (a1·a2, a2·b1 + b2), identity (1, 0)', () => {
    expect(linearRecurrenceMonoid.combine({ a: 2, b: 3 }, { a: 5, b: 7 })).toEqual({ a: 10, b: 22 });
    expect(linearRecurrenceMonoid.identity()).toEqual({ a: 1, b: 0 });
    expect(
      scanSequential(linearRecurrenceMonoid, [
        { a: 0.5, b: 1 },
        { a: 0.5, b: 1 },
      ]).map((s) => s.b),
    ).toEqual([1, 1.5]);
  });

  it('scan equals the direct loop h_t = a_t h_{t−1} + b_t (every algorithm, with h_{−1} = h0)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(coefficient, input), { maxLength: 61 }), input, (steps, h0) => {
        const a = steps.map((s) => s[0]);
        const b = steps.map((s) => s[1]);
        const loop = linearRecurrenceLoop(a, b, h0);
        const scale = linearRecurrenceLoop(a.map(Math.abs), b.map(Math.abs), Math.abs(h0));
        const xs = steps.map(([ai, bi]) => ({ a: ai, b: bi }));
        for (const { name, scan } of valueAlgorithms) {
          scan(linearRecurrenceMonoid, xs).forEach(({ a: At, b: Bt }, t) => {
            const h = At * h0 + Bt;
            if (!closeNumber(h, loop[t]!, scale[t]! + 1))
              throw new Error(`${name}: h[${t}] = ${h}, loop gives ${loop[t]}`);
          });
        }
      }),
    );
  });

  it('packed vector form runs dim independent recurrences with a shared decay', () => {
    const dim = 3;
    const packed = packedLinearRecurrenceMonoid(dim);
    expect(packed.width).toBe(4);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coefficient, fc.array(input, { minLength: dim, maxLength: dim })), {
          maxLength: 33,
        }),
        (steps) => {
          const data = new Float64Array(steps.flatMap(([a, b]) => [a, ...b]));
          for (const { name, scan } of packedAlgorithms) {
            const out = new Float64Array(data.length);
            scan(packed, contiguousLine(data, dim + 1), contiguousLine(out, dim + 1));
            for (let k = 0; k < dim; k++) {
              const a = steps.map((s) => s[0]);
              const loop = linearRecurrenceLoop(
                a,
                steps.map((s) => s[1][k]!),
              );
              const scale = linearRecurrenceLoop(
                a.map(Math.abs),
                steps.map((s) => Math.abs(s[1][k]!)),
              );
              loop.forEach((h, t) => {
                const got = out[t * (dim + 1) + 1 + k]!;
                if (!closeNumber(got, h, scale[t]! + 1))
                  throw new Error(`${name}: h[${t}][${k}] = ${got}, loop ${h}`);
              });
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
