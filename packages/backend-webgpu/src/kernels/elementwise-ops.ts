/**
 * WGSL expressions of the unary and binary elementwise ops, per dtype. Each entry maps the operands' WGSL
 * expressions to the result's expression and says whether the result is a number or a boolean (comparisons).
 * @packageDocumentation
 */
import type { BinaryOp, DType, UnaryOp } from '@aaren/core';
import { DTypeError } from '@aaren/core';

/** A WGSL expression and the kind of value it yields. */
export interface OpExpression {
  readonly code: string;
  /** `'value'`: of the operands' dtype; `'bool'`: a comparison (stored as 1/0). */
  readonly kind: 'value' | 'bool';
}

const F32_UNARY: Record<UnaryOp, (x: string) => string> = {
  neg: (x) => `-${x}`,
  abs: (x) => `abs(${x})`,
  sign: (x) => `sign(${x})`,
  exp: (x) => `exp(${x})`,
  log: (x) => `log_f(${x})`,
  sqrt: (x) => `sqrt(${x})`,
  rsqrt: (x) => `(1.0 / sqrt(${x}))`,
  reciprocal: (x) => `(1.0 / ${x})`,
  square: (x) => `(${x} * ${x})`,
  sin: (x) => `sin_f(${x})`,
  cos: (x) => `cos_f(${x})`,
  tanh: (x) => `tanh_f(${x})`,
  sigmoid: (x) => `sigmoid_f(${x})`,
  relu: (x) => `select(max(${x}, 0.0), ${x}, is_nan(${x}))`,
  step: (x) => `select(0.0, 1.0, ${x} > 0.0)`,
  gelu: (x) => `(0.5 * ${x} * erfc_f(-${x} * 0.70710678118654752))`,
  geluTanh: (x) => `(${x} * sigmoid_f(1.5957691216057308 * (${x} + 0.044715 * ${x} * ${x} * ${x})))`,
  silu: (x) => `(${x} * sigmoid_f(${x}))`,
  softplus: (x) => `(max(${x}, 0.0) + log1p_f(exp(-abs(${x}))))`,
  erf: (x) => `erf_f(${x})`,
};

const I32_UNARY: Partial<Record<UnaryOp, (x: string) => string>> = {
  neg: (x) => `-${x}`,
  abs: (x) => `abs(${x})`,
  sign: (x) => `sign(${x})`,
  square: (x) => `(${x} * ${x})`,
};

/** The expression of unary `op` on `x` of `dtype`. @throws {@link DTypeError} for ops undefined on i32. */
export function unaryExpression(op: UnaryOp, dtype: DType, x: string): OpExpression {
  const f = dtype === 'f32' ? F32_UNARY[op] : I32_UNARY[op];
  if (!f) throw new DTypeError('unary', `op '${op}' is not defined for ${dtype} tensors`);
  return { code: f(x), kind: 'value' };
}

const COMPARISONS: Partial<Record<BinaryOp, string>> = {
  equal: '==',
  notEqual: '!=',
  less: '<',
  lessEqual: '<=',
  greater: '>',
  greaterEqual: '>=',
};

/** The expression of binary `op` on `a`, `b` of `dtype`. */
export function binaryExpression(op: BinaryOp, dtype: DType, a: string, b: string): OpExpression {
  const cmp = COMPARISONS[op];
  if (cmp) return { code: `(${a} ${cmp} ${b})`, kind: 'bool' };
  const f32 = dtype === 'f32';
  switch (op) {
    case 'add':
      return { code: `(${a} + ${b})`, kind: 'value' };
    case 'sub':
      return { code: `(${a} - ${b})`, kind: 'value' };
    case 'mul':
      return { code: `(${a} * ${b})`, kind: 'value' };
    case 'div':
      return { code: f32 ? `(${a} / ${b})` : `div_i(${a}, ${b})`, kind: 'value' };
    case 'pow':
      return { code: f32 ? `pow_f(${a}, ${b})` : `pow_i(${a}, ${b})`, kind: 'value' };
    case 'maximum':
      return { code: f32 ? `max_nan(${a}, ${b})` : `max(${a}, ${b})`, kind: 'value' };
    case 'minimum':
      return { code: f32 ? `min_nan(${a}, ${b})` : `min(${a}, ${b})`, kind: 'value' };
    default:
      throw new DTypeError('binary', `unknown op '${op as string}'`);
  }
}

/** WGSL converting `expr` (a value of dtype `from`) to dtype `to` with the contract's conversion rules. */
export function convertExpression(expr: string, from: DType, to: DType): string {
  if (from === to) return expr;
  return to === 'i32' ? `f32_to_i32(${expr})` : `f32(${expr})`;
}
