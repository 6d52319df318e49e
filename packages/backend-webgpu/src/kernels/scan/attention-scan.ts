/**
 * The Aaren attention scan (arXiv 2405.13956 §3.2) on the lane scan. The attention monoid on `(m, w, u)`
 * has the running max `m` and denominator `w` as header and the numerator `u` as lanes (up to 64 channels
 * per problem; wider `D` is split into channel chunks that each rescan the same scores). One pass reads
 * scores and values once and writes every prefix output `u_k / w_k`, the running max and the denominator:
 * nothing of size N×N exists, and every exponent is ≤ 0.
 *
 * {@link attentionScanFused} also computes the scores `s_i = scale · q·k_i` inside the kernel (a workgroup
 * prologue per tile), so the scores never make a round trip through memory before the scan.
 *
 * The backward pass is the reverse scan of the CPU reference: with `X_k = g_k / w_k` and `c_k = g_k·o_k / w_k`
 * (`g` the output gradient), `A_i = Σ_{k≥i} e^{m_i − m_k} X_k` and `C_i` likewise; then
 * `∂L/∂v_i = e^{s_i − m_i} A_i` and `∂L/∂s_i = e^{s_i − m_i} (v_i·A_i − C_i)`. The state is
 * `(m_ref, C, nonempty; A)`, combining with the factor `e^{m_earlier − m_later} ≤ 1`. Three dispatches: the row
 * dots `g_k·o_k`, the scan (writing `∂L/∂v` and per-chunk partial dots `v_i·A_i`), and the score gradients.
 * @packageDocumentation
 */
import type { TensorView } from '@aaren/core';
import { DTypeError, ShapeError } from '@aaren/core';
import type { Arg } from '../../runtime/bindings.js';
import type { GpuContext, ScanStrategy } from '../../runtime/context.js';
import { MetaLayout } from '../../runtime/meta.js';
import { program } from '../../wgsl/program.js';
import { type LaneScanSpec, laneScanGeometry, runLaneScan } from './lane-scan.js';

/** Channels per problem and the number of channel chunks for `D` channels. */
function channelLanes(D: number): { lanes: number; chunks: number } {
  const lanes = Math.min(64, 2 ** Math.ceil(Math.log2(Math.max(1, D))));
  return { lanes, chunks: Math.max(1, Math.ceil(D / lanes)) };
}

function checkF32(op: string, views: readonly TensorView[]): void {
  for (const v of views) if (v.dtype !== 'f32') throw new DTypeError(op, `f32 tensors only, got ${v.dtype}`);
}

/** The attention monoid's identity and combine (shared by the plain and fused forward passes). */
const FORWARD_MONOID = `
fn identity() -> St { return St(-f32_inf(), 0.0, 0.0); }
fn combine(a: St, b: St) -> St {
  let m = max(a.m, b.m);
  if (is_neg_inf(m)) { return identity(); }
  let fa = select(exp(a.m - m), 0.0, is_neg_inf(a.m));
  let fb = select(exp(b.m - m), 0.0, is_neg_inf(b.m));
  return St(m, a.w * fa + b.w * fb, a.l * fa + b.l * fb);
}`;

/** Scores from `q · K` computed in the kernel instead of read from a tensor. */
interface FusedScores {
  /** `[R, Dk]`, any strides (a row stride of 0 shares one query). */
  readonly q: TensorView;
  /** `[R, N, Dk]`, contiguous. */
  readonly keys: TensorView;
  readonly scale: number;
  /** `[R, N]`: receives the computed scores. */
  readonly scoresOut: TensorView;
}

/** Outputs of the forward scan. */
interface ForwardViews {
  readonly values: TensorView;
  readonly out: TensorView;
  readonly maxOut: TensorView;
  readonly denomOut: TensorView;
}

