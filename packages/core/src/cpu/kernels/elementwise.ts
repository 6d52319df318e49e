/**
 * The strided elementwise kernels: `unary`, `binary`, `where`, `fill` and `copy`. Each walks its views with
 * {@link forEachRun} and processes one innermost run at a time with a per-op loop (the op is switched once
 * per run, never per element). Math is done in float64 and rounded when stored, so an `f32` output gets
 * f32 results and an `i32` output gets the value converted like an `Int32Array` store (truncation toward
 * zero, wrapping modulo 2³², NaN → 0).
 * @packageDocumentation
 */
import type { BinaryOp, TensorView, UnaryOp } from '../../backend.js';
import { InvalidArgumentError } from '../../errors.js';
import { arrayOf, type CpuArray } from '../buffer.js';
import { forEachRun } from '../strided.js';
import { erf, gelu, geluTanh, sigmoid, silu, softplus } from './scalar-math.js';

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** Applies a unary op to a run of `n` elements: `o[oi + e·os] = op(x[xi + e·xs])`. */
function unaryRun(
  op: UnaryOp,
  x: CpuArray,
  xi: number,
  xs: number,
  o: CpuArray,
  oi: number,
  os: number,
  n: number,
) {
  switch (op) {
    case 'neg':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = -x[xi]!;
      return;
    case 'abs':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = Math.abs(x[xi]!);
      return;
    case 'sign':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = Math.sign(x[xi]!);
      return;
    case 'exp':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = Math.exp(x[xi]!);
      return;
    case 'log':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = Math.log(x[xi]!);
      return;
    case 'sqrt':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = Math.sqrt(x[xi]!);
      return;
    case 'rsqrt':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = 1 / Math.sqrt(x[xi]!);
      return;
    case 'reciprocal':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = 1 / x[xi]!;
      return;
    case 'square':
      for (let e = 0; e < n; e++, xi += xs, oi += os) {
        const v = x[xi]!;
        o[oi] = v * v;
      }
      return;
    case 'sin':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = Math.sin(x[xi]!);
      return;
    case 'cos':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = Math.cos(x[xi]!);
      return;
    case 'tanh':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = Math.tanh(x[xi]!);
      return;
    case 'sigmoid':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = sigmoid(x[xi]!);
      return;
    case 'relu':
      // Math.max keeps NaN as NaN.
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = Math.max(x[xi]!, 0);
      return;
    case 'step':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = x[xi]! > 0 ? 1 : 0;
      return;
    case 'gelu':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = gelu(x[xi]!);
      return;
    case 'geluTanh':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = geluTanh(x[xi]!);
      return;
    case 'silu':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = silu(x[xi]!);
      return;
    case 'softplus':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = softplus(x[xi]!);
      return;
    case 'erf':
      for (let e = 0; e < n; e++, xi += xs, oi += os) o[oi] = erf(x[xi]!);
      return;
    default:
      throw new InvalidArgumentError('unary', `unknown op '${op as string}'`);
  }
}

/**
 * Applies a binary op to a run: `o[oi + e·os] = op(a[ai + e·as], b[bi + e·bs])`. `intMul` selects
 * `Math.imul` for `mul` (exact 32-bit wrapping products on `i32` outputs).
 */
function binaryRun(
  op: BinaryOp,
  intMul: boolean,
  a: CpuArray,
  ai: number,
  as: number,
  b: CpuArray,
  bi: number,
  bs: number,
  o: CpuArray,
  oi: number,
  os: number,
  n: number,
) {
  switch (op) {
    case 'add':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! + b[bi]!;
      return;
    case 'sub':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! - b[bi]!;
      return;
    case 'mul':
      if (intMul) {
        for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = Math.imul(a[ai]!, b[bi]!);
      } else {
        for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! * b[bi]!;
      }
      return;
    case 'div':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! / b[bi]!;
      return;
    case 'pow':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! ** b[bi]!;
      return;
    case 'maximum':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = Math.max(a[ai]!, b[bi]!);
      return;
    case 'minimum':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = Math.min(a[ai]!, b[bi]!);
      return;
    case 'equal':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! === b[bi]! ? 1 : 0;
      return;
    case 'notEqual':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! !== b[bi]! ? 1 : 0;
      return;
    case 'less':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! < b[bi]! ? 1 : 0;
      return;
    case 'lessEqual':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! <= b[bi]! ? 1 : 0;
      return;
    case 'greater':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! > b[bi]! ? 1 : 0;
      return;
    case 'greaterEqual':
      for (let e = 0; e < n; e++, ai += as, bi += bs, oi += os) o[oi] = a[ai]! >= b[bi]! ? 1 : 0;
      return;
    default:
      throw new InvalidArgumentError('binary', `unknown op '${op as string}'`);
  }
}

