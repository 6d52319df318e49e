/**
 * Scalar math in WGSL, written for f32 accuracy over the whole real line (the built-ins of some drivers lose
 * precision in the tails or return NaN for large arguments): `erf`/`erfc` (Numerical Recipes' Chebyshev fit),
 * `expm1`, `log1p`, a cancellation-free `tanh`, a stable `sigmoid`, a real `pow` for negative bases with
 * integer exponents, integer `pow` and `div`, IEEE-saturating f32 → i32 conversion, `log` with log(0) = −∞,
 * and `sin`/`cos` with Cody–Waite range reduction and the Cephes polynomials (about 1 ulp for |x| ≤ 65536;
 * SwiftShader's built-ins are off by about 1e-4 and its `log(0)` is finite).
 * @packageDocumentation
 */

/** WGSL of the helper functions (requires the common helpers of `common.ts`). */
export const MATH_WGSL = `
fn log_f(x: f32) -> f32 {
  if (x == 0.0) { return -f32_inf(); }
  if (x < 0.0) { return f32_nan(); }
  if (is_inf(x)) { return x; }
  return log(x);
}
fn sin_poly(z: f32, zz: f32) -> f32 {
  return ((-1.9515295891e-4 * zz + 8.3321608736e-3) * zz - 1.6666654611e-1) * zz * z + z;
}
fn cos_poly(zz: f32) -> f32 {
  return ((2.443315711809948e-5 * zz - 1.388731625493765e-3) * zz + 4.166664568298827e-2) * zz * zz
    - 0.5 * zz + 1.0;
}
fn sin_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f32_nan(); }
  let ax = abs(x);
  if (ax > 65536.0) { return sin(x); }
  let j = (u32(ax * 1.2732395447351628) + 1u) & 0xfffffffeu;
  let y = f32(j);
  let z = ((ax - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  let zz = z * z;
  let r = select(sin_poly(z, zz), cos_poly(zz), (j & 2u) != 0u);
  return select(sign(x), -sign(x), (j & 4u) != 0u) * r;
}
fn cos_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f32_nan(); }
  let ax = abs(x);
  if (ax > 65536.0) { return cos(x); }
  let j = (u32(ax * 1.2732395447351628) + 1u) & 0xfffffffeu;
  let y = f32(j);
  let z = ((ax - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  let zz = z * z;
  var jj = j & 7u;
  var s = 1.0;
  if (jj > 3u) { jj = jj - 4u; s = -s; }
  if (jj > 1u) { s = -s; }
  return s * select(cos_poly(zz), sin_poly(z, zz), jj == 2u);
}
fn erfc_f(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let r = t * exp(-z * z + poly);
  return select(2.0 - r, r, x >= 0.0);
}
fn erf_f(x: f32) -> f32 {
  let z = abs(x);
  if (z < 0.5) {
    let x2 = x * x;
    // 2/√π (x − x³/3 + x⁵/10 − x⁷/42 + x⁹/216 − x¹¹/1320)
    return 1.1283791670955126 * x * (1.0 + x2 * (-0.3333333333 + x2 * (0.1 + x2 * (-0.0238095238 +
      x2 * (0.0046296296 - x2 * 0.0007575758)))));
  }
  return select(erfc_f(-x) - 1.0, 1.0 - erfc_f(x), x >= 0.0);
}
fn expm1_f(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 +
      x * (0.0013888889 + x * (0.00019841270 + x * 0.000024801587)))))));
  }
  return exp(x) - 1.0;
}
fn log1p_f(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log_f(u) * (x / (u - 1.0));
}
fn tanh_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let z = abs(x);
  if (z > 10.0) { return sign(x); }
  let t = expm1_f(2.0 * z);
  return sign(x) * (t / (t + 2.0));
}
fn sigmoid_f(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn pow_f(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return f32_nan(); }
  if (a == 0.0) { return select(f32_inf(), 0.0, b > 0.0); }
  if (a < 0.0) {
    if (floor(b) != b) { return f32_nan(); }
    let odd = abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
    let m = exp2(b * log2(-a));
    return select(m, -m, odd);
  }
  return exp2(b * log2(a));
}
fn pow_i(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) == 1); }
    return 0;
  }
  var result = 1;
  var base = a;
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) == 1) { result = result * base; }
    base = base * base;
    e = e >> 1u;
  }
  return result;
}
fn div_i(a: i32, b: i32) -> i32 { return select(a / b, 0, b == 0); }
fn f32_to_i32(x: f32) -> i32 {
  if (is_nan(x)) { return 0; }
  if (x >= 2147483648.0) { return 2147483647; }
  if (x <= -2147483648.0) { return -2147483647 - 1; }
  return i32(x);
}
`;
