/**
 * Batched matrix product for the CPU backend. Rows of the output are accumulated in float64 in the
 * i-k-j order: four rows of `A` at a time, four steps of `k` at a time, each step adding a scalar of `A`
 * times a contiguous row of `B` (row-major `[K, N]`; a transposed `B` is packed into that layout first).
 * Register blocking of 4×4 keeps four `B` loads and four accumulator updates per 32 flops, which gives
 * about 5 GFLOP/s in V8 without SIMD.
 * @packageDocumentation
 */
import type { MatmulOptions, TensorView } from '../../backend.js';
import { matmulExtents } from '../../kernel-checks.js';
import { arrayOf, type CpuArray } from '../buffer.js';

/** Transposes the row-major `[rows, cols]` matrix at `src[offset...]` into `dst` (`[cols, rows]`), in tiles. */
function transposeInto(src: CpuArray, offset: number, rows: number, cols: number, dst: Float32Array): void {
  const tile = 32;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = Math.min(rows, r0 + tile);
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const c1 = Math.min(cols, c0 + tile);
      for (let r = r0; r < r1; r++) {
        const s = offset + r * cols;
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[s + c]!;
      }
    }
  }
}

/**
 * `C = A·B` for one matrix: `A[i, k]` at `a[aOff + i·aRow + k·aCol]`, `B` row-major `[K, N]` at `b[bOff]`,
 * `C` row-major `[M, N]` at `c[cOff]`. `acc` is float64 scratch of at least `4·N` elements.
 */
function gemm(
  a: CpuArray,
  aOff: number,
  aRow: number,
  aCol: number,
  b: CpuArray,
  bOff: number,
  c: CpuArray,
  cOff: number,
  M: number,
  N: number,
  K: number,
  acc: Float64Array,
): void {
  const K4 = K - (K % 4);
  const n2 = 2 * N;
  const n3 = 3 * N;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    acc.fill(0, 0, 4 * N);
    const r0 = aOff + i * aRow;
    const r1 = r0 + aRow;
    const r2 = r1 + aRow;
    const r3 = r2 + aRow;
    let k = 0;
    for (; k < K4; k += 4) {
      const c0 = k * aCol;
      const c1 = c0 + aCol;
      const c2 = c1 + aCol;
      const c3 = c2 + aCol;
      const x00 = a[r0 + c0]!;
      const x01 = a[r0 + c1]!;
      const x02 = a[r0 + c2]!;
      const x03 = a[r0 + c3]!;
      const x10 = a[r1 + c0]!;
      const x11 = a[r1 + c1]!;
      const x12 = a[r1 + c2]!;
      const x13 = a[r1 + c3]!;
      const x20 = a[r2 + c0]!;
      const x21 = a[r2 + c1]!;
      const x22 = a[r2 + c2]!;
      const x23 = a[r2 + c3]!;
      const x30 = a[r3 + c0]!;
      const x31 = a[r3 + c1]!;
      const x32 = a[r3 + c2]!;
      const x33 = a[r3 + c3]!;
      const b0 = bOff + k * N;
      const b1 = b0 + N;
      const b2 = b1 + N;
      const b3 = b2 + N;
      for (let j = 0; j < N; j++) {
        const y0 = b[b0 + j]!;
        const y1 = b[b1 + j]!;
        const y2 = b[b2 + j]!;
        const y3 = b[b3 + j]!;
        acc[j]! += x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3;
        acc[N + j]! += x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3;
        acc[n2 + j]! += x20 * y0 + x21 * y1 + x22 * y2 + x23 * y3;
        acc[n3 + j]! += x30 * y0 + x31 * y1 + x32 * y2 + x33 * y3;
      }
    }
    for (; k < K; k++) {
      const ck = k * aCol;
      const x0 = a[r0 + ck]!;
      const x1 = a[r1 + ck]!;
      const x2 = a[r2 + ck]!;
      const x3 = a[r3 + ck]!;
      const b0 = bOff + k * N;
      for (let j = 0; j < N; j++) {
        const y = b[b0 + j]!;
        acc[j]! += x0 * y;
        acc[N + j]! += x1 * y;
        acc[n2 + j]! += x2 * y;
        acc[n3 + j]! += x3 * y;
      }
    }
    const o = cOff + i * N;
    for (let j = 0; j < 4 * N; j++) c[o + j] = acc[j]!;
  }
  // Remaining rows one at a time, still four steps of k per pass over the B rows.
  for (; i < M; i++) {
    acc.fill(0, 0, N);
    const r0 = aOff + i * aRow;
    let k = 0;
    for (; k < K4; k += 4) {
      const c0 = k * aCol;
      const x0 = a[r0 + c0]!;
      const x1 = a[r0 + c0 + aCol]!;
      const x2 = a[r0 + c0 + 2 * aCol]!;
      const x3 = a[r0 + c0 + 3 * aCol]!;
      const b0 = bOff + k * N;
      const b1 = b0 + N;
      const b2 = b1 + N;
      const b3 = b2 + N;
      for (let j = 0; j < N; j++)
        acc[j]! += x0 * b[b0 + j]! + x1 * b[b1 + j]! + x2 * b[b2 + j]! + x3 * b[b3 + j]!;
    }
    for (; k < K; k++) {
      const x = a[r0 + k * aCol]!;
      const b0 = bOff + k * N;
      for (let j = 0; j < N; j++) acc[j]! += x * b[b0 + j]!;
    }
    const o = cOff + i * N;
    for (let j = 0; j < N; j++) c[o + j] = acc[j]!;
  }
}

