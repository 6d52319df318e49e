/**
 * Building blocks of chunked linear attention with per-row decay γ (the chunked-parallel form used to train
 * SUPRA, arXiv 2405.06640): the sequence is cut into chunks of `C` tokens and
 *
 * - {@link chunkStates}: each chunk's state contribution `Δ = Σ_s γ^{e(s)} x_sᵀ y_s` (Horner in token order:
 *   `e(s) = C' − 1 − s` forward, `s` in reverse), one invocation per state element;
 * - {@link chunkScan}: the recurrence over chunks `S ← γ^{C'} S + Δ` (forward) or `G ← Δ + γ^{C'} G`
 *   (reverse), replacing each `Δ` in place by the state entering its chunk, and writing the final state;
 * - {@link chunkOutputs}: per chunk, a workgroup forms the causal `C×C` matrix `A[t,s] = γ^{|t−s|} p_t·x_s`
 *   in workgroup memory and writes `out_t = Σ_s A[t,s] y_s + γ^{e₁(t)} p_t M` with the entering state `M`
 *   (optionally transposed).
 *
 * Work is O(N·(C + Dk)·Dv) per row and memory O(N/C · Dk·Dv); nothing is quadratic in N.
 * @packageDocumentation
 */
import type { TensorView } from '@aaren/core';
import type { Arg } from '../../runtime/bindings.js';
import type { GpuContext } from '../../runtime/context.js';
import { MetaLayout } from '../../runtime/meta.js';
import { program } from '../../wgsl/program.js';

/** Largest chunk length (the `C×C` matrix lives in workgroup memory). */
export const MAX_CHUNK = 32;

/** `γ^e` for a non-negative integer `e` by repeated squaring (exact `0⁰ = 1`). */
const POW_WGSL = `
fn pow_u(g: f32, e: u32) -> f32 {
  var result = 1.0;
  var base = g;
  var k = e;
  loop {
    if (k == 0u) { break; }
    if ((k & 1u) == 1u) { result = result * base; }
    base = base * base;
    k = k >> 1u;
  }
  return result;
}`;

/** A `[R, N, dim]` operand (contiguous, any offset). */
export interface SequenceOperand {
  /** The `[R, N, dim]` view. */
  readonly view: TensorView;
  /** Features per token. */
  readonly dim: number;
}

/** A scratch buffer of chunk states `[R, chunks, rows, cols]`. */
export interface ChunkStates {
  /** Scratch buffer holding `R × chunks` states. */
  readonly gpu: GPUBuffer;
  /** Rows of one state (`x` features). */
  readonly rows: number;
  /** Columns of one state (`y` features). */
  readonly cols: number;
}

/** Problem extents shared by the three kernels. */
export interface ChunkProblem {
  /** Rows (batch × heads). */
  readonly R: number;
  /** Tokens per row. */
  readonly N: number;
  /** Chunk length `C`. */
  readonly C: number;
  /** `[R]` decay γ per row. */
  readonly decay: TensorView;
  /** Scan from the last token to the first (the backward states `G`). */
  readonly reverse: boolean;
}

function chunksOf(p: ChunkProblem): number {
  return Math.ceil(p.N / p.C);
}

const STATE_META = new MetaLayout({
  R: 'u32',
  N: 'u32',
  C: 'u32',
  chunks: 'u32',
  rows: 'u32',
  cols: 'u32',
  reverse: 'u32',
  xOff: 'u32',
  yOff: 'u32',
  gOff: 'u32',
});

