/**
 * One test "case" per monoid: value and packed forms, codec, element generator, and the comparison used
 * when two evaluation orders must agree.
 */
import fc from 'fast-check';
import {
  type AttentionState,
  attentionCodec,
  attentionLeaf,
  attentionMonoid,
  type LinearRecurrenceStep,
  linearRecurrenceCodec,
  linearRecurrenceMonoid,
  logSumExpMonoid,
  type Monoid,
  maxMonoid,
  type PackedCodec,
  type PackedMonoid,
  packedAttentionMonoid,
  packedLinearRecurrenceMonoid,
  packedLogSumExpMonoid,
  packedMaxMonoid,
  packedSumMonoid,
  scalarCodec,
  sumMonoid,
} from '../src/index.js';
import { closeNumber } from './close.js';

/** Everything the generic tests need to know about one monoid. */
export interface MonoidCase<T> {
  readonly name: string;
  readonly monoid: Monoid<T>;
  readonly packed: PackedMonoid;
  readonly codec: PackedCodec<T>;
  /** Generator of leaf elements (inputs of a scan). */
  readonly element: fc.Arbitrary<T>;
  /** Generator of arbitrary reachable elements (leaves and small products), for the monoid laws. */
  readonly state: fc.Arbitrary<T>;
  /** Maps an element to its "magnitude" element; scanning those gives the scale for {@link close}. */
  abs(x: T): T;
  /** Whether `actual` equals `expected` up to reassociation error relative to `scale`. */
  close(actual: T, expected: T, scale: T): boolean;
  /** Whether the element contains a NaN anywhere. */
  hasNaN(x: T): boolean;
}

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Moderate, huge and tiny magnitudes of both signs. */
export const magnitude = fc.oneof(
  { weight: 4, arbitrary: finite(-1e3, 1e3) },
  { weight: 1, arbitrary: fc.constantFrom(1e30, -1e30, 1e-30, -1e-30, 0, -0) },
  { weight: 1, arbitrary: finite(-1e30, 1e30) },
  { weight: 1, arbitrary: finite(-1e-30, 1e-30) },
);

/** Scores for softmax-like monoids: moderate, ±1e4, ±1e30, tiny, and −∞ (masked). */
export const score = fc.oneof(
  { weight: 4, arbitrary: finite(-30, 30) },
  { weight: 1, arbitrary: fc.constantFrom(1e4, -1e4, 1e30, -1e30, 1e-30, 0, Number.NEGATIVE_INFINITY) },
  { weight: 1, arbitrary: finite(-1e4, 1e4) },
);

/** Products of 1–3 generated elements, so that law tests see realistic accumulated states. */
function products<T>(monoid: Monoid<T>, element: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc
    .array(element, { minLength: 1, maxLength: 3 })
    .map((xs) => xs.reduce((acc, x) => monoid.combine(acc, x), monoid.identity()));
}

const scalarClose = (a: number, e: number, s: number) => closeNumber(a, e, s);

export const sumCase: MonoidCase<number> = {
  name: 'sum',
  monoid: sumMonoid,
  packed: packedSumMonoid,
  codec: scalarCodec,
  element: magnitude,
  state: products(sumMonoid, magnitude),
  abs: Math.abs,
  close: scalarClose,
  hasNaN: Number.isNaN,
};

export const maxCase: MonoidCase<number> = {
  name: 'max',
  monoid: maxMonoid,
  packed: packedMaxMonoid,
  codec: scalarCodec,
  element: fc.oneof(magnitude, fc.constant(Number.NEGATIVE_INFINITY)),
  state: fc.oneof(magnitude, fc.constant(Number.NEGATIVE_INFINITY)),
  abs: (x) => x,
  // max is exact in every order
  close: (a, e) => Object.is(a, e),
  hasNaN: Number.isNaN,
};

export const logSumExpCase: MonoidCase<number> = {
  name: 'logsumexp',
  monoid: logSumExpMonoid,
  packed: packedLogSumExpMonoid,
  codec: scalarCodec,
  element: score,
  state: products(logSumExpMonoid, score),
  // |x| bounds the magnitude of every partial result; +1 covers results near 0 (log1p rounding)
  abs: (x) => (x === Number.NEGATIVE_INFINITY ? x : Math.abs(x)),
  close: (a, e, s) => closeNumber(a, e, (Number.isFinite(s) ? Math.abs(s) : 0) + 1),
  hasNaN: Number.isNaN,
};

