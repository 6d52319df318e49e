/**
 * Batched matrix product. Small products (≤ 65536 multiply-adds) take one invocation per output element.
 * Larger ones use workgroup-memory tiling: each workgroup computes a 64×64 tile of one output
 * matrix; 256 invocations each accumulate a 4×4 block while the workgroup streams 16-deep slices of `A` and `B`
 * through workgroup memory (loads coalesced for either transpose). Edges are zero-padded on load and masked on
 * store; `K = 0` writes zeros.
 * @packageDocumentation
 */
import type { MatmulOptions, TensorView } from '@aaren/core';
import { DTypeError, matmulExtents } from '@aaren/core';
import type { GpuContext } from '../runtime/context.js';
import { MetaLayout } from '../runtime/meta.js';
import { program } from '../wgsl/program.js';

const TILE = 64;
const DEPTH = 16;

const META = new MetaLayout({
  M: 'u32',
  N: 'u32',
  K: 'u32',
  tilesN: 'u32',
  tilesPerMatrix: 'u32',
  aOff: 'u32',
  bOff: 'u32',
  oOff: 'u32',
  aBatch: 'u32',
  bBatch: 'u32',
});

/** The WGSL reading element `(row, k)` of A (into `As[k][row]`) or `(k, col)` of B, per transpose flag. */
function loads(a: string, b: string, transposeA: boolean, transposeB: boolean): string {
  // Index decomposition chosen so consecutive invocations read consecutive addresses.
  const aIdx = transposeA
    ? `let kk = idx / ${TILE}u; let ii = idx % ${TILE}u; let src = aBase + (k0 + kk) * M + row0 + ii;`
    : `let ii = idx / ${DEPTH}u; let kk = idx % ${DEPTH}u; let src = aBase + (row0 + ii) * K + k0 + kk;`;
  const bIdx = transposeB
    ? `let jj = idx / ${DEPTH}u; let kk = idx % ${DEPTH}u; let src = bBase + (col0 + jj) * K + k0 + kk;`
    : `let kk = idx / ${TILE}u; let jj = idx % ${TILE}u; let src = bBase + (k0 + kk) * N + col0 + jj;`;
  return `
    for (var q = 0u; q < 4u; q++) {
      let idx = lid + q * 256u;
      { ${aIdx}
        As[kk * ${TILE}u + ii] = select(0.0, ${a}[src], row0 + ii < M && k0 + kk < K); }
      { ${bIdx}
        Bs[kk * ${TILE}u + jj] = select(0.0, ${b}[src], col0 + jj < N && k0 + kk < K); }
    }`;
}

/** Products of at most this many multiply-adds use one invocation per output element (no tiling). */
const SMALL_WORK = 65536;

/** Small products: one invocation per output element, looping over `K` (no workgroup memory or barriers). */
function direct(
  ctx: GpuContext,
  a: TensorView,
  b: TensorView,
  out: TensorView,
  { transposeA, transposeB }: MatmulOptions,
  batch: number,
  M: number,
  N: number,
  K: number,
): void {
  const label = `matmul.direct.${transposeA ? 't' : 'n'}${transposeB ? 't' : 'n'}`;
  const bound = ctx.bind(label, {
    a: ctx.view(label, a, 'read'),
    b: ctx.view(label, b, 'read'),
    out: ctx.view(label, out, 'write'),
  });
  const n = bound.names;
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const aIndex = transposeA ? 'k * M + i' : 'i * K + k';
  const bIndex = transposeB ? 'j * K + k' : 'k * N + j';
  const body = `
  let e = wg * 64u + lid;
  let M = ${m('M')}; let N = ${m('N')}; let K = ${m('K')};
  if (e >= ${m('tilesPerMatrix')}) { return; }
  let batch = e / (M * N);
  let i = (e / N) % M;
  let j = e % N;
  let aBase = ${m('aOff')} + batch * ${m('aBatch')};
  let bBase = ${m('bOff')} + batch * ${m('bBatch')};
  var acc = 0.0;
  for (var k = 0u; k < K; k++) { acc = fma(${n.a}[aBase + ${aIndex}], ${n.b}[bBase + ${bIndex}], acc); }
  ${n.out}[${m('oOff')} + e] = acc;`;
  const source = program({ bound, meta: META, workgroupSize: 64, body });
  const meta = META.pack({
    M,
    N,
    K,
    tilesN: 0,
    tilesPerMatrix: batch * M * N,
    aOff: a.offset - bound.base.a!,
    bOff: b.offset - bound.base.b!,
    oOff: out.offset - bound.base.out!,
    aBatch: a.strides[0] ?? 0,
    bBatch: b.strides[0] ?? 0,
  });
  ctx.dispatch(label, bound, source, meta, Math.ceil((batch * M * N) / 64));
}

