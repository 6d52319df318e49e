/**
 * The linear-recurrence monoid: affine maps `h ↦ a·h + b` under composition, which turns the recurrence
 * `h_t = a_t h_{t−1} + b_t` (decays, linear attention, SSMs) into a scan.
 * @packageDocumentation
 */
import { ScanError } from '../errors.js';
import type { Monoid } from '../monoid.js';
import type { PackedCodec, PackedMonoid } from '../packed-monoid.js';
import { assertInteger } from '../validate.js';

/** One step of `h_t = a_t h_{t−1} + b_t`, i.e. the affine map `h ↦ a·h + b`. */
export interface LinearRecurrenceStep {
  /** Multiplicative coefficient (decay) `a_t`. */
  readonly a: number;
  /** Additive input `b_t`. */
  readonly b: number;
}

/**
 * Composition of affine maps, applied in sequence order: the earlier step `(a1, b1)` runs first, then the
 * later `(a2, b2)`:
 *
 * `(a1, b1) ⊕ (a2, b2) = (a1·a2, a2·b1 + b2)`, identity `(1, 0)`.
 *
 * The inclusive scan's element `t` is `(A_t, B_t)` with `h_t = A_t·h_{−1} + B_t`; with `h_{−1} = 0`,
 * `h_t = B_t`.
 *
 * @example
 * ```ts
 * const steps = [{ a: 0.5, b: 1 }, { a: 0.5, b: 1 }];
 * scanSequential(linearRecurrenceMonoid, steps).map((s) => s.b); // [1, 1.5]
 * ```
 */
export const linearRecurrenceMonoid: Monoid<LinearRecurrenceStep> = Object.freeze<
  Monoid<LinearRecurrenceStep>
>({
  name: 'linear-recurrence',
  identity: (): LinearRecurrenceStep => ({ a: 1, b: 0 }),
  combine: (earlier: LinearRecurrenceStep, later: LinearRecurrenceStep): LinearRecurrenceStep => ({
    a: earlier.a * later.a,
    b: later.a * earlier.b + later.b,
  }),
});

/** Packs a {@link LinearRecurrenceStep} as `[a, b]` (width 2, matching `packedLinearRecurrenceMonoid(1)`). */
export const linearRecurrenceCodec: PackedCodec<LinearRecurrenceStep> = Object.freeze<
  PackedCodec<LinearRecurrenceStep>
>({
  width: 2,
  write(value: LinearRecurrenceStep, out, offset) {
    out[offset] = value.a;
    out[offset + 1] = value.b;
  },
  read(data, offset) {
    return { a: data[offset]!, b: data[offset + 1]! };
  },
});

/**
 * Packed linear recurrence with a scalar decay and a vector input: element layout `[a, b_0 … b_{dim−1}]`
 * (width `1 + dim`), for `h_t = a_t·h_{t−1} + b_t` with `h, b ∈ ℝ^dim`. Same combine as
 * {@link linearRecurrenceMonoid}, applied to each component of `b`.
 *
 * @param dim - length of the vector `b` (positive integer); default 1
 */
export function packedLinearRecurrenceMonoid(dim = 1): PackedMonoid {
  assertInteger('packedLinearRecurrenceMonoid', 'dim', dim, 1);
  const monoid: PackedMonoid = {
    name: `linear-recurrence(${dim})`,
    width: 1 + dim,
    setIdentity(out, o) {
      out[o] = 1;
      out.fill(0, o + 1, o + 1 + dim);
    },
    combine(a, ao, b, bo, out, oo) {
      const a1 = a[ao]!;
      const a2 = b[bo]!;
      out[oo] = a1 * a2;
      for (let k = 1; k <= dim; k++) out[oo + k] = a2 * a[ao + k]! + b[bo + k]!;
    },
  };
  return Object.freeze(monoid);
}

/**
 * Runs `h_t = a_t h_{t−1} + b_t` directly from `h_{−1} = h0` (the O(n) loop that the scan parallelises).
 * Handy as an oracle and for streaming.
 *
 * @param a - decays `a_0 … a_{n−1}`
 * @param b - inputs `b_0 … b_{n−1}` (same length as `a`)
 * @param h0 - initial state `h_{−1}`; default 0
 * @returns `h_0 … h_{n−1}`
 */
export function linearRecurrenceLoop(a: ArrayLike<number>, b: ArrayLike<number>, h0 = 0): number[] {
  if (a.length !== b.length) {
    throw new ScanError('linearRecurrenceLoop', 'b', `has length ${b.length} but a has length ${a.length}`);
  }
  const h: number[] = [];
  let state = h0;
  for (let t = 0; t < a.length; t++) {
    state = a[t]! * state + b[t]!;
    h.push(state);
  }
  return h;
}