/** Below this many output rows, a transposed `B` is read in place (dot products) instead of being packed. */
const DOT_FORM_MAX_ROWS = 16;

/**
 * `C = A·Bᵀ` for few rows of `A` (decoding steps, `linear` on one token): `B` is row-major `[N, K]`, so each
 * output is a dot product of two contiguous rows and nothing is packed (packing costs as much as the product
 * when M is small). Four outputs at a time share each load of `A`; accumulation in float64.
 */
function gemmDotTransposedB(
  a: CpuArray,
  aOff: number,
  aRow: number,
  aCol: number,
  b: CpuArray,
  bOff: number,
  c: CpuArray,
  cOff: number,
  M: number,
  N: number,
  K: number,
): void {
  const N4 = N - (N % 4);
  for (let i = 0; i < M; i++) {
    const ra = aOff + i * aRow;
    const o = cOff + i * N;
    let j = 0;
    for (; j < N4; j += 4) {
      const b0 = bOff + j * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < K; k++) {
        const x = a[ra + k * aCol]!;
        s0 += x * b[b0 + k]!;
        s1 += x * b[b1 + k]!;
        s2 += x * b[b2 + k]!;
        s3 += x * b[b3 + k]!;
      }
      c[o + j] = s0;
      c[o + j + 1] = s1;
      c[o + j + 2] = s2;
      c[o + j + 3] = s3;
    }
    for (; j < N; j++) {
      const bj = bOff + j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ra + k * aCol]! * b[bj + k]!;
      c[o + j] = s;
    }
  }
}

/**
 * Batched matrix product `out[b] = op(a[b])·op(b[b])`: `a: [batch, M, K]` (`[batch, K, M]` with
 * `transposeA`), `b: [batch, K, N]` (`[batch, N, K]` with `transposeB`), `out: [batch, M, N]`.
 * Products are accumulated in float64 and rounded once. `K = 0` writes zeros.
 * The batch step of each input is taken from its `strides[0]`, so a batch stride of 0 shares one matrix.
 * @throws ShapeError when the extents do not match (see `matmulExtents`).
 */
export function matmul(a: TensorView, b: TensorView, out: TensorView, options: MatmulOptions): void {
  const { transposeA, transposeB } = options;
  const { batch, M, N, K } = matmulExtents(a, b, out, options);
  if (batch === 0 || M === 0 || N === 0) return;
  const ad = arrayOf(a);
  const bd = arrayOf(b);
  const od = arrayOf(out);
  const outStep = M * N;
  if (K === 0) {
    od.fill(0, out.offset, out.offset + batch * outStep);
    return;
  }
  const aStep = a.strides[0] ?? M * K;
  const bStep = b.strides[0] ?? K * N;
  const aRow = transposeA ? 1 : K;
  const aCol = transposeA ? M : 1;
  if (transposeB && M <= DOT_FORM_MAX_ROWS) {
    for (let batchIndex = 0; batchIndex < batch; batchIndex++) {
      gemmDotTransposedB(
        ad,
        a.offset + batchIndex * aStep,
        aRow,
        aCol,
        bd,
        b.offset + batchIndex * bStep,
        od,
        out.offset + batchIndex * outStep,
        M,
        N,
        K,
      );
    }
    return;
  }
  const acc = new Float64Array(4 * N);
  const packed = transposeB ? new Float32Array(K * N) : null;
  for (let batchIndex = 0; batchIndex < batch; batchIndex++) {
    const aOff = a.offset + batchIndex * aStep;
    const bOff = b.offset + batchIndex * bStep;
    const cOff = out.offset + batchIndex * outStep;
    if (packed !== null) {
      // Pack once per distinct matrix (a broadcast B, stride 0, is packed only for the first batch).
      if (batchIndex === 0 || bStep !== 0) transposeInto(bd, bOff, N, K, packed);
      gemm(ad, aOff, aRow, aCol, packed, 0, od, cOff, M, N, K, acc);
    } else {
      gemm(ad, aOff, aRow, aCol, bd, bOff, od, cOff, M, N, K, acc);
    }
  }
}
