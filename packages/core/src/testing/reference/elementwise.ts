/**
 * Float64 reference of the elementwise kernels (`unary`, `binary`, `where`) and of `copy`'s dtype conversion.
 * @packageDocumentation
 */
import type { BinaryOp, UnaryOp } from '../../backend.js';
import type { DType } from '../../dtype.js';

/**
 * The error function, from the series of positive terms (Abramowitz & Stegun 7.1.6)
 * `erf(x) = 2/√π · e^{−x²} · Σ_n 2^n x^{2n+1} / (1·3·5···(2n+1))` for |x| < 6 (no cancellation, so
 * accurate to a few float64 ulps), and ±1 beyond (erfc(6) ≈ 2e-17).
 */
export function erfReference(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 6) return 1;
  if (x <= -6) return -1;
  let term = x;
  let sum = x;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/** Logistic sigmoid `1 / (1 + e^{−x})`. */
export function sigmoidReference(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** `op(x)` in float64. For `i32` only `neg`, `abs` and `sign` are defined. */
export function unaryReference(op: UnaryOp, x: number, dtype: DType = 'f32'): number {
  if (dtype === 'i32' && op !== 'neg' && op !== 'abs' && op !== 'sign') {
    throw new Error(`unary ${op} is not defined for i32`);
  }
  switch (op) {
    case 'neg':
      return -x;
    case 'abs':
      return Math.abs(x);
    case 'sign':
      return Math.sign(x);
    case 'exp':
      return Math.exp(x);
    case 'log':
      return Math.log(x);
    case 'sqrt':
      return Math.sqrt(x);
    case 'rsqrt':
      return 1 / Math.sqrt(x);
    case 'reciprocal':
      return 1 / x;
    case 'square':
      return x * x;
    case 'sin':
      return Math.sin(x);
    case 'cos':
      return Math.cos(x);
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return sigmoidReference(x);
    case 'relu':
      return Math.max(x, 0);
    case 'step':
      return x > 0 ? 1 : 0;
    case 'gelu':
      return 0.5 * x * (1 + erfReference(x / Math.SQRT2));
    case 'geluTanh': {
      const inner = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
      return 0.5 * x * (1 + Math.tanh(inner));
    }
    case 'silu':
      return x * sigmoidReference(x);
    case 'softplus':
      // log(1 + e^x) = max(x, 0) + log(1 + e^{−|x|}), written so that it never overflows.
      return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    case 'erf':
      return erfReference(x);
  }
}

/** `op(a, b)` in float64; comparisons give 1 or 0. */
export function binaryReference(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return a / b;
    case 'pow':
      return a ** b;
    case 'maximum':
      return Math.max(a, b);
    case 'minimum':
      return Math.min(a, b);
    case 'equal':
      return a === b ? 1 : 0;
    case 'notEqual':
      return a !== b ? 1 : 0;
    case 'less':
      return a < b ? 1 : 0;
    case 'lessEqual':
      return a <= b ? 1 : 0;
    case 'greater':
      return a > b ? 1 : 0;
    case 'greaterEqual':
      return a >= b ? 1 : 0;
  }
}

/** `cond != 0 ? a : b` (−0 counts as zero). */
export function whereReference(cond: number, a: number, b: number): number {
  return cond !== 0 ? a : b;
}

/** The value `x` of dtype `from` becomes when stored as dtype `to`: f32→i32 truncates toward zero. */
export function convertReference(x: number, from: DType, to: DType): number {
  if (from === 'f32' && to === 'i32') return Math.trunc(x);
  if (to === 'f32') return Math.fround(x);
  return x;
}
