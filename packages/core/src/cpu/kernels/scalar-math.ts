/**
 * Scalar special functions used by the elementwise kernels, written for accuracy in float64 across the
 * whole real line (no cancellation in the tails).
 * @packageDocumentation
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = 0.7978845608028654;

/** Coefficients (in powers of t, lowest first) of the exponent of Numerical Recipes' `erfcc`. */
const ERFC_COEFFICIENTS = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];

/**
 * Complementary error function `erfc(x) = 1 − erf(x)` with relative error below 1.2e-7 everywhere
 * (Chebyshev fit, Numerical Recipes `erfcc`), so `erfc` of large positive `x` keeps its tiny value.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  let poly = 0;
  for (let i = ERFC_COEFFICIENTS.length - 1; i >= 0; i--) poly = poly * t + ERFC_COEFFICIENTS[i]!;
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** Error function. Uses the Maclaurin series near 0 (keeps relative accuracy for tiny `x`), else `1 − erfc`. */
export function erf(x: number): number {
  const z = Math.abs(x);
  if (z < 0.5) {
    // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1)); 12 terms reach double precision for |x| < 0.5.
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 12; n++) {
      term *= -x2 / n;
      sum += term / (2 * n + 1);
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  return x >= 0 ? 1 - erfc(x) : erfc(-x) - 1;
}

/** Logistic sigmoid `1 / (1 + e^{−x})`, without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** GELU, exact form `x·Φ(x) = x/2 · erfc(−x/√2)` (no cancellation for negative x). */
export function gelu(x: number): number {
  return 0.5 * x * erfc(-x * SQRT1_2);
}

/**
 * GELU, tanh approximation (GPT-2 `gelu_new`): `x/2 · (1 + tanh(√(2/π)(x + 0.044715x³)))`, evaluated
 * as `x · sigmoid(2u)`, which is the same function without cancellation for negative x.
 */
export function geluTanh(x: number): number {
  const u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
  return x * sigmoid(2 * u);
}

/** `x · sigmoid(x)`. */
export function silu(x: number): number {
  return x * sigmoid(x);
}

/** `log(1 + e^x)` computed as `max(x, 0) + log1p(e^{−|x|})` (no overflow). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
