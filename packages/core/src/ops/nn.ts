/**
 * Neural-network ops on the last axis: softmax, log-softmax, layer/RMS/group norm, embedding lookup,
 * rotary position embedding, and the common losses. Each forward is one backend kernel; each backward
 * is written with other ops.
 * @packageDocumentation
 */
import { record } from '../autograd.js';
import type { TensorView } from '../backend.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../errors.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange, zeros } from './creation.js';
import { add, cast, div, equal, exp, maximum, mul, neg, rsqrt, square, sub } from './elementwise.js';
import { emptyTensor, reshapedView, withContiguous } from './internal.js';
import { expandDims, reshape, transpose } from './layout.js';
import { mean, sum } from './reduce.js';

function lastAxisRows(x: Tensor): [number, number] {
  const n = x.shape[x.rank - 1] ?? 1;
  return [n === 0 ? 0 : x.size / n, n];
}

/** Moves `axis` to the end, applies `fn` over the last axis, and moves it back. */
function onAxis(op: string, x: Tensor, axis: number, fn: (t: Tensor) => Tensor): Tensor {
  const a = normalizeAxis(op, axis, x.rank);
  if (a === x.rank - 1) return fn(x);
  const perm = [...Array(x.rank).keys()];
  perm.splice(a, 1);
  perm.push(a);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return transpose(fn(transpose(x, perm)), inverse);
}

function softmaxLast(x: Tensor, log: boolean): Tensor {
  if (x.dtype !== 'f32') throw new DTypeError(log ? 'logSoftmax' : 'softmax', 'needs f32');
  const op = log ? 'logSoftmax' : 'softmax';
  const out = emptyTensor(x.backend, x.shape, 'f32');
  const [rows, n] = lastAxisRows(x);
  if (out.size > 0) {
    withContiguous(op, [x], ([xv]) => {
      x.backend.kernels.softmax(reshapedView(xv!, [rows, n]), reshapedView(out.view(op), [rows, n]), log);
    });
  }
  return record(out, op, [x], (g) =>
    log ? [sub(g, mul(exp(out), sum(g, -1, true)))] : [mul(out, sub(g, sum(mul(g, out), -1, true)))],
  );
}

/** Softmax along `axis` (default last). A slice that is all −∞ gives zeros, never NaN. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return onAxis('softmax', x, axis, (t) => softmaxLast(t, false));
}

/** Log-softmax along `axis` (default last), computed stably. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return onAxis('logSoftmax', x, axis, (t) => softmaxLast(t, true));
}

function checkAffine(op: string, x: Tensor, p: Tensor | null | undefined, n: number): void {
  if (p && (p.rank !== 1 || p.shape[0] !== n)) {
    throw new ShapeError(op, `parameter must have shape [${n}]`, [x.shape, p.shape]);
  }
}

function views(op: string, ts: (Tensor | null | undefined)[], fn: (v: (TensorView | null)[]) => void): void {
  const present = ts.filter((t): t is Tensor => !!t);
  withContiguous(op, present, (vs) => {
    let j = 0;
    fn(ts.map((t) => (t ? vs[j++]! : null)));
  });
}

/** Normalised `x̂ = (x − mean)·rsqrt(var + eps)` over the last axis, recomputed with ops for backward passes. */
function standardize(x: Tensor, eps: number): { xhat: Tensor; rstd: Tensor } {
  const mu = mean(x, -1, true);
  const centered = sub(x, mu);
  const rstd = rsqrt(add(mean(square(centered), -1, true), eps));
  return { xhat: mul(centered, rstd), rstd };
}

/** Backward of normalisation over the last axis given `gx̂ = ∂L/∂x̂`: `rstd·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂))`. */
function standardizeBackward(gxhat: Tensor, xhat: Tensor, rstd: Tensor): Tensor {
  return mul(rstd, sub(sub(gxhat, mean(gxhat, -1, true)), mul(xhat, mean(mul(gxhat, xhat), -1, true))));
}

function paramGrad(g: Tensor, factor: Tensor | null, n: number): Tensor {
  const prod = factor ? mul(g, factor) : g;
  return reshape(sum(reshape(prod, [-1, n]), 0), [n]);
}

