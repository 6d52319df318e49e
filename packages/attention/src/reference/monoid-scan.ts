/**
 * Float64 many-to-many attention through the attention monoid of `@aaren/scan` (Aaren, arXiv 2405.13956
 * §3.2): leaves `(s_i, v_i, 1)`, a scan with `⊕`, and the readout `u / w`. O(N·D) per row, so it also serves
 * as the oracle at lengths where the quadratic reference is too slow.
 * @packageDocumentation
 */
import {
  attentionLayout,
  contiguousLine,
  type PackedScanFunction,
  packedAttentionFromScores,
  packedAttentionMonoid,
  scanPackedBlelloch,
  scanPackedBlockwise,
  scanPackedHillisSteele,
  scanPackedSequential,
} from '@aaren/scan';

/** Scan algorithms of `@aaren/scan` that {@link attentionScanMonoid} can run. */
export type MonoidScanAlgorithm = 'sequential' | 'blockwise' | 'blelloch' | 'hillis-steele';

const ALGORITHMS: Readonly<Record<MonoidScanAlgorithm, PackedScanFunction>> = {
  sequential: scanPackedSequential,
  blockwise: scanPackedBlockwise,
  blelloch: scanPackedBlelloch,
  'hillis-steele': scanPackedHillisSteele,
};

/** Options of {@link attentionScanMonoid}. */
export interface MonoidScanOptions {
  /** Which scan of `@aaren/scan` to run. Default `'sequential'`. */
  readonly algorithm?: MonoidScanAlgorithm;
  /** Block size of the blockwise scan. */
  readonly blockSize?: number;
}

/**
 * Every prefix output of `rows` rows of `scores: [rows, n]` (`−∞` masks a token) and `values: [rows, n, dim]`,
 * as a scan of `packedAttentionMonoid(dim)` followed by `o_k = u_k / w_k` (0 for an empty prefix).
 */
export function attentionScanMonoid(
  scores: ArrayLike<number>,
  values: ArrayLike<number>,
  rows: number,
  n: number,
  dim: number,
  options: MonoidScanOptions = {},
): Float64Array {
  const scan = ALGORITHMS[options.algorithm ?? 'sequential'];
  const monoid = packedAttentionMonoid(dim);
  const width = monoid.width;
  const out = new Float64Array(rows * n * dim);
  const leaves = new Float64Array(n * width);
  const states = new Float64Array(n * width);
  const rowScores = new Float64Array(n);
  const rowValues = new Float64Array(n * dim);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) rowScores[i] = scores[r * n + i]!;
    for (let i = 0; i < n * dim; i++) rowValues[i] = values[r * n * dim + i]!;
    packedAttentionFromScores(rowScores, rowValues, dim, leaves);
    scan(monoid, contiguousLine(leaves, width, n), contiguousLine(states, width, n), {
      ...(options.blockSize === undefined ? {} : { blockSize: options.blockSize }),
    });
    for (let k = 0; k < n; k++) {
      const w = states[k * width + attentionLayout.w]!;
      if (w === 0) continue;
      for (let j = 0; j < dim; j++)
        out[(r * n + k) * dim + j] = states[k * width + attentionLayout.u + j]! / w;
    }
  }
  return out;
}