/** Writes `Δ[r, c] = Σ_{s ∈ chunk c} γ^{e(s)} x_sᵀ y_s` into `states`. */
export function chunkStates(
  ctx: GpuContext,
  p: ChunkProblem,
  x: SequenceOperand,
  y: SequenceOperand,
  states: ChunkStates,
): void {
  const chunks = chunksOf(p);
  const total = p.R * chunks * x.dim * y.dim;
  if (total === 0) return;
  const label = 'linearAttention.chunkStates';
  const bound = ctx.bind(label, {
    x: ctx.view(label, x.view, 'read'),
    y: ctx.view(label, y.view, 'read'),
    g: ctx.view(label, p.decay, 'read'),
    st: ctx.scratchArg(states.gpu, 'f32'),
  });
  const nm = bound.names;
  const m = (f: Parameters<typeof STATE_META.get>[0]) => STATE_META.get(f);
  const body = `
  let e = wg * 256u + lid;
  let rows = ${m('rows')};
  let cols = ${m('cols')};
  let chunks = ${m('chunks')};
  if (e >= ${m('R')} * chunks * rows * cols) { return; }
  let b = e % cols;
  let a = (e / cols) % rows;
  let rc = e / (rows * cols);
  let r = rc / chunks;
  let c = rc % chunks;
  let N = ${m('N')};
  let t0 = c * ${m('C')};
  let len = min(${m('C')}, N - t0);
  let gamma = ${nm.g}[${m('gOff')} + r];
  var acc = 0.0;
  for (var k = 0u; k < len; k++) {
    let s = select(k, len - 1u - k, ${m('reverse')} == 1u);
    let t = r * N + t0 + s;
    acc = fma(acc, gamma, ${nm.x}[${m('xOff')} + t * rows + a] * ${nm.y}[${m('yOff')} + t * cols + b]);
  }
  ${nm.st}[e] = acc;`;
  const source = program({ bound, meta: STATE_META, workgroupSize: 256, body });
  const meta = STATE_META.pack({
    R: p.R,
    N: p.N,
    C: p.C,
    chunks,
    rows: x.dim,
    cols: y.dim,
    reverse: p.reverse ? 1 : 0,
    xOff: x.view.offset - bound.base.x!,
    yOff: y.view.offset - bound.base.y!,
    gOff: p.decay.offset - bound.base.g!,
  });
  ctx.dispatch(label, bound, source, meta, Math.ceil(total / 256));
}

const SCAN_META = new MetaLayout({
  R: 'u32',
  N: 'u32',
  C: 'u32',
  chunks: 'u32',
  size: 'u32',
  reverse: 'u32',
  gOff: 'u32',
  iOff: 'u32',
  fOff: 'u32',
});

/**
 * Replaces each chunk's `Δ` by the state entering it (forward: `S` before the chunk, starting from `initial`
 * or 0; reverse: `G` after the chunk, starting from 0) and writes the state after the last chunk to `final`.
 */
export function chunkScan(
  ctx: GpuContext,
  p: ChunkProblem,
  states: ChunkStates,
  initial: TensorView | null,
  final: TensorView | null,
): void {
  const size = states.rows * states.cols;
  const total = p.R * size;
  if (total === 0) return;
  const label = 'linearAttention.chunkScan';
  const args: Record<string, Arg> = {
    g: ctx.view(label, p.decay, 'read'),
    st: ctx.scratchArg(states.gpu, 'f32'),
  };
  if (initial) args.init = ctx.view(label, initial, 'read');
  if (final) args.fin = ctx.view(label, final, 'write');
  const bound = ctx.bind(label, args);
  const nm = bound.names;
  const m = (f: Parameters<typeof SCAN_META.get>[0]) => SCAN_META.get(f);
  const body = `
  let e = wg * 256u + lid;
  let size = ${m('size')};
  if (e >= ${m('R')} * size) { return; }
  let r = e / size;
  let chunks = ${m('chunks')};
  let N = ${m('N')};
  let gamma = ${nm.g}[${m('gOff')} + r];
  var state = ${initial ? `${nm.init}[${m('iOff')} + e]` : '0.0'};
  for (var k = 0u; k < chunks; k++) {
    let c = select(k, chunks - 1u - k, ${m('reverse')} == 1u);
    let len = min(${m('C')}, N - c * ${m('C')});
    let idx = (r * chunks + c) * size + e % size;
    let delta = ${nm.st}[idx];
    ${nm.st}[idx] = state;
    state = fma(pow_u(gamma, len), state, delta);
  }
  ${final ? `${nm.fin}[${m('fOff')} + e] = state;` : ''}`;
  const source = program({ bound, meta: SCAN_META, workgroupSize: 256, body, module: POW_WGSL });
  const meta = SCAN_META.pack({
    R: p.R,
    N: p.N,
    C: p.C,
    chunks: chunksOf(p),
    size,
    reverse: p.reverse ? 1 : 0,
    gOff: p.decay.offset - bound.base.g!,
    iOff: initial ? initial.offset - bound.base.init! : 0,
    fOff: final ? final.offset - bound.base.fin! : 0,
  });
  ctx.dispatch(label, bound, source, meta, Math.ceil(total / 256));
}

const OUT_META = new MetaLayout({
  N: 'u32',
  C: 'u32',
  chunks: 'u32',
  dp: 'u32',
  dy: 'u32',
  mRows: 'u32',
  mCols: 'u32',
  reverse: 'u32',
  transposeM: 'u32',
  pOff: 'u32',
  xOff: 'u32',
  yOff: 'u32',
  gOff: 'u32',
  oOff: 'u32',
});