/**
 * `out[b] = op(a[b]) · op(b[b])` with `a: [batch, M, K]` (`[batch, K, M]` when `transposeA`), `b: [batch, K, N]`
 * (`[batch, N, K]` when `transposeB`), `out: [batch, M, N]`; batch strides from `strides[0]` (0 shares a matrix).
 */
export function matmul(
  ctx: GpuContext,
  a: TensorView,
  b: TensorView,
  out: TensorView,
  options: MatmulOptions,
): void {
  const { transposeA, transposeB } = options;
  const { batch, M, N, K } = matmulExtents(a, b, out, options);
  if (a.dtype !== 'f32' || b.dtype !== 'f32' || out.dtype !== 'f32') {
    throw new DTypeError('matmul', 'the WebGPU matmul supports f32 operands only');
  }
  if (batch === 0 || M === 0 || N === 0) return;
  if (ctx.barrierFree || M * N * K <= SMALL_WORK) {
    direct(ctx, a, b, out, options, batch, M, N, K);
    return;
  }
  const bound = ctx.bind('matmul', {
    a: ctx.view('matmul', a, 'read'),
    b: ctx.view('matmul', b, 'read'),
    out: ctx.view('matmul', out, 'write'),
  });
  const n = bound.names;
  const tilesM = Math.ceil(M / TILE);
  const tilesN = Math.ceil(N / TILE);
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const body = `
  let M = ${m('M')}; let N = ${m('N')}; let K = ${m('K')};
  let batch = wg / ${m('tilesPerMatrix')};
  let t = wg % ${m('tilesPerMatrix')};
  let row0 = (t / ${m('tilesN')}) * ${TILE}u;
  let col0 = (t % ${m('tilesN')}) * ${TILE}u;
  let aBase = ${m('aOff')} + batch * ${m('aBatch')};
  let bBase = ${m('bOff')} + batch * ${m('bBatch')};
  let tx = lid % 16u;
  let ty = lid / 16u;
  var acc: array<array<f32, 4>, 4>;
  for (var k0 = 0u; k0 < K; k0 += ${DEPTH}u) {
    ${loads(n.a!, n.b!, transposeA, transposeB)}
    workgroupBarrier();
    for (var kk = 0u; kk < ${DEPTH}u; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var r = 0u; r < 4u; r++) { av[r] = As[kk * ${TILE}u + ty + 16u * r]; bv[r] = Bs[kk * ${TILE}u + tx + 16u * r]; }
      for (var r = 0u; r < 4u; r++) {
        for (var c = 0u; c < 4u; c++) { acc[r][c] = fma(av[r], bv[c], acc[r][c]); }
      }
    }
    workgroupBarrier();
  }
  let oBase = ${m('oOff')} + batch * M * N;
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + ty + 16u * r;
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + tx + 16u * c;
      if (row < M && col < N) { ${n.out}[oBase + row * N + col] = acc[r][c]; }
    }
  }`;
  const source = program({
    bound,
    meta: META,
    workgroupSize: 256,
    module: `var<workgroup> As: array<f32, ${TILE * DEPTH}>;\nvar<workgroup> Bs: array<f32, ${TILE * DEPTH}>;`,
    body,
  });
  const meta = META.pack({
    M,
    N,
    K,
    tilesN,
    tilesPerMatrix: tilesM * tilesN,
    aOff: a.offset - bound.base.a!,
    bOff: b.offset - bound.base.b!,
    oOff: out.offset - bound.base.out!,
    aBatch: a.strides[0] ?? 0,
    bBatch: b.strides[0] ?? 0,
  });
  ctx.dispatch(
    `matmul.${transposeA ? 't' : 'n'}${transposeB ? 't' : 'n'}`,
    bound,
    source,
    meta,
    tilesM * tilesN * batch,
  );
}