function forwardSpec(
  ctx: GpuContext,
  label: string,
  scores: TensorView | FusedScores,
  { values, out, maxOut, denomOut }: ForwardViews,
): LaneScanSpec {
  const [R = 0, N = 0, D = 0] = values.shape;
  const { lanes, chunks } = channelLanes(D);
  const fused = !('buffer' in scores);
  const args: Record<string, Arg> = {
    v: ctx.view(label, values, 'read'),
    out: ctx.view(label, out, 'write'),
    mo: ctx.view(label, maxOut, 'write'),
    dn: ctx.view(label, denomOut, 'write'),
  };
  if (fused) {
    args.q = ctx.view(label, scores.q, 'read');
    args.k = ctx.view(label, scores.keys, 'read');
    args.so = ctx.view(label, scores.scoresOut, 'write');
  } else {
    args.s = ctx.view(label, scores, 'read');
  }
  const Dk = fused ? (scores.q.shape[1] ?? 0) : 0;
  return {
    label,
    laneType: 'f32',
    header: ['m', 'w'],
    lanes,
    maxPositions: 16,
    // The fused prologue keeps a tile of scores in workgroup memory.
    maxTile: fused ? 1024 : 4096,
    problems: R * chunks,
    n: N,
    args,
    fields: {
      D: 'u32',
      chunks: 'u32',
      sOff: 'u32',
      vOff: 'u32',
      oOff: 'u32',
      mOff: 'u32',
      wOff: 'u32',
      Dk: 'u32',
      qOff: 'u32',
      qRow: 'u32',
      qCol: 'u32',
      kOff: 'u32',
      scale: 'f32',
    },
    values: (bound) => ({
      D,
      chunks,
      sOff: fused ? scores.scoresOut.offset - bound.base.so! : scores.offset - bound.base.s!,
      vOff: values.offset - bound.base.v!,
      oOff: out.offset - bound.base.out!,
      mOff: maxOut.offset - bound.base.mo!,
      wOff: denomOut.offset - bound.base.dn!,
      Dk,
      qOff: fused ? scores.q.offset - bound.base.q! : 0,
      qRow: fused ? (scores.q.strides[0] ?? 0) : 0,
      qCol: fused ? (scores.q.strides[1] ?? 0) : 0,
      kOff: fused ? scores.keys.offset - bound.base.k! : 0,
      scale: fused ? scores.scale : 1,
    }),
    wgsl: (nm, m) => {
      const header = `${FORWARD_MONOID}
fn channel(prob: u32, lane: u32) -> u32 { return (prob % ${m('chunks')}) * lanes_n() + lane; }
fn value_at(prob: u32, lane: u32, p: u32) -> f32 {
  let d = channel(prob, lane);
  let D = ${m('D')};
  if (d >= D) { return 0.0; }
  return ${nm.v}[${m('vOff')} + ((prob / ${m('chunks')}) * ${m('n')} + p) * D + d];
}
fn write_outputs(prob: u32, lane: u32, p: u32, incl: St) {
  let r = prob / ${m('chunks')};
  let d = channel(prob, lane);
  let D = ${m('D')};
  let row = r * ${m('n')} + p;
  if (d < D) { ${nm.out}[${m('oOff')} + row * D + d] = select(0.0, incl.l / incl.w, incl.w > 0.0); }
  if (d == 0u) {
    ${nm.mo}[${m('mOff')} + row] = incl.m;
    ${nm.dn}[${m('wOff')} + row] = incl.w;
  }
}`;
      if (!fused) {
        return {
          module: `${header}
fn leaf(prob: u32, lane: u32, p: u32, local: u32) -> St {
  let s = ${nm.s}[${m('sOff')} + (prob / ${m('chunks')}) * ${m('n')} + p];
  if (is_neg_inf(s)) { return identity(); }
  return St(s, 1.0, value_at(prob, lane, p));
}
fn emit(prob: u32, lane: u32, p: u32, local: u32, incl: St, excl: St, item: St) { write_outputs(prob, lane, p, incl); }`,
        };
      }
      return {
        prologue: true,
        module: `${header}
var<workgroup> tile_s: array<f32, 1024>;
fn prologue(prob: u32, base: u32, lid: u32) {
  let r = prob / ${m('chunks')};
  let n = ${m('n')};
  let Dk = ${m('Dk')};
  let q0 = ${m('qOff')} + r * ${m('qRow')};
  for (var i = lid; i < tile_positions(); i += 256u) {
    var acc = 0.0;
    if (base + i < n) {
      let k0 = ${m('kOff')} + (r * n + base + i) * Dk;
      for (var c = 0u; c < Dk; c++) { acc = fma(${nm.q}[q0 + c * ${m('qCol')}], ${nm.k}[k0 + c], acc); }
    }
    tile_s[i] = acc * ${m('scale')};
  }
}
fn leaf(prob: u32, lane: u32, p: u32, local: u32) -> St { return St(tile_s[local], 1.0, value_at(prob, lane, p)); }
fn emit(prob: u32, lane: u32, p: u32, local: u32, incl: St, excl: St, item: St) {
  write_outputs(prob, lane, p, incl);
  if (channel(prob, lane) == 0u) { ${nm.so}[${m('sOff')} + (prob / ${m('chunks')}) * ${m('n')} + p] = item.m; }
}`,
      };
    },
  };
}

