/**
 * Float64 reference of decayed linear attention (SUPRA, arXiv 2405.06640), the plain recurrence.
 * @packageDocumentation
 */

/** A linear-attention problem on flat row-major arrays (read as float64). */
export interface ReferenceLinearAttentionInput {
  /** Batch size `B`. */
  readonly batch: number;
  /** Heads `H`. */
  readonly heads: number;
  /** Sequence length `N`. */
  readonly length: number;
  /** Feature dimension `dk` of `q` and `k` (after the feature map). */
  readonly keyDim: number;
  /** Value dimension `dv`. */
  readonly valueDim: number;
  /** Queries `[B, H, N, dk]` (feature map already applied). */
  readonly q: ArrayLike<number>;
  /** Keys `[B, H, N, dk]` (feature map already applied). */
  readonly k: ArrayLike<number>;
  /** Values `[B, H, N, dv]`. */
  readonly v: ArrayLike<number>;
  /** Decay `γ` per head, `[H]`. */
  readonly decay: ArrayLike<number>;
  /** Divide by `q_t·z_t + eps` with `z_t = γ z_{t−1} + k_t`. Default false. */
  readonly normalize?: boolean;
  /** Added to the normaliser. Default `1e-6`. */
  readonly eps?: number;
  /** Initial state `S_0: [B, H, dk, dv]`. Default zeros. */
  readonly initialState?: ArrayLike<number> | null;
  /** Initial normaliser `z_0: [B, H, dk]`. Default zeros. */
  readonly initialNormalizer?: ArrayLike<number> | null;
}

/** Outputs of {@link linearAttentionRecurrence}. */
export interface ReferenceLinearAttentionResult {
  /** `[B, H, N, dv]`. */
  readonly output: Float64Array;
  /** Final state `S_N: [B, H, dk, dv]`. */
  readonly state: Float64Array;
  /** Final normaliser `z_N: [B, H, dk]`. */
  readonly normalizer: Float64Array;
}

/**
 * `S_t = γ_h S_{t−1} + k_tᵀ v_t`, `o_t = q_t S_t` (divided by `q_t·z_t + eps` when `normalize`), token by token.
 */
export function linearAttentionRecurrence(
  input: ReferenceLinearAttentionInput,
): ReferenceLinearAttentionResult {
  const { batch, heads, length: n, keyDim: dk, valueDim: dv } = input;
  const eps = input.eps ?? 1e-6;
  const output = new Float64Array(batch * heads * n * dv);
  const state = new Float64Array(batch * heads * dk * dv);
  const normalizer = new Float64Array(batch * heads * dk);
  if (input.initialState) state.set(Array.from(input.initialState));
  if (input.initialNormalizer) normalizer.set(Array.from(input.initialNormalizer));
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const gamma = input.decay[h]!;
      const bh = b * heads + h;
      const s = bh * dk * dv;
      const z = bh * dk;
      for (let t = 0; t < n; t++) {
        const row = bh * n + t;
        for (let a = 0; a < dk; a++) {
          const ka = input.k[row * dk + a]!;
          normalizer[z + a] = gamma * normalizer[z + a]! + ka;
          for (let c = 0; c < dv; c++) {
            state[s + a * dv + c] = gamma * state[s + a * dv + c]! + ka * input.v[row * dv + c]!;
          }
        }
        let den = 1;
        if (input.normalize) {
          den = eps;
          for (let a = 0; a < dk; a++) den += input.q[row * dk + a]! * normalizer[z + a]!;
        }
        for (let c = 0; c < dv; c++) {
          let acc = 0;
          for (let a = 0; a < dk; a++) acc += input.q[row * dk + a]! * state[s + a * dv + c]!;
          output[row * dv + c] = acc / den;
        }
      }
    }
  }
  return { output, state, normalizer };
}
