/**
 * Cumulative sum and max along an axis (inclusive/exclusive, forward/reverse).
 * @packageDocumentation
 */
import { record } from '../autograd.js';
import { GradientError } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { emptyTensor, reshapedView, withContiguous } from './internal.js';

/** Options of {@link cumsum} and {@link cummax}. */
export interface CumulativeOpOptions {
  /** Element i combines elements strictly before it (default false). */
  readonly exclusive?: boolean;
  /** Scan from the end of the axis (default false). */
  readonly reverse?: boolean;
}

function cumulative(
  kind: 'cumsum' | 'cummax',
  x: Tensor,
  axis: number,
  options: CumulativeOpOptions,
): Tensor {
  const a = normalizeAxis(kind, axis, x.rank);
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const out = emptyTensor(x.backend, x.shape, x.dtype);
  if (out.size > 0) {
    withContiguous(kind, [x], ([xv]) => {
      const shape = [outer, x.shape[a]!, inner];
      x.backend.kernels[kind](reshapedView(xv!, shape), reshapedView(out.view(kind), shape), {
        exclusive: options.exclusive ?? false,
        reverse: options.reverse ?? false,
      });
    });
  }
  return out;
}

/** Cumulative sum along `axis`. Its gradient is the cumulative sum of the gradient in the other direction. */
export function cumsum(x: Tensor, axis = -1, options: CumulativeOpOptions = {}): Tensor {
  const out = cumulative('cumsum', x, axis, options);
  return record(out, 'cumsum', [x], (g) => [
    cumsum(g, axis, { exclusive: options.exclusive ?? false, reverse: !(options.reverse ?? false) }),
  ]);
}

/** Cumulative maximum along `axis` (−∞ before the first element when exclusive). Not differentiable. */
export function cummax(x: Tensor, axis = -1, options: CumulativeOpOptions = {}): Tensor {
  const out = cumulative('cummax', x, axis, options);
  return record(out, 'cummax', [x], () => {
    throw new GradientError('cummax is not differentiable; use the attention scan for softmax prefixes');
  });
}