/**
 * *Strided* `out[i] = op(x[i])`. Computed in float64; `neg`, `abs` and `sign` on `i32` wrap like C
 * (`−(−2³¹) = −2³¹`).
 */
export function unary(op: UnaryOp, x: TensorView, out: TensorView): void {
  const xd = arrayOf(x);
  const od = arrayOf(out);
  forEachRun(out.shape, [x, out], (n, pos, step) => {
    unaryRun(op, xd, pos[0]!, step[0]!, od, pos[1]!, step[1]!, n);
  });
}

/**
 * *Strided* `out[i] = op(a[i], b[i])` with `a`, `b` broadcast to `out.shape`. Comparisons write 1/0 in the
 * output's dtype. On `i32` outputs `mul` is the exact wrapping product and `div` truncates toward zero
 * (division by zero gives 0).
 */
export function binary(op: BinaryOp, a: TensorView, b: TensorView, out: TensorView): void {
  const ad = arrayOf(a);
  const bd = arrayOf(b);
  const od = arrayOf(out);
  const intMul = out.dtype === 'i32';
  forEachRun(out.shape, [a, b, out], (n, pos, step) => {
    binaryRun(op, intMul, ad, pos[0]!, step[0]!, bd, pos[1]!, step[1]!, od, pos[2]!, step[2]!, n);
  });
}

/** *Strided* `out[i] = cond[i] != 0 ? a[i] : b[i]` (a NaN condition counts as true). */
export function where(cond: TensorView, a: TensorView, b: TensorView, out: TensorView): void {
  const cd = arrayOf(cond);
  const ad = arrayOf(a);
  const bd = arrayOf(b);
  const od = arrayOf(out);
  forEachRun(out.shape, [cond, a, b, out], (n, pos, step) => {
    let ci = pos[0]!;
    let ai = pos[1]!;
    let bi = pos[2]!;
    let oi = pos[3]!;
    const cs = step[0]!;
    const as = step[1]!;
    const bs = step[2]!;
    const os = step[3]!;
    for (let e = 0; e < n; e++, ci += cs, ai += as, bi += bs, oi += os)
      od[oi] = cd[ci] !== 0 ? ad[ai]! : bd[bi]!;
  });
}

/** *Strided output.* Sets every element of `out` to `value` (converted to the output's dtype). */
export function fill(out: TensorView, value: number): void {
  const od = arrayOf(out);
  forEachRun(out.shape, [out], (n, pos, step) => {
    const start = pos[0]!;
    const s = step[0]!;
    if (s === 1) {
      od.fill(value, start, start + n);
      return;
    }
    for (let e = 0, oi = start; e < n; e++, oi += s) od[oi] = value;
  });
}

/**
 * *Strided input and output.* `out[i] = x[i]`. f32 → i32 truncates toward zero and saturates at the `i32`
 * range (NaN → 0), matching WGSL's conversion; i32 → f32 rounds to the nearest float.
 */
export function copy(x: TensorView, out: TensorView): void {
  const xd = arrayOf(x);
  const od = arrayOf(out);
  const saturate = x.dtype === 'f32' && out.dtype === 'i32';
  forEachRun(out.shape, [x, out], (n, pos, step) => {
    let xi = pos[0]!;
    let oi = pos[1]!;
    const xs = step[0]!;
    const os = step[1]!;
    if (saturate) {
      // NaN survives the clamp and is stored as 0.
      for (let e = 0; e < n; e++, xi += xs, oi += os)
        od[oi] = Math.min(Math.max(xd[xi]!, INT32_MIN), INT32_MAX);
    } else if (xs === 1 && os === 1 && x.dtype === out.dtype) {
      od.set(xd.subarray(xi, xi + n), oi);
    } else {
      for (let e = 0; e < n; e++, xi += xs, oi += os) od[oi] = xd[xi]!;
    }
  });
}
