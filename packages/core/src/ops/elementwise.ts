/**
 * Elementwise ops with NumPy broadcasting, and their gradients written with other ops.
 * @packageDocumentation
 */
import { record } from '../autograd.js';
import type { BinaryOp, UnaryOp } from '../backend.js';
import type { DType } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { broadcastShapes, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastView, commonBackend, emptyTensor, promote, type TensorLike } from './internal.js';
import { sumToShape } from './reduce.js';

const INT_UNARY: ReadonlySet<UnaryOp> = new Set(['neg', 'abs', 'sign', 'square']);

/** Applies a unary kernel without recording a gradient. @internal */
export function rawUnary(op: UnaryOp, x: Tensor): Tensor {
  if (x.dtype === 'i32' && !INT_UNARY.has(op)) throw new DTypeError(op, `not defined for i32 tensors`);
  const out = emptyTensor(x.backend, x.shape, x.dtype);
  if (out.size > 0) x.backend.kernels.unary(op, x.view(op), out.view(op));
  return out;
}

function unary(op: UnaryOp, x: Tensor, backward?: (g: Tensor, y: Tensor) => Tensor): Tensor {
  const y = rawUnary(op, x);
  if (!backward) return y;
  return record(y, op, [x], (g) => [backward(g, y)]);
}

/** Applies a binary kernel with broadcasting, without recording a gradient. @internal */
export function rawBinary(op: BinaryOp, a: Tensor, b: Tensor, outDType?: DType): Tensor {
  const backend = commonBackend(op, a, b);
  if (a.dtype !== b.dtype)
    throw new DTypeError(op, `dtypes differ (${a.dtype} and ${b.dtype}); cast() one first`);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = emptyTensor(backend, shape, outDType ?? a.dtype);
  if (out.size > 0) {
    backend.kernels.binary(op, broadcastView(op, a, shape), broadcastView(op, b, shape), out.view(op));
  }
  return out;
}

/** `a + b` with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote('add', a, b);
  return record(rawBinary('add', x, y), 'add', [x, y], (g) => [
    sumToShape(g, x.shape),
    sumToShape(g, y.shape),
  ]);
}

/** `a − b` with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote('sub', a, b);
  return record(rawBinary('sub', x, y), 'sub', [x, y], (g) => [
    sumToShape(g, x.shape),
    sumToShape(neg(g), y.shape),
  ]);
}

/** `a · b` (elementwise) with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote('mul', a, b);
  return record(rawBinary('mul', x, y), 'mul', [x, y], (g) => [
    x.requiresGrad ? sumToShape(mul(g, y), x.shape) : null,
    y.requiresGrad ? sumToShape(mul(g, x), y.shape) : null,
  ]);
}

/** `a / b` with broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote('div', a, b);
  return record(rawBinary('div', x, y), 'div', [x, y], (g) => [
    x.requiresGrad ? sumToShape(div(g, y), x.shape) : null,
    y.requiresGrad ? sumToShape(neg(div(mul(g, x), square(y))), y.shape) : null,
  ]);
}

/** `a ^ b` with broadcasting. The gradient with respect to `b` is taken as 0 where `a ≤ 0`. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote('pow', a, b);
  const out = rawBinary('pow', x, y);
  return record(out, 'pow', [x, y], (g) => [
    x.requiresGrad ? sumToShape(mul(g, mul(y, pow(x, sub(y, 1)))), x.shape) : null,
    y.requiresGrad ? sumToShape(mul(g, mul(out, log(where(greater(x, 0), x, 1)))), y.shape) : null,
  ]);
}

/** Elementwise maximum. Where `a == b` the gradient goes to `a`. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote('maximum', a, b);
  return record(rawBinary('maximum', x, y), 'maximum', [x, y], (g) => {
    const takeA = greaterEqual(x, y);
    return [
      x.requiresGrad ? sumToShape(mul(g, takeA), x.shape) : null,
      y.requiresGrad ? sumToShape(mul(g, sub(1, takeA)), y.shape) : null,
    ];
  });
}

/** Elementwise minimum. Where `a == b` the gradient goes to `a`. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote('minimum', a, b);
  return record(rawBinary('minimum', x, y), 'minimum', [x, y], (g) => {
    const takeA = lessEqual(x, y);
    return [
      x.requiresGrad ? sumToShape(mul(g, takeA), x.shape) : null,
      y.requiresGrad ? sumToShape(mul(g, sub(1, takeA)), y.shape) : null,
    ];
  });
}

function comparison(op: BinaryOp) {
  return (a: TensorLike, b: TensorLike): Tensor => {
    const [x, y] = promote(op, a, b);
    return rawBinary(op, x, y);
  };
}

/** `1` where `a == b`, else `0` (dtype of the inputs; not differentiable). */
export const equal = comparison('equal');
/** `1` where `a != b`, else `0`. */
export const notEqual = comparison('notEqual');
/** `1` where `a < b`, else `0`. */
export const less = comparison('less');
/** `1` where `a ≤ b`, else `0`. */
export const lessEqual = comparison('lessEqual');
/** `1` where `a > b`, else `0`. */
export const greater = comparison('greater');
/** `1` where `a ≥ b`, else `0`. */
export const greaterEqual = comparison('greaterEqual');