/**
 * `out_t = Σ_{s in window} γ^{|t−s|} (p_t·x_s) y_s + γ^{e₁(t)} Σ_i p_t[i] M[i, :]` per chunk, with the window
 * `s ≤ t` and `e₁ = t + 1` forward, `s ≥ t` and `e₁ = C' − t` in reverse; `M` is the state entering the
 * chunk (`[rows, cols]`, read transposed when `transposeM`). `p` and `x` share their feature count.
 */
export function chunkOutputs(
  ctx: GpuContext,
  p: ChunkProblem,
  pv: SequenceOperand,
  x: SequenceOperand,
  y: SequenceOperand,
  states: ChunkStates,
  transposeM: boolean,
  out: TensorView,
): void {
  const chunks = chunksOf(p);
  if (p.R * chunks === 0 || y.dim === 0) return;
  const label = 'linearAttention.chunkOutputs';
  const bound = ctx.bind(label, {
    p: ctx.view(label, pv.view, 'read'),
    x: ctx.view(label, x.view, 'read'),
    y: ctx.view(label, y.view, 'read'),
    g: ctx.view(label, p.decay, 'read'),
    st: { ...ctx.scratchArg(states.gpu, 'f32'), access: 'read' },
    out: ctx.view(label, out, 'write'),
  });
  const nm = bound.names;
  const m = (f: Parameters<typeof OUT_META.get>[0]) => OUT_META.get(f);
  const body = `
  let chunks = ${m('chunks')};
  let r = wg / chunks;
  let c = wg % chunks;
  let N = ${m('N')};
  let C = ${m('C')};
  let t0 = c * C;
  let len = min(C, N - t0);
  let dp = ${m('dp')};
  let dy = ${m('dy')};
  let rev = ${m('reverse')} == 1u;
  let gamma = ${nm.g}[${m('gOff')} + r];
  if (lid <= C) { gp[lid] = pow_u(gamma, lid); }
  workgroupBarrier();
  let row0 = r * N + t0;
  for (var idx = lid; idx < C * C; idx += 256u) {
    let t = idx / C;
    let s = idx % C;
    var v = 0.0;
    if (t < len && s < len && select(s <= t, s >= t, rev)) {
      var dot = 0.0;
      for (var i = 0u; i < dp; i++) {
        dot = fma(${nm.p}[${m('pOff')} + (row0 + t) * dp + i], ${nm.x}[${m('xOff')} + (row0 + s) * dp + i], dot);
      }
      v = gp[select(t - s, s - t, rev)] * dot;
    }
    A[idx] = v;
  }
  workgroupBarrier();
  let mBase = (r * chunks + c) * ${m('mRows')} * ${m('mCols')};
  let tm = ${m('transposeM')} == 1u;
  for (var idx = lid; idx < C * dy; idx += 256u) {
    let t = idx / dy;
    let j = idx % dy;
    if (t < len) {
      var acc = 0.0;
      for (var s = 0u; s < len; s++) { acc = fma(A[t * C + s], ${nm.y}[${m('yOff')} + (row0 + s) * dy + j], acc); }
      var inter = 0.0;
      for (var i = 0u; i < dp; i++) {
        let mi = select(i * ${m('mCols')} + j, j * ${m('mCols')} + i, tm);
        inter = fma(${nm.p}[${m('pOff')} + (row0 + t) * dp + i], ${nm.st}[mBase + mi], inter);
      }
      ${nm.out}[${m('oOff')} + (row0 + t) * dy + j] = fma(gp[select(t + 1u, len - t, rev)], inter, acc);
    }
  }`;
  const module = `${POW_WGSL}
var<workgroup> A: array<f32, ${MAX_CHUNK * MAX_CHUNK}>;
var<workgroup> gp: array<f32, ${MAX_CHUNK + 1}>;`;
  const source = program({ bound, meta: OUT_META, workgroupSize: 256, body, module });
  const meta = OUT_META.pack({
    N: p.N,
    C: p.C,
    chunks,
    dp: pv.dim,
    dy: y.dim,
    mRows: states.rows,
    mCols: states.cols,
    reverse: p.reverse ? 1 : 0,
    transposeM: transposeM ? 1 : 0,
    pOff: pv.view.offset - bound.base.p!,
    xOff: x.view.offset - bound.base.x!,
    yOff: y.view.offset - bound.base.y!,
    gOff: p.decay.offset - bound.base.g!,
    oOff: out.offset - bound.base.out!,
  });
  ctx.dispatch(label, bound, source, meta, p.R * chunks);
}
