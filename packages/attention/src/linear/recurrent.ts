/**
 * Decayed linear attention in recurrent form through the backend's `linearAttention` kernel (forward) and
 * `linearAttentionBackward` kernel (gradients): O(N·dk·dv) work, O(dk·dv) state per head.
 * @packageDocumentation
 */
import { broadcastTo, noGrad, record, reshape, type Tensor, zeros } from '@aaren/core';

const OP = 'linearAttentionRecurrent';

/**
 * `S_t = γ_h S_{t−1} + k_tᵀ v_t`, `o_t = q_t S_t` from `S_0 = 0`, for `q, k: [B, H, N, dk]`, `v: [B, H, N, dv]`
 * and `decay: [H]`. Differentiable in `q`, `k` and `v` (not in `decay`). Inputs are checked by the caller.
 * @internal
 */
export function recurrentLinearAttention(q: Tensor, k: Tensor, v: Tensor, decay: Tensor): Tensor {
  const [batch = 0, heads = 0, n = 0, dk = 0] = q.shape;
  const dv = v.shape[3]!;
  const rows = batch * heads;
  const backend = q.backend;
  const out = zeros(backend, [batch, heads, n, dv]);
  const keyShape = [rows, n, dk];
  const valueShape = [rows, n, dv];
  // One decay per (b, h) row, materialised contiguously by the reshape of the broadcast view.
  const rowDecay = noGrad(() => reshape(broadcastTo(reshape(decay, [1, heads]), [batch, heads]), [rows]));
  const views = (tensors: readonly Tensor[], shapes: readonly (readonly number[])[]): Tensor[] =>
    noGrad(() => tensors.map((t, i) => reshape(t, shapes[i]!)));
  if (out.size > 0) {
    const [qv, kv, vv, ov] = views([q, k, v, out], [keyShape, keyShape, valueShape, valueShape]);
    backend.kernels.linearAttention(
      qv!.view(OP),
      kv!.view(OP),
      vv!.view(OP),
      rowDecay.view(OP),
      null,
      ov!.view(OP),
      null,
    );
    for (const t of [qv, kv, vv, ov]) t!.dispose();
  }
  return record(out, OP, [q, k, v], (grad) => {
    const gq = zeros(backend, q.shape);
    const gk = zeros(backend, k.shape);
    const gv = zeros(backend, v.shape);
    if (out.size > 0 && n > 0) {
      const vs = views(
        [q, k, v, grad, gq, gk, gv],
        [keyShape, keyShape, valueShape, valueShape, keyShape, keyShape, valueShape],
      );
      backend.kernels.linearAttentionBackward(
        vs[0]!.view(OP),
        vs[1]!.view(OP),
        vs[2]!.view(OP),
        rowDecay.view(OP),
        vs[3]!.view(OP),
        vs[4]!.view(OP),
        vs[5]!.view(OP),
        vs[6]!.view(OP),
      );
      for (const t of vs) t.dispose();
    }
    return [q.requiresGrad ? gq : null, k.requiresGrad ? gk : null, v.requiresGrad ? gv : null];
  });
}