/** `cond != 0 ? a : b` elementwise with broadcasting. Differentiable in `a` and `b`. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote('where', a, b);
  const backend = commonBackend('where', cond, x, y);
  if (x.dtype !== y.dtype) throw new DTypeError('where', `dtypes differ (${x.dtype} and ${y.dtype})`);
  const shape = broadcastShapes('where', cond.shape, x.shape, y.shape);
  const out = emptyTensor(backend, shape, x.dtype);
  if (out.size > 0) {
    backend.kernels.where(
      broadcastView('where', cond, shape),
      broadcastView('where', x, shape),
      broadcastView('where', y, shape),
      out.view('where'),
    );
  }
  return record(out, 'where', [x, y], (g) => [
    x.requiresGrad ? sumToShape(where(cond, g, 0), x.shape) : null,
    y.requiresGrad ? sumToShape(where(cond, 0, g), y.shape) : null,
  ]);
}

/** Converts to `dtype` (f32→i32 truncates toward zero). Gradients pass through f32→f32 only. */
export function cast(x: Tensor, dtype: DType): Tensor {
  const out = emptyTensor(x.backend, x.shape, dtype);
  if (out.size > 0) x.backend.kernels.copy(x.view('cast'), out.view('cast'));
  if (dtype !== 'f32' || x.dtype !== 'f32') return out;
  return record(out, 'cast', [x], (g) => [g]);
}

/** `−x`. */
export const neg = (x: Tensor): Tensor => unary('neg', x, (g) => neg(g));
/** `|x|` (gradient `sign(x)`, 0 at 0). */
export const abs = (x: Tensor): Tensor => unary('abs', x, (g) => mul(g, sign(x)));
/** `sign(x)` ∈ {−1, 0, 1} (zero gradient). */
export const sign = (x: Tensor): Tensor => rawUnary('sign', x);
/** `eˣ`. */
export const exp = (x: Tensor): Tensor => unary('exp', x, (g, y) => mul(g, y));
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x, (g) => div(g, x));
/** `√x`. */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, (g, y) => div(mul(g, 0.5), y));
/** `1/√x`. */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x, (g, y) => mul(g, mul(-0.5, mul(y, square(y)))));
/** `1/x`. */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x, (g, y) => neg(mul(g, square(y))));
/** `x²`. */
export const square = (x: Tensor): Tensor => unary('square', x, (g) => mul(g, mul(x, 2)));
/** `sin x`. */
export const sin = (x: Tensor): Tensor => unary('sin', x, (g) => mul(g, cos(x)));
/** `cos x`. */
export const cos = (x: Tensor): Tensor => unary('cos', x, (g) => neg(mul(g, sin(x))));
/** `tanh x`. */
export const tanh = (x: Tensor): Tensor => unary('tanh', x, (g, y) => mul(g, sub(1, square(y))));
/** Logistic sigmoid `1/(1+e⁻ˣ)`. */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x, (g, y) => mul(g, mul(y, sub(1, y))));
/** `max(x, 0)` (gradient 0 at 0). */
export const relu = (x: Tensor): Tensor => unary('relu', x, (g) => mul(g, step(x)));
/** Heaviside step: 1 where x > 0, else 0 (zero gradient). */
export const step = (x: Tensor): Tensor => rawUnary('step', x);
/** `softplus(x) = log(1 + eˣ)`, computed stably. */
export const softplus = (x: Tensor): Tensor => unary('softplus', x, (g) => mul(g, sigmoid(x)));
/** Error function. */
export const erf = (x: Tensor): Tensor =>
  unary('erf', x, (g) => mul(g, mul(2 / Math.sqrt(Math.PI), exp(neg(square(x))))));
/** SiLU / swish `x·σ(x)`. */
export const silu = (x: Tensor): Tensor =>
  unary('silu', x, (g) => {
    const s = sigmoid(x);
    return mul(g, mul(s, add(1, mul(x, sub(1, s)))));
  });
/** GELU, exact form `x·Φ(x)` with Φ the standard normal CDF. */
export const gelu = (x: Tensor): Tensor =>
  unary('gelu', x, (g) => {
    const cdf = mul(0.5, add(1, erf(mul(x, Math.SQRT1_2))));
    const pdf = mul(1 / Math.sqrt(2 * Math.PI), exp(mul(-0.5, square(x))));
    return mul(g, add(cdf, mul(x, pdf)));
  });
/** GELU, tanh approximation (GPT-2's `gelu_new`): `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`. */
export const geluTanh = (x: Tensor): Tensor =>
  unary('geluTanh', x, (g) => {
    const c = Math.sqrt(2 / Math.PI);
    const t = tanh(mul(c, add(x, mul(0.044715, mul(x, square(x))))));
    const dInner = mul(c, add(1, mul(3 * 0.044715, square(x))));
    const d = add(mul(0.5, add(1, t)), mul(mul(0.5, x), mul(sub(1, square(t)), dInner)));
    return mul(g, d);
  });

/** Shapes accepted by the elementwise ops; re-exported for op authors. */
export type { Shape };