function checkForward(op: string, R: number, N: number, D: number, views: Record<string, TensorView>): void {
  const want: Record<string, readonly number[]> = {
    out: [R, N, D],
    maxOut: [R, N],
    denomOut: [R, N],
    scores: [R, N],
    scoresOut: [R, N],
    gradScores: [R, N],
    gradValues: [R, N, D],
    gradOut: [R, N, D],
  };
  for (const [name, v] of Object.entries(views)) {
    const shape = want[name];
    if (shape && (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i]))) {
      throw new ShapeError(op, `${name} must be [${shape.join(', ')}]`, [v.shape]);
    }
  }
}

function runSpec(ctx: GpuContext, spec: LaneScanSpec, strategy: ScanStrategy): void {
  const geo = laneScanGeometry(spec, strategy);
  const work = ctx.scratch(spec.label, geo.workWords * 4);
  try {
    runLaneScan(ctx, spec, strategy, work, 0);
  } finally {
    ctx.recycle(work);
  }
}

/** The contract's `attentionScan`: prefix softmax attention of `values: [R, N, D]` under `scores: [R, N]`. */
export function attentionScan(
  ctx: GpuContext,
  scores: TensorView,
  values: TensorView,
  out: TensorView,
  maxOut: TensorView,
  denomOut: TensorView,
  strategy: ScanStrategy = ctx.scanStrategy,
): void {
  const [R = 0, N = 0, D = 0] = values.shape;
  checkForward('attentionScan', R, N, D, { scores, out, maxOut, denomOut });
  checkF32('attentionScan', [scores, values, out, maxOut, denomOut]);
  if (R === 0 || N === 0) return;
  runSpec(ctx, forwardSpec(ctx, 'attentionScan', scores, { values, out, maxOut, denomOut }), strategy);
}

/** Inputs and outputs of {@link attentionScanFused}. */
export interface AttentionScanFusedArgs {
  /** Queries `[R, Dk]` (any strides; a row stride of 0 shares one learned query across rows). */
  readonly q: TensorView;
  /** Keys `[R, N, Dk]`, contiguous. */
  readonly keys: TensorView;
  /** Values `[R, N, D]`, contiguous. */
  readonly values: TensorView;
  /** Score scale, typically `1/√Dk`. */
  readonly scale: number;
  /** `[R, N, D]`: prefix outputs. */
  readonly out: TensorView;
  /** `[R, N]`: running max of the scores. */
  readonly maxOut: TensorView;
  /** `[R, N]`: running denominator. */
  readonly denomOut: TensorView;
  /** `[R, N]`: the scores `scale · q·k_i` (for the backward pass). */
  readonly scoresOut: TensorView;
}