/** Layer normalisation over the last axis: `(x − mean)/sqrt(var + eps)·gamma + beta` (biased variance). */
export function layerNorm(x: Tensor, gamma?: Tensor | null, beta?: Tensor | null, eps = 1e-5): Tensor {
  const [rows, n] = lastAxisRows(x);
  checkAffine('layerNorm', x, gamma, n);
  checkAffine('layerNorm', x, beta, n);
  const out = emptyTensor(x.backend, x.shape, 'f32');
  if (out.size > 0) {
    views('layerNorm', [x, gamma, beta], ([xv, gv, bv]) => {
      x.backend.kernels.layerNorm(
        reshapedView(xv!, [rows, n]),
        gv!,
        bv!,
        eps,
        reshapedView(out.view('layerNorm'), [rows, n]),
      );
    });
  }
  const inputs = [x, gamma, beta].filter((t): t is Tensor => !!t);
  return record(out, 'layerNorm', inputs, (g) => {
    const { xhat, rstd } = standardize(x, eps);
    const grads: (Tensor | null)[] = [
      x.requiresGrad ? standardizeBackward(gamma ? mul(g, gamma) : g, xhat, rstd) : null,
    ];
    if (gamma) grads.push(gamma.requiresGrad ? paramGrad(g, xhat, n) : null);
    if (beta) grads.push(beta.requiresGrad ? paramGrad(g, null, n) : null);
    return grads;
  });
}

/** RMS normalisation over the last axis: `x / sqrt(mean(x²) + eps) · gamma` (Llama's RMSNorm). */
export function rmsNorm(x: Tensor, gamma?: Tensor | null, eps = 1e-6): Tensor {
  const [rows, n] = lastAxisRows(x);
  checkAffine('rmsNorm', x, gamma, n);
  const out = emptyTensor(x.backend, x.shape, 'f32');
  if (out.size > 0) {
    views('rmsNorm', [x, gamma], ([xv, gv]) => {
      x.backend.kernels.rmsNorm(
        reshapedView(xv!, [rows, n]),
        gv!,
        eps,
        reshapedView(out.view('rmsNorm'), [rows, n]),
      );
    });
  }
  const inputs = [x, gamma].filter((t): t is Tensor => !!t);
  return record(out, 'rmsNorm', inputs, (g) => {
    const r = rsqrt(add(mean(square(x), -1, true), eps));
    const gx = gamma ? mul(g, gamma) : g;
    // d/dx (x·r) = r·gx − x·r³·mean(gx·x)
    const dx = sub(mul(r, gx), mul(mul(x, mul(r, square(r))), mean(mul(gx, x), -1, true)));
    const grads: (Tensor | null)[] = [x.requiresGrad ? dx : null];
    if (gamma) grads.push(gamma.requiresGrad ? paramGrad(g, mul(x, r), n) : null);
    return grads;
  });
}

/**
 * Group normalisation of the last axis (C channels in `groups` contiguous groups), each group normalised
 * like layer norm, then per-channel `gamma`/`beta`. SUPRA applies it per head (groups = heads) to each
 * token's attention output.
 */
export function groupNorm(
  x: Tensor,
  groups: number,
  gamma?: Tensor | null,
  beta?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const [rows, c] = lastAxisRows(x);
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw new InvalidArgumentError('groupNorm', `${c} channels cannot be split into ${groups} groups`);
  }
  checkAffine('groupNorm', x, gamma, c);
  checkAffine('groupNorm', x, beta, c);
  const out = emptyTensor(x.backend, x.shape, 'f32');
  if (out.size > 0) {
    views('groupNorm', [x, gamma, beta], ([xv, gv, bv]) => {
      x.backend.kernels.groupNorm(
        reshapedView(xv!, [rows, c]),
        groups,
        gv!,
        bv!,
        eps,
        reshapedView(out.view('groupNorm'), [rows, c]),
      );
    });
  }
  const inputs = [x, gamma, beta].filter((t): t is Tensor => !!t);
  return record(out, 'groupNorm', inputs, (g) => {
    const grouped = [...x.shape.slice(0, -1), groups, c / groups];
    const { xhat, rstd } = standardize(reshape(x, grouped), eps);
    const gx = reshape(gamma ? mul(g, gamma) : g, grouped);
    const grads: (Tensor | null)[] = [
      x.requiresGrad ? reshape(standardizeBackward(gx, xhat, rstd), x.shape) : null,
    ];
    if (gamma) grads.push(gamma.requiresGrad ? paramGrad(g, reshape(xhat, x.shape), c) : null);
    if (beta) grads.push(beta.requiresGrad ? paramGrad(g, null, c) : null);
    return grads;
  });
}

