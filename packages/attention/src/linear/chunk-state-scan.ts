/**
 * The inter-chunk recurrence of chunked linear attention as one recorded op: `S_c = a_c S_{c−1} + T_c` over
 * the chunk axis, forward by a loop over chunks and backward by the reverse recurrence. One op instead of a
 * slice per chunk keeps autograd linear in the number of chunks (the gradient of each slice of a tensor
 * would otherwise be a zero-padded copy of the whole tensor: O(chunks²) memory traffic).
 * @packageDocumentation
 */
import { add, mul, noGrad, record, reshape, sliceAxis, stack, type Tensor } from '@aaren/core';

/**
 * Every state of `S_0 = initial`, `S_{c+1} = decay[h, c] · S_c + contributions[b, h, c]`, as
 * `[B, H, nc + 1, X]` (index 0 holds `initial`, index `c + 1` the state after chunk `c`).
 *
 * @param contributions - `T: [B, H, nc, X]` (differentiable)
 * @param decay - `a: [H, nc]` (a constant of autograd)
 * @param initial - `S_0: [B, H, X]` (differentiable)
 * @internal
 */
export function chunkStateScan(contributions: Tensor, decay: Tensor, initial: Tensor): Tensor {
  const [batch = 0, heads = 0, chunks = 0, width = 0] = contributions.shape;
  const at = (t: Tensor, c: number): Tensor => reshape(sliceAxis(t, 2, c, 1), [batch, heads, width]);
  const factor = (c: number): Tensor => reshape(sliceAxis(decay, 1, c, 1), [heads, 1]);
  const states = noGrad(() => {
    const list = [initial];
    for (let c = 0; c < chunks; c++) list.push(add(mul(list[c]!, factor(c)), at(contributions, c)));
    return stack(list, 2);
  });
  return record(states, 'chunkStateScan', [contributions, initial], (grad) => {
    // Reverse recurrence: R_nc = G_nc, R_c = G_c + a_c R_{c+1}; ∂L/∂T_c = R_{c+1}, ∂L/∂S_0 = R_0.
    let carry = at(grad, chunks);
    const perChunk: Tensor[] = new Array(chunks);
    for (let c = chunks - 1; c >= 0; c--) {
      perChunk[c] = carry;
      carry = add(at(grad, c), mul(carry, factor(c)));
    }
    return [chunks > 0 ? stack(perChunk, 2) : mul(contributions, 0), carry];
  });
}