/** The fused attention scan: scores `scale · q·k_i` computed in the kernel, then scanned (no masking). */
export function attentionScanFused(
  ctx: GpuContext,
  args: AttentionScanFusedArgs,
  strategy: ScanStrategy = ctx.scanStrategy,
): void {
  const { q, keys, values, out, maxOut, denomOut, scoresOut, scale } = args;
  const [R = 0, N = 0, D = 0] = values.shape;
  const Dk = q.shape[1] ?? 0;
  checkForward('attentionScanFused', R, N, D, { out, maxOut, denomOut, scoresOut });
  checkF32('attentionScanFused', [q, keys, values, out, maxOut, denomOut, scoresOut]);
  if (q.shape.length !== 2 || q.shape[0] !== R || keys.shape.join() !== [R, N, Dk].join()) {
    throw new ShapeError('attentionScanFused', 'q must be [R, Dk] and keys [R, N, Dk]', [
      q.shape,
      keys.shape,
    ]);
  }
  if (R === 0 || N === 0) return;
  if (strategy === 'serial') {
    // No workgroup prologue in serial scans: compute the scores first, then scan them.
    fusedScores(ctx, q, keys, scale, scoresOut);
    runSpec(ctx, forwardSpec(ctx, 'attentionScan', scoresOut, { values, out, maxOut, denomOut }), strategy);
    return;
  }
  const spec = forwardSpec(
    ctx,
    'attentionScanFused',
    { q, keys, scale, scoresOut },
    { values, out, maxOut, denomOut },
  );
  runSpec(ctx, spec, strategy);
}

const SCORE_META = new MetaLayout({
  R: 'u32',
  N: 'u32',
  Dk: 'u32',
  qOff: 'u32',
  qRow: 'u32',
  qCol: 'u32',
  kOff: 'u32',
  sOff: 'u32',
  scale: 'f32',
});

/** `scores[r, i] = scale · q[r]·keys[r, i]`, one invocation per score. */
function fusedScores(
  ctx: GpuContext,
  q: TensorView,
  keys: TensorView,
  scale: number,
  scores: TensorView,
): void {
  const [R = 0, N = 0, Dk = 0] = keys.shape;
  const label = 'attentionScanFused.scores';
  const bound = ctx.bind(label, {
    q: ctx.view(label, q, 'read'),
    k: ctx.view(label, keys, 'read'),
    s: ctx.view(label, scores, 'write'),
  });
  const nm = bound.names;
  const m = (f: Parameters<typeof SCORE_META.get>[0]) => SCORE_META.get(f);
  const body = `
  let e = wg * 256u + lid;
  let N = ${m('N')};
  if (e >= ${m('R')} * N) { return; }
  let Dk = ${m('Dk')};
  let q0 = ${m('qOff')} + (e / N) * ${m('qRow')};
  var acc = 0.0;
  for (var c = 0u; c < Dk; c++) { acc = fma(${nm.q}[q0 + c * ${m('qCol')}], ${nm.k}[${m('kOff')} + e * Dk + c], acc); }
  ${nm.s}[${m('sOff')} + e] = acc * ${m('scale')};`;
  const source = program({ bound, meta: SCORE_META, workgroupSize: 256, body });
  const meta = SCORE_META.pack({
    R,
    N,
    Dk,
    qOff: q.offset - bound.base.q!,
    qRow: q.strides[0] ?? 0,
    qCol: q.strides[1] ?? 0,
    kOff: keys.offset - bound.base.k!,
    sOff: scores.offset - bound.base.s!,
    scale,
  });
  ctx.dispatch(label, bound, source, meta, Math.ceil((R * N) / 256));
}

const DOT_META = new MetaLayout({ rows: 'u32', D: 'u32', gOff: 'u32', oOff: 'u32' });
const GRAD_META = new MetaLayout({ rows: 'u32', parts: 'u32', sOff: 'u32', mOff: 'u32', gOff: 'u32' });

