/**
 * Guarded elementwise math for states that may hold `−∞` maxima and zero denominators. Each helper selects
 * a safe operand before the risky op and selects the result after it (the "double `where`"), so neither the
 * forward value nor the gradient is ever NaN: a plain `where(valid, exp(x − m), 0)` would still compute
 * `exp(−∞ − (−∞)) = NaN` and send `0 · NaN = NaN` backwards.
 * @internal
 * @packageDocumentation
 */
import { div, exp, greater, log, noGrad, notEqual, sub, type Tensor, where } from '@aaren/core';

/** `1` where `x > −∞`, else `0` (not differentiable). */
export function aboveNegInf(x: Tensor): Tensor {
  return notEqual(x, Number.NEGATIVE_INFINITY);
}

/**
 * `e^{x − ref}` with `0` where `x = −∞`, differentiable in `x` (never NaN, also where `ref = −∞`).
 * `ref` is treated as a constant (the running max: the result does not depend on it mathematically).
 */
export function expShifted(x: Tensor, ref: Tensor): Tensor {
  const valid = aboveNegInf(x);
  const xs = where(valid, x, 0);
  const rs = noGrad(() => where(valid, ref, 0));
  return where(valid, exp(sub(xs, rs)), 0);
}

/** `e^{a − b}` for constants with `a ≤ b` (rescale factors), `0` where `a = −∞`. Not recorded. */
export function rescale(a: Tensor, b: Tensor): Tensor {
  return noGrad(() => where(aboveNegInf(a), exp(sub(a, b)), 0));
}

/** `u / w` where `w > 0`, else `0`; differentiable without NaN. `w` broadcasts against `u`. */
export function divPositive(u: Tensor, w: Tensor): Tensor {
  const positive = greater(w, 0);
  return where(positive, div(u, where(positive, w, 1)), 0);
}

/** `log w` where `w > 0`, else `−∞`; differentiable without NaN. */
export function logPositive(w: Tensor): Tensor {
  const positive = greater(w, 0);
  return where(positive, log(where(positive, w, 1)), Number.NEGATIVE_INFINITY);
}
