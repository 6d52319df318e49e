/**
 * Float64 reference of the `matmul` kernel.
 * @packageDocumentation
 */

/** Sizes and transposition flags of a batched matrix product. */
export interface MatmulProblem {
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** `a` is stored as `[batch, K, M]` and used transposed. */
  readonly transposeA: boolean;
  /** `b` is stored as `[batch, N, K]` and used transposed. */
  readonly transposeB: boolean;
}

/**
 * `out[b, i, j] = Σ_k A[b, i, k] · B[b, k, j]` where `A`/`B` are `a`/`b` (row-major, as stored) or their
 * transposes. Returns `[batch, M, N]` row-major; an empty sum (K = 0) is 0.
 */
export function matmulReference(a: ArrayLike<number>, b: ArrayLike<number>, p: MatmulProblem): Float64Array {
  const { batch, m, k, n } = p;
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) {
          const av = p.transposeA ? a[t * k * m + q * m + i]! : a[t * m * k + i * k + q]!;
          const bv = p.transposeB ? b[t * n * k + j * k + q]! : b[t * k * n + q * n + j]!;
          sum += av * bv;
        }
        out[t * m * n + i * n + j] = sum;
      }
    }
  }
  return out;
}
