import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allCases } from '../../test/cases.js';
import { show } from '../../test/close.js';

// Tolerance: associativity holds exactly for max and up to RTOL = 1e-10 (test/close.ts) relative to the same
// product computed on absolute values for sum, logsumexp, the linear recurrence and attention (float64).
// Identity laws hold exactly for every monoid.

describe.each(allCases)('$name monoid laws', (c) => {
  const { monoid, packed, codec } = c;

  it('is associative (within tolerance)', () => {
    fc.assert(
      fc.property(c.state, c.state, c.state, (a, b, d) => {
        const left = monoid.combine(monoid.combine(a, b), d);
        const right = monoid.combine(a, monoid.combine(b, d));
        const scale = monoid.combine(monoid.combine(c.abs(a), c.abs(b)), c.abs(d));
        if (!c.close(left, right, scale))
          throw new Error(`(a⊕b)⊕c = ${show(left)} but a⊕(b⊕c) = ${show(right)}`);
      }),
    );
  });

  it('has a two-sided identity (exact)', () => {
    fc.assert(
      fc.property(c.state, (a) => {
        const exact = (x: unknown) => show(x) === show(a);
        expect(exact(monoid.combine(monoid.identity(), a))).toBe(true);
        expect(exact(monoid.combine(a, monoid.identity()))).toBe(true);
      }),
    );
    expect(show(monoid.combine(monoid.identity(), monoid.identity()))).toBe(show(monoid.identity()));
  });

  it('never produces NaN from finite or −∞ inputs', () => {
    fc.assert(
      fc.property(fc.array(c.element, { maxLength: 8 }), (xs) => {
        let acc = monoid.identity();
        for (const x of xs) {
          acc = monoid.combine(acc, x);
          expect(c.hasNaN(acc)).toBe(false);
          expect(c.hasNaN(monoid.combine(x, acc))).toBe(false);
        }
      }),
    );
  });

  it('packed form matches the value form, and identity round-trips through the codec', () => {
    const w = packed.width;
    expect(codec.width).toBe(w);
    const id = new Float64Array(w);
    packed.setIdentity(id, 0);
    expect(show(codec.read(id, 0))).toBe(show(monoid.identity()));
    fc.assert(
      fc.property(c.state, c.state, (a, b) => {
        const buf = new Float64Array(3 * w + 1);
        codec.write(a, buf, 1);
        codec.write(b, buf, 1 + w);
        packed.combine(buf, 1, buf, 1 + w, buf, 1 + 2 * w);
        expect(show(codec.read(buf, 1 + 2 * w))).toBe(show(monoid.combine(a, b)));
      }),
    );
  });

  it('packed combine may write over either operand', () => {
    fc.assert(
      fc.property(c.state, c.state, (a, b) => {
        const w = packed.width;
        const expected = show(monoid.combine(a, b));
        const overA = new Float64Array(2 * w);
        codec.write(a, overA, 0);
        codec.write(b, overA, w);
        packed.combine(overA, 0, overA, w, overA, 0);
        expect(show(codec.read(overA, 0))).toBe(expected);
        const overB = new Float64Array(2 * w);
        codec.write(a, overB, 0);
        codec.write(b, overB, w);
        packed.combine(overB, 0, overB, w, overB, w);
        expect(show(codec.read(overB, w))).toBe(expected);
      }),
    );
  });
});
