/**
 * Matrix products: `matmul` with batch broadcasting over leading axes, and `linear` (`x·Wᵀ + b`, the
 * PyTorch/Hugging Face weight layout). Transposed views are passed to the kernel with a transpose flag
 * instead of being copied, so backward passes (which multiply by transposes) cost no extra copies.
 * @packageDocumentation
 */
import { record } from '../autograd.js';
import type { TensorView } from '../backend.js';
import { DTypeError, ShapeError } from '../errors.js';
import { broadcastShapes, contiguousStrides } from '../shape.js';
import { materialize, type Tensor } from '../tensor.js';
import { add } from './elementwise.js';
import { commonBackend, emptyTensor, reshapedView } from './internal.js';
import { broadcastTo, reshape, transposeLast2 } from './layout.js';
import { sumToShape } from './reduce.js';

interface MatrixOperand {
  view: TensorView;
  transposed: boolean;
  temporary: Tensor | null;
}

/**
 * Presents a `[..batch, R, C]` tensor as a `[batch, R, C]` (or transposed `[batch, C, R]`) kernel view.
 * A tensor holding a single matrix (all batch extents 1) is shared across `batch` with batch stride 0.
 */
function asMatrixBatch(x: Tensor, batch: number): MatrixOperand {
  const r = x.rank;
  const rows = x.shape[r - 2]!;
  const cols = x.shape[r - 1]!;
  const own = x.size / Math.max(1, rows * cols);
  const shared = own === 1 && batch !== 1 && rows * cols > 0;
  const batchStride = (dense: number) => (shared ? 0 : dense);
  if (x.isContiguous) {
    const v = x.view('matmul');
    return {
      view: { ...v, shape: [batch, rows, cols], strides: [batchStride(rows * cols), cols, 1] },
      transposed: false,
      temporary: null,
    };
  }
  // A transposed view of a contiguous [..., C, R] tensor: inner strides (1, R) and dense batch strides.
  const strides = x.strides;
  const dense = contiguousStrides(x.shape);
  const batchDense = x.shape.slice(0, r - 2).every((d, i) => d <= 1 || strides[i] === dense[i]);
  if ((cols <= 1 || strides[r - 2] === 1) && (rows <= 1 || strides[r - 1] === rows) && batchDense) {
    const v = x.view('matmul');
    return {
      view: { ...v, shape: [batch, cols, rows], strides: [batchStride(rows * cols), rows, 1] },
      transposed: true,
      temporary: null,
    };
  }
  const copy = materialize(x);
  const v = copy.view('matmul');
  return {
    view: { ...v, shape: [batch, rows, cols], strides: [batchStride(rows * cols), cols, 1] },
    transposed: false,
    temporary: copy,
  };
}

/**
 * Matrix product over the last two axes, `[..., M, K] · [..., K, N] → [..., M, N]`, with NumPy broadcasting
 * of the leading (batch) axes. Both inputs need rank ≥ 2.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const backend = commonBackend('matmul', a, b);
  if (a.dtype !== 'f32' || b.dtype !== 'f32') throw new DTypeError('matmul', 'needs f32 tensors');
  if (a.rank < 2 || b.rank < 2) throw new ShapeError('matmul', 'inputs need rank ≥ 2', [a.shape, b.shape]);
  const m = a.shape[a.rank - 2]!;
  const k = a.shape[a.rank - 1]!;
  const n = b.shape[b.rank - 1]!;
  if (b.shape[b.rank - 2] !== k) {
    throw new ShapeError('matmul', `inner extents differ (${k} vs ${b.shape[b.rank - 2]})`, [
      a.shape,
      b.shape,
    ]);
  }
  const batchShape = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = batchShape.reduce((p, d) => p * d, 1);
  const out = emptyTensor(backend, [...batchShape, m, n], 'f32');
  if (out.size > 0 && b.rank === 2 && a.isContiguous && batch > 1) {
    // [..., M, K] · [K, N]: fold the batch into M, one kernel call, no copy of b per batch element.
    const right = asMatrixBatch(b, 1);
    try {
      backend.kernels.matmul(
        reshapedView(a.view('matmul'), [1, batch * m, k]),
        right.view,
        reshapedView(out.view('matmul'), [1, batch * m, n]),
        { transposeA: false, transposeB: right.transposed },
      );
    } finally {
      right.temporary?.dispose();
    }
  } else if (out.size > 0) {
    const batchOf = (t: Tensor) => t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    const fits = (t: Tensor) =>
      batchOf(t) === 1 ||
      (t.rank - 2 === batchShape.length && t.shape.slice(0, -2).every((d, i) => d === batchShape[i]));
    // Operands with one matrix are shared (batch stride 0); other broadcasts are materialised.
    const aB = fits(a) ? a : broadcastTo(a, [...batchShape, m, k]);
    const bB = fits(b) ? b : broadcastTo(b, [...batchShape, k, n]);
    const left = asMatrixBatch(aB, batch);
    const right = asMatrixBatch(bB, batch);
    try {
      backend.kernels.matmul(left.view, right.view, reshapedView(out.view('matmul'), [batch, m, n]), {
        transposeA: left.transposed,
        transposeB: right.transposed,
      });
    } finally {
      left.temporary?.dispose();
      right.temporary?.dispose();
      if (aB !== a) aB.dispose();
      if (bB !== b) bB.dispose();
    }
  }
  return record(out, 'matmul', [a, b], (g) => [
    a.requiresGrad ? sumToShape(matmul(g, transposeLast2(b)), a.shape) : null,
    b.requiresGrad ? sumToShape(matmul(transposeLast2(a), g), b.shape) : null,
  ]);
}

/**
 * Affine map `x·Wᵀ + bias` over the last axis: `x: [..., in]`, `weight: [out, in]` (the PyTorch layout),
 * `bias: [out]` or omitted.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.rank !== 2 || x.shape[x.rank - 1] !== weight.shape[1]) {
    throw new ShapeError('linear', 'x[..., in] needs weight [out, in]', [x.shape, weight.shape]);
  }
  const inFeatures = weight.shape[1]!;
  const outFeatures = weight.shape[0]!;
  // Fold the leading axes into rows so the product (and its backward) is one 2-D matmul.
  const rows = x.rank === 2 ? x : reshape(x, [-1, inFeatures]);
  const y2 = matmul(rows, transposeLast2(weight));
  const y = x.rank === 2 ? y2 : reshape(y2, [...x.shape.slice(0, -1), outFeatures]);
  return bias ? add(y, bias) : y;
}
