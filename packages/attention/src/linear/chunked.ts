/**
 * Decayed linear attention in chunked-parallel form (as in RetNet / GLA / SUPRA training), written with core
 * ops so autograd differentiates it: inside a chunk of `C` tokens a quadratic product with a decay mask,
 * between chunks a state of size `dk × dv` passed forward. O(N·C·(dk + dv) + N·dk·dv) work.
 * @packageDocumentation
 */
import {
  add,
  type Backend,
  concat,
  equal,
  matmul,
  mul,
  noGrad,
  pow,
  reshape,
  slice,
  sliceAxis,
  type Tensor,
  tensor,
  transposeLast2,
  where,
  zeros,
} from '@aaren/core';
import { chunkStateScan } from './chunk-state-scan.js';

/** Decay tables of one chunked pass, all constants of autograd. */
interface DecayTables {
  /** `D[h, 0, i, j] = γ_h^{i−j}` for `j ≤ i`, else 0: `[H, 1, C, C]`. */
  readonly intra: Tensor;
  /** `γ_h^{i+1}`, the decay of the carried state seen by token `i` of a chunk: `[H, 1, C, 1]`. */
  readonly query: Tensor;
  /** `γ_h^{L_c−1−j}`, the decay of token `j` of chunk `c` up to the chunk's end: `[H, nc, C, 1]`. */
  readonly key: Tensor;
  /** `γ_h^{L_c}`, the decay of the carried state across chunk `c`: `[H, nc]`. */
  readonly chunk: Tensor;
}

/** `γ_h^{e}` for an exponent table of `shape` (`γ^0 = 1` exactly, also for `γ = 0`). */
function powers(backend: Backend, decay: Tensor, exponents: Float32Array, shape: readonly number[]): Tensor {
  const e = tensor(backend, exponents, shape);
  const heads = decay.shape[0]!;
  const g = reshape(decay, [heads, ...shape.map(() => 1)]);
  return where(equal(e, 0), 1, pow(g, e));
}

function decayTables(decay: Tensor, chunk: number, chunks: number, tail: number): DecayTables {
  return noGrad(() => {
    const backend = decay.backend;
    const heads = decay.shape[0]!;
    const diff = new Float32Array(chunk * chunk);
    const causal = new Float32Array(chunk * chunk);
    for (let i = 0; i < chunk; i++) {
      for (let j = 0; j <= i; j++) {
        diff[i * chunk + j] = i - j;
        causal[i * chunk + j] = 1;
      }
    }
    const intra = where(
      tensor(backend, causal, [chunk, chunk]),
      powers(backend, decay, diff, [chunk, chunk]),
      0,
    );
    const queryExp = Float32Array.from({ length: chunk }, (_, i) => i + 1);
    const keyExp = new Float32Array(chunks * chunk);
    const chunkExp = new Float32Array(chunks);
    for (let c = 0; c < chunks; c++) {
      const len = c === chunks - 1 ? tail : chunk;
      chunkExp[c] = len;
      for (let j = 0; j < chunk; j++) keyExp[c * chunk + j] = Math.max(len - 1 - j, 0);
    }
    return {
      intra: reshape(intra, [heads, 1, chunk, chunk]),
      query: reshape(powers(backend, decay, queryExp, [chunk]), [heads, 1, chunk, 1]),
      key: reshape(powers(backend, decay, keyExp, [chunks, chunk]), [heads, chunks, chunk, 1]),
      chunk: powers(backend, decay, chunkExp, [chunks]),
    };
  });
}

/** `x: [B, H, N, d]` padded with zeros to `[B, H, nc·C, d]` and viewed as `[B, H, nc, C, d]`. */
function toChunks(x: Tensor, chunk: number, chunks: number): Tensor {
  const [batch = 0, heads = 0, n = 0, d = 0] = x.shape;
  const pad = chunks * chunk - n;
  const padded = pad > 0 ? concat([x, zeros(x.backend, [batch, heads, pad, d])], 2) : x;
  return reshape(padded, [batch, heads, chunks, chunk, d]);
}

/** Output and final state of {@link chunkedLinearAttention}. */
export interface ChunkedResult {
  /** `[B, H, N, dv]`. */
  readonly output: Tensor;
  /** `S_N: [B, H, dk, dv]`. */
  readonly state: Tensor;
}

/**
 * Chunked-parallel decayed linear attention. With chunks of `C` tokens (the last may be shorter, length
 * `L_c`), local positions `i, j`, carried state `S_{c−1}` and `D_{ij} = γ^{i−j}` (`j ≤ i`):
 *
 * `O_c = ((Q_c K_cᵀ) ⊙ D) V_c + (Q_c ⊙ γ^{i+1}) S_{c−1}`, `S_c = γ^{L_c} S_{c−1} + (K_c ⊙ γ^{L_c−1−j})ᵀ V_c`.
 *
 * Equal to the recurrence `S_t = γ S_{t−1} + k_tᵀ v_t`, `o_t = q_t S_t` from `S_0 = initialState` (or 0).
 * Every power of `γ` has a non-negative exponent, so nothing overflows for small `γ`. Inputs are checked by
 * the caller; `decay: [H]` is a constant of autograd.
 * @internal
 */
export function chunkedLinearAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  decay: Tensor,
  chunkSize: number,
  initialState: Tensor | null,
): ChunkedResult {
  const [batch = 0, heads = 0, n = 0, dk = 0] = q.shape;
  const dv = v.shape[3]!;
  const backend = q.backend;
  const chunk = Math.max(1, Math.min(chunkSize, n));
  const chunks = Math.max(1, Math.ceil(n / chunk));
  const tail = n - (chunks - 1) * chunk;
  const tables = decayTables(decay, chunk, chunks, tail);
  const qc = toChunks(q, chunk, chunks);
  const kc = toChunks(k, chunk, chunks);
  const vc = toChunks(v, chunk, chunks);

  // Inside each chunk: (Q Kᵀ ⊙ D) V, one batched product over [B, H, nc].
  const intra = matmul(mul(matmul(qc, transposeLast2(kc)), tables.intra), vc);
  // Each chunk's own contribution to the state at its end: (K ⊙ γ^{L−1−j})ᵀ V, [B, H, nc, dk, dv].
  const contributions = matmul(transposeLast2(mul(kc, tables.key)), vc);

  // Between chunks: S_c = γ^{L_c} S_{c−1} + contribution_c, sequentially over the nc chunks (one recorded op).
  const width = dk * dv;
  const initial = initialState
    ? reshape(initialState, [batch, heads, width])
    : zeros(backend, [batch, heads, width]);
  const states = chunkStateScan(reshape(contributions, [batch, heads, chunks, width]), tables.chunk, initial);
  const previous = reshape(slice(states, [0, 0, 0, 0], [batch, heads, chunks, width]), [
    batch,
    heads,
    chunks,
    dk,
    dv,
  ]);
  const state = reshape(sliceAxis(states, 2, chunks, 1), [batch, heads, dk, dv]);
  const inter = matmul(mul(qc, tables.query), previous);
  const full = reshape(add(intra, inter), [batch, heads, chunks * chunk, dv]);
  const output = chunks * chunk === n ? full : slice(full, [0, 0, 0, 0], [batch, heads, n, dv]);
  return { output, state };
}