/** Embedding lookup: rows of `table: [V, D]` picked by `indices` (i32, any shape) → `[...indices.shape, D]`. */
export function embedding(table: Tensor, indices: Tensor): Tensor {
  if (indices.dtype !== 'i32') throw new DTypeError('embedding', `indices must be i32, got ${indices.dtype}`);
  if (table.rank !== 2)
    throw new ShapeError('embedding', 'table must be [V, D]', [table.shape, indices.shape]);
  const d = table.shape[1]!;
  const n = indices.size;
  const out = emptyTensor(table.backend, [...indices.shape, d], table.dtype);
  if (out.size > 0) {
    withContiguous('embedding', [table, indices], ([tv, iv]) => {
      table.backend.kernels.gather(tv!, reshapedView(iv!, [n]), reshapedView(out.view('embedding'), [n, d]));
    });
  }
  return record(out, 'embedding', [table], (g) => {
    const grad = zeros(table.backend, table.shape, 'f32');
    if (n > 0 && d > 0) {
      withContiguous('embedding', [indices, g], ([iv, gv]) => {
        table.backend.kernels.scatterAdd(
          reshapedView(iv!, [n]),
          reshapedView(gv!, [n, d]),
          grad.view('embedding'),
        );
      });
    }
    // scatterAdd is linear in g and its adjoint is the gather: recorded, so createGraph can go through it.
    return [record(grad, 'embeddingBackward', [g], (gg) => [embedding(gg, indices)])];
  });
}

/** Options of {@link rope}. */
export interface RopeOpOptions {
  /** Pair feature 2i with 2i+1 (GPT-J) instead of i with i + D/2 (Llama, default). */
  readonly interleaved?: boolean;
}

function ropeRaw(x: Tensor, cos: Tensor, sin: Tensor, interleaved: boolean, inverse: boolean): Tensor {
  const d = x.shape[x.rank - 1]!;
  const t = x.shape[x.rank - 2]!;
  if (x.rank < 2 || d % 2 !== 0) throw new ShapeError('rope', 'x must be [..., T, D] with even D', [x.shape]);
  if (
    cos.rank !== 2 ||
    cos.shape[0] !== t ||
    cos.shape[1] !== d / 2 ||
    sin.shape.join() !== cos.shape.join()
  ) {
    throw new ShapeError('rope', `cos and sin must be [${t}, ${d / 2}]`, [x.shape, cos.shape, sin.shape]);
  }
  const rows = sizeOf(x.shape.slice(0, -2));
  const out = emptyTensor(x.backend, x.shape, 'f32');
  if (out.size > 0) {
    withContiguous('rope', [x, cos, sin], ([xv, cv, sv]) => {
      x.backend.kernels.rope(
        reshapedView(xv!, [rows, t, d]),
        cv!,
        sv!,
        reshapedView(out.view('rope'), [rows, t, d]),
        {
          interleaved,
          inverse,
        },
      );
    });
  }
  return out;
}

/**
 * Rotary position embedding (RoFormer, Su et al. 2021) of `x: [..., T, D]` with angle tables
 * `cos, sin: [T, D/2]` (make them with `ropeAngles`). Gradients flow to `x` only.
 */
export function rope(x: Tensor, cos: Tensor, sin: Tensor, options: RopeOpOptions = {}): Tensor {
  const interleaved = options.interleaved ?? false;
  const out = ropeRaw(x, cos, sin, interleaved, false);
  return record(out, 'rope', [x], (g) => [ropeInverse(g, cos, sin, interleaved)]);
}

function ropeInverse(g: Tensor, cos: Tensor, sin: Tensor, interleaved: boolean): Tensor {
  const out = ropeRaw(g, cos, sin, interleaved, true);
  return record(out, 'ropeInverse', [g], (gg) => [rope(gg, cos, sin, { interleaved })]);
}

/**
 * Mean cross-entropy of `logits: [..., V]` against integer `labels: [...]` (i32). Labels outside
 * `[0, V)` (such as PyTorch's ignore index −100) are left out of the mean.
 */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  if (labels.dtype !== 'i32') throw new DTypeError('crossEntropy', `labels must be i32, got ${labels.dtype}`);
  const v = logits.shape[logits.rank - 1]!;
  if (labels.rank !== logits.rank - 1 || labels.shape.some((d, i) => d !== logits.shape[i])) {
    throw new ShapeError('crossEntropy', 'labels must have the shape of logits without the last axis', [
      logits.shape,
      labels.shape,
    ]);
  }
  // One-hot mask built on the device: mask[..., c] = (label == c). Ignored labels match no class.
  const classes = arange(logits.backend, 0, v);
  const mask = equal(expandDims(cast(labels, 'f32'), -1), classes);
  const count = maximum(sum(mask), 1);
  return neg(div(sum(mul(mask, logSoftmax(logits))), count));
}

/** Mean squared error `mean((a − b)²)`. */
export function mseLoss(a: Tensor, b: Tensor): Tensor {
  return mean(square(sub(a, b)));
}
