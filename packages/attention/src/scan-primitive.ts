/**
 * The differentiable attention-scan primitive on precomputed scores: one call of the backend's
 * `attentionScan` kernel forward and one of `attentionScanBackward` backward (reverse scans, O(N·D) work and
 * memory per row, no N×N intermediate).
 * @packageDocumentation
 */
import { noGrad, record, reshape, type Tensor, zeros } from '@aaren/core';
import { AttentionShapeError } from './errors.js';
import { assertF32, assertSameBackend } from './shapes.js';

const OP = 'attentionScanFromScores';

/** Runs `fn` with row-major views of `tensors` reshaped to `shapes`, disposing the temporary views after. */
function withReshaped<R>(
  tensors: readonly Tensor[],
  shapes: readonly (readonly number[])[],
  fn: (views: Tensor[]) => R,
): R {
  const views = noGrad(() => tensors.map((t, i) => reshape(t, shapes[i]!)));
  try {
    return fn(views);
  } finally {
    for (const v of views) v.dispose();
  }
}

/**
 * Softmax attention of every prefix, from scores: for each row (all axes but the last of `scores`),
 * `out[…, k, :] = Σ_{i≤k} e^{s_i − m_k} v_i / w_k` with `m_k = max_{i≤k} s_i` and `w_k = Σ_{i≤k} e^{s_i − m_k}`
 * (the `(m, u, w)` scan of Aaren, arXiv 2405.13956 §3.2, eq. for `o_k = u_k / w_k`).
 *
 * A score of `−∞` masks its token. A prefix with no unmasked token (every score `−∞`) outputs `0`, and its
 * tokens get zero gradients. Scores must otherwise be finite (any magnitude: ±1e4 and beyond are exact).
 *
 * Differentiable in `scores` and `values` through the backend's `attentionScanBackward` kernel; the backward
 * pass is not itself recorded (no second-order gradients).
 *
 * @param scores - `[..., N]` (f32)
 * @param values - `[..., N, D]` (f32), same leading extents as `scores`
 * @returns `[..., N, D]`
 *
 * @example
 * ```ts
 * const cpu = cpuBackend();
 * const out = attentionScanFromScores(tensor(cpu, [0, 3, -1, 5]), tensor(cpu, [[1], [2], [3], [4]]));
 * // out ≈ [[1], [1.95], [1.97], [3.74]]
 * ```
 */
export function attentionScanFromScores(scores: Tensor, values: Tensor): Tensor {
  assertF32(OP, 'scores', scores);
  assertF32(OP, 'values', values);
  assertSameBackend(OP, [
    ['scores', scores],
    ['values', values],
  ]);
  const lead = scores.shape;
  const ok =
    scores.rank >= 1 && values.rank === scores.rank + 1 && lead.every((d, i) => d === values.shape[i]);
  if (!ok) throw new AttentionShapeError(OP, 'values', '[...scores.shape, D]', [values.shape, scores.shape]);
  const n = lead[lead.length - 1]!;
  const d = values.shape[values.rank - 1]!;
  const rows = lead.slice(0, -1).reduce((p, x) => p * x, 1);
  const backend = scores.backend;
  const out = zeros(backend, values.shape);
  const maxOut = zeros(backend, lead);
  const denomOut = zeros(backend, lead);
  const rowShape = [rows, n];
  const valueShape = [rows, n, d];
  if (out.size > 0) {
    withReshaped(
      [scores, values, out, maxOut, denomOut],
      [rowShape, valueShape, valueShape, rowShape, rowShape],
      (v) =>
        backend.kernels.attentionScan(
          v[0]!.view(OP),
          v[1]!.view(OP),
          v[2]!.view(OP),
          v[3]!.view(OP),
          v[4]!.view(OP),
        ),
    );
  }
  return record(out, OP, [scores, values], (grad) => {
    const gradScores = zeros(backend, lead);
    const gradValues = zeros(backend, values.shape);
    if (out.size > 0) {
      withReshaped(
        [scores, values, out, maxOut, denomOut, grad, gradScores, gradValues],
        [rowShape, valueShape, valueShape, rowShape, rowShape, valueShape, rowShape, valueShape],
        (v) =>
          backend.kernels.attentionScanBackward(
            v[0]!.view(OP),
            v[1]!.view(OP),
            v[2]!.view(OP),
            v[3]!.view(OP),
            v[4]!.view(OP),
            v[5]!.view(OP),
            v[6]!.view(OP),
            v[7]!.view(OP),
          ),
      );
    }
    if (!scores.requiresGrad) gradScores.dispose();
    if (!values.requiresGrad) gradValues.dispose();
    return [scores.requiresGrad ? gradScores : null, values.requiresGrad ? gradValues : null];
  });
}