/** The contract's `attentionScanBackward`. */
export function attentionScanBackward(
  ctx: GpuContext,
  scores: TensorView,
  values: TensorView,
  out: TensorView,
  maxOut: TensorView,
  denomOut: TensorView,
  gradOut: TensorView,
  gradScores: TensorView,
  gradValues: TensorView,
  strategy: ScanStrategy = ctx.scanStrategy,
): void {
  const op = 'attentionScanBackward';
  const [R = 0, N = 0, D = 0] = values.shape;
  checkForward(op, R, N, D, { scores, out, maxOut, denomOut, gradOut, gradScores, gradValues });
  checkF32(op, [scores, values, out, maxOut, denomOut, gradOut, gradScores, gradValues]);
  if (R === 0 || N === 0) return;
  const rows = R * N;
  const { lanes, chunks } = channelLanes(D);
  const serial = strategy === 'serial';
  // Partial dots v·A per position: one row per channel chunk (reduced over lanes in the epilogue), or one
  // per channel in serial scans (which have no workgroup to reduce with).
  const parts = serial ? chunks * lanes : chunks;
  // aux: [dot(g, o) per position | C per position | parts × partial dots per position]
  const aux = ctx.scratch(op, (2 + parts) * rows * 4);
  try {
    // 1. Row dots g_k·o_k.
    {
      const bound = ctx.bind(`${op}.dot`, {
        g: ctx.view(op, gradOut, 'read'),
        o: ctx.view(op, out, 'read'),
        aux: ctx.scratchArg(aux, 'f32'),
      });
      const nm = bound.names;
      const m = (f: Parameters<typeof DOT_META.get>[0]) => DOT_META.get(f);
      const body = `
  let i = wg * 256u + lid;
  if (i >= ${m('rows')}) { return; }
  let D = ${m('D')};
  var acc = 0.0;
  for (var d = 0u; d < D; d++) { acc = fma(${nm.g}[${m('gOff')} + i * D + d], ${nm.o}[${m('oOff')} + i * D + d], acc); }
  ${nm.aux}[i] = acc;`;
      const source = program({ bound, meta: DOT_META, workgroupSize: 256, body });
      const meta = DOT_META.pack({
        rows,
        D,
        gOff: gradOut.offset - bound.base.g!,
        oOff: out.offset - bound.base.o!,
      });
      ctx.dispatch(`${op}.dot`, bound, source, meta, Math.ceil(rows / 256));
    }
    // 2. The reverse scan.
    const spec: LaneScanSpec = {
      label: `${op}.scan`,
      laneType: 'f32',
      header: ['mr', 'c', 'f'],
      lanes,
      maxPositions: 8,
      maxTile: 512,
      problems: R * chunks,
      n: N,
      args: {
        s: ctx.view(op, scores, 'read'),
        v: ctx.view(op, values, 'read'),
        mo: ctx.view(op, maxOut, 'read'),
        dn: ctx.view(op, denomOut, 'read'),
        g: ctx.view(op, gradOut, 'read'),
        gv: ctx.view(op, gradValues, 'write'),
        aux: ctx.scratchArg(aux, 'f32'),
      },
      fields: {
        R: 'u32',
        D: 'u32',
        chunks: 'u32',
        sOff: 'u32',
        vOff: 'u32',
        mOff: 'u32',
        wOff: 'u32',
        gOff: 'u32',
        gvOff: 'u32',
      },
      values: (bound) => ({
        R,
        D,
        chunks,
        sOff: scores.offset - bound.base.s!,
        vOff: values.offset - bound.base.v!,
        mOff: maxOut.offset - bound.base.mo!,
        wOff: denomOut.offset - bound.base.dn!,
        gOff: gradOut.offset - bound.base.g!,
        gvOff: gradValues.offset - bound.base.gv!,
      }),
      wgsl: (nm, m, serialScan) => ({
        epilogue: !serialScan,
        module: `
fn identity() -> St { return St(-f32_inf(), 0.0, 0.0, 0.0); }
// a: later positions (earlier in the reverse scan), b: earlier positions.
fn combine(a: St, b: St) -> St {
  if (a.f == 0.0) { return b; }
  if (b.f == 0.0) { return a; }
  let fac = select(exp(b.mr - a.mr), 0.0, is_neg_inf(a.mr) || is_neg_inf(b.mr));
  return St(b.mr, b.c + fac * a.c, 1.0, b.l + fac * a.l);
}
fn chunk(prob: u32) -> u32 { return prob % ${m('chunks')}; }
fn row_of(prob: u32, p: u32) -> u32 { let n = ${m('n')}; return (prob / ${m('chunks')}) * n + (n - 1u - p); }
fn channel(prob: u32, lane: u32) -> u32 { return chunk(prob) * lanes_n() + lane; }
fn leaf(prob: u32, lane: u32, p: u32, local: u32) -> St {
  let row = row_of(prob, p);
  let mk = ${nm.mo}[${m('mOff')} + row];
  let w = ${nm.dn}[${m('wOff')} + row];
  if (is_neg_inf(mk) || !(w > 0.0)) { return St(-f32_inf(), 0.0, 1.0, 0.0); }
  let inv = 1.0 / w;
  let d = channel(prob, lane);
  let D = ${m('D')};
  var x = 0.0;
  if (d < D) { x = ${nm.g}[${m('gOff')} + row * D + d] * inv; }
  return St(mk, ${nm.aux}[row] * inv, 1.0, x);
}
var<workgroup> dots: array<f32, ${256 * 8}>;
var<workgroup> cs: array<f32, 512>;
fn emit(prob: u32, lane: u32, p: u32, local: u32, incl: St, excl: St, item: St) {
  let row = row_of(prob, p);
  let s = ${nm.s}[${m('sOff')} + row];
  let mk = ${nm.mo}[${m('mOff')} + row];
  let e = select(exp(s - mk), 0.0, is_neg_inf(s) || is_neg_inf(mk));
  let d = channel(prob, lane);
  let D = ${m('D')};
  var pv = 0.0;
  if (d < D) {
    ${nm.gv}[${m('gvOff')} + row * D + d] = e * incl.l;
    pv = ${nm.v}[${m('vOff')} + row * D + d] * incl.l;
  }
  ${
    serialScan
      ? `let rows = ${m('R')} * ${m('n')};
  ${nm.aux}[(2u + chunk(prob) * lanes_n() + lane) * rows + row] = pv;
  if (lane == 0u && chunk(prob) == 0u) { ${nm.aux}[rows + row] = incl.c; }`
      : `dots[local * lanes_n() + lane] = pv;
  if (lane == 0u) { cs[local] = incl.c; }`
  }
}
fn epilogue(prob: u32, base: u32, lid: u32) {
  let n = ${m('n')};
  let rows = ${m('R')} * n;
  for (var i = lid; i < tile_positions(); i += 256u) {
    if (base + i < n) {
      var acc = 0.0;
      for (var l = 0u; l < lanes_n(); l++) { acc += dots[i * lanes_n() + l]; }
      let row = row_of(prob, base + i);
      ${nm.aux}[(2u + chunk(prob)) * rows + row] = acc;
      if (chunk(prob) == 0u) { ${nm.aux}[rows + row] = cs[i]; }
    }
  }
}`,
      }),
    };
    runSpec(ctx, spec, strategy);
    // 3. Score gradients e^{s − m} (Σ_chunks v·A − C).
    {
      const bound = ctx.bind(`${op}.scores`, {
        s: ctx.view(op, scores, 'read'),
        mo: ctx.view(op, maxOut, 'read'),
        aux: { ...ctx.scratchArg(aux, 'f32'), access: 'read' },
        gs: ctx.view(op, gradScores, 'write'),
      });
      const nm = bound.names;
      const m = (f: Parameters<typeof GRAD_META.get>[0]) => GRAD_META.get(f);
      const body = `
  let i = wg * 256u + lid;
  let rows = ${m('rows')};
  if (i >= rows) { return; }
  let s = ${nm.s}[${m('sOff')} + i];
  let mk = ${nm.mo}[${m('mOff')} + i];
  var dot = 0.0;
  for (var c = 0u; c < ${m('parts')}; c++) { dot += ${nm.aux}[(2u + c) * rows + i]; }
  let e = select(exp(s - mk), 0.0, is_neg_inf(s) || is_neg_inf(mk));
  ${nm.gs}[${m('gOff')} + i] = select(e * (dot - ${nm.aux}[rows + i]), 0.0, e == 0.0);`;
      const source = program({ bound, meta: GRAD_META, workgroupSize: 256, body });
      const meta = GRAD_META.pack({
        rows,
        parts,
        sOff: scores.offset - bound.base.s!,
        mOff: maxOut.offset - bound.base.mo!,
        gOff: gradScores.offset - bound.base.gs!,
      });
      ctx.dispatch(`${op}.scores`, bound, source, meta, Math.ceil(rows / 256));
    }
  } finally {
    ctx.recycle(aux);
  }
}