// Decays stay away from the subnormal range: a product like 1.5 · 5e-324 rounds with ~30% relative error
// and a later huge b would amplify it past any sensible tolerance. That is float arithmetic, not a bug.
const step = fc.record({
  a: fc.oneof(
    { weight: 4, arbitrary: finite(-1.5, 1.5).filter((a) => Math.abs(a) >= 1e-3) },
    fc.constantFrom(0, 1, -1, 1e-3),
  ),
  b: magnitude,
});

export const linearRecurrenceCase: MonoidCase<LinearRecurrenceStep> = {
  name: 'linear-recurrence',
  monoid: linearRecurrenceMonoid,
  packed: packedLinearRecurrenceMonoid(1),
  codec: linearRecurrenceCodec,
  element: step,
  state: products(linearRecurrenceMonoid, step),
  abs: (x) => ({ a: Math.abs(x.a), b: Math.abs(x.b) }),
  close: (x, y, s) => closeNumber(x.a, y.a, s.a) && closeNumber(x.b, y.b, s.b),
  hasNaN: (x) => Number.isNaN(x.a) || Number.isNaN(x.b),
};

/** Value dimension used by the attention case. */
export const ATTENTION_DIM = 3;

const leaf = fc
  .tuple(score, fc.array(magnitude, { minLength: ATTENTION_DIM, maxLength: ATTENTION_DIM }))
  .map(([s, v]) => attentionLeaf(s, v));

const attention = attentionMonoid(ATTENTION_DIM);

export const attentionCase: MonoidCase<AttentionState> = {
  name: 'attention',
  monoid: attention,
  packed: packedAttentionMonoid(ATTENTION_DIM),
  codec: attentionCodec(ATTENTION_DIM),
  element: leaf,
  state: products(attention, leaf),
  abs: (x) => ({ m: x.m, w: x.w, u: x.u.map(Math.abs) }),
  close: (x, y, s) =>
    Object.is(x.m, y.m) &&
    closeNumber(x.w, y.w, s.w) &&
    Array.from(x.u).every((uk, k) => closeNumber(uk, y.u[k]!, s.u[k]!)),
  hasNaN: (x) => Number.isNaN(x.m) || Number.isNaN(x.w) || x.u.some(Number.isNaN),
};

/** All cases, typed loosely so that `describe.each` can iterate them. */
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous list of cases
export const allCases: readonly MonoidCase<any>[] = [
  sumCase,
  maxCase,
  logSumExpCase,
  linearRecurrenceCase,
  attentionCase,
];

/** Lengths that matter: 0, 1, odd lengths (non powers of two), and a spread of others. */
export const length = fc.oneof(
  fc.constant(0),
  fc.constant(1),
  fc.integer({ min: 1, max: 32 }).map((k) => 2 * k + 1),
  fc.integer({ min: 0, max: 70 }),
);

/** An array of `length` elements from `element`. */
export function sequence<T>(element: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return length.chain((n) => fc.array(element, { minLength: n, maxLength: n }));
}

/** A sequence with a segment-start flag per element. */
export function flaggedSequence<T>(
  element: fc.Arbitrary<T>,
): fc.Arbitrary<{ values: T[]; flags: boolean[] }> {
  return length.chain((n) =>
    fc.record({
      values: fc.array(element, { minLength: n, maxLength: n }),
      flags: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    }),
  );
}

/** The four scan modes. */
export const modes = [
  { exclusive: false, reverse: false },
  { exclusive: true, reverse: false },
  { exclusive: false, reverse: true },
  { exclusive: true, reverse: true },
] as const;

/** Short label for a mode. */
export function modeName(mode: { exclusive: boolean; reverse: boolean }): string {
  return `${mode.reverse ? 'reverse' : 'forward'} ${mode.exclusive ? 'exclusive' : 'inclusive'}`;
}
