/**
 * `cumsum` and `cummax` along the middle axis of `[outer, n, inner]` on the lane scan: lanes are up to 64
 * neighbouring columns (coalesced), problems are `outer × column chunks`. With one column (`inner = 1`, the
 * long-sequence case) tiles are staged through workgroup memory so that loads and stores are coalesced
 * while each invocation still folds consecutive elements. Sums of f32 run in f32; i32 sums wrap; max
 * propagates NaN.
 * @packageDocumentation
 */
import type { CumulativeOptions, TensorView } from '@aaren/core';
import { DTypeError, InvalidArgumentError } from '@aaren/core';
import type { GpuContext, ScanStrategy } from '../../runtime/context.js';
import { type LaneScanSpec, laneScanGeometry, runLaneScan } from './lane-scan.js';

/** Which monoid the cumulative kernel scans. */
export type CumulativeOp = 'sum' | 'max';

/** Positions per invocation of the cumulative scans (a tile of 2048 elements with one lane). */
const MAX_POSITIONS = 8;

/** The lane-scan spec of a cumulative op on `x` into `out`. */
export function cumulativeSpec(
  ctx: GpuContext,
  op: CumulativeOp,
  x: TensorView,
  out: TensorView,
  options: CumulativeOptions,
  strategy: ScanStrategy,
): LaneScanSpec {
  const [outer = 0, n = 0, inner = 0] = x.shape;
  const dtype = x.dtype;
  const label = `${op === 'sum' ? 'cumsum' : 'cummax'}.${dtype}`;
  const lanes = Math.min(64, 2 ** Math.ceil(Math.log2(Math.max(1, inner))));
  const chunks = Math.ceil(inner / lanes);
  const staged = lanes === 1 && strategy !== 'serial';
  const identity =
    op === 'sum' ? (dtype === 'f32' ? '0.0' : '0') : dtype === 'f32' ? '-f32_inf()' : '(-2147483647 - 1)';
  const combine = op === 'sum' ? 'a.l + b.l' : dtype === 'f32' ? 'max_nan(a.l, b.l)' : 'max(a.l, b.l)';
  return {
    label: `${label}${staged ? '.staged' : ''}`,
    laneType: dtype,
    header: [],
    lanes,
    maxPositions: MAX_POSITIONS,
    maxTile: 256 * MAX_POSITIONS,
    problems: outer * chunks,
    n,
    args: { x: ctx.view(label, x, 'read'), out: ctx.view(label, out, 'write') },
    fields: { inner: 'u32', chunks: 'u32', reverse: 'u32', exclusive: 'u32', xOff: 'u32', oOff: 'u32' },
    values: (bound) => ({
      inner,
      reverse: options.reverse ? 1 : 0,
      exclusive: options.exclusive ? 1 : 0,
      chunks,
      xOff: x.offset - bound.base.x!,
      oOff: out.offset - bound.base.out!,
    }),
    wgsl: (nm, m) => {
      // Element address of position p (scan order) of lane `lane` in problem `prob`; `ok` if it exists.
      const address = `
fn column(prob: u32, lane: u32) -> u32 { return (prob % ${m('chunks')}) * lanes_n() + lane; }
fn address(prob: u32, lane: u32, p: u32) -> u32 {
  let n = ${m('n')};
  let o = prob / ${m('chunks')};
  let i = select(p, n - 1u - p, ${m('reverse')} == 1u);
  return (o * n + i) * ${m('inner')} + column(prob, lane);
}`;
      const pick = `select(incl.l, excl.l, ${m('exclusive')} == 1u)`;
      const common = `
fn identity() -> St { return St(${identity}); }
fn combine(a: St, b: St) -> St { return St(${combine}); }
${address}`;
      if (!staged) {
        return {
          module: `${common}
fn leaf(prob: u32, lane: u32, p: u32, local: u32) -> St {
  if (column(prob, lane) >= ${m('inner')}) { return identity(); }
  return St(${nm.x}[${m('xOff')} + address(prob, lane, p)]);
}
fn emit(prob: u32, lane: u32, p: u32, local: u32, incl: St, excl: St, item: St) {
  if (column(prob, lane) < ${m('inner')}) { ${nm.out}[${m('oOff')} + address(prob, lane, p)] = ${pick}; }
}`,
        };
      }
      // One lane: stage the tile in workgroup memory (padded against bank conflicts) for coalesced access.
      const tile = 256 * MAX_POSITIONS;
      return {
        prologue: true,
        epilogue: true,
        module: `${common}
var<workgroup> staged: array<${dtype}, ${tile + tile / 32}>;
fn pad(i: u32) -> u32 { return i + (i >> 5u); }
fn prologue(prob: u32, base: u32, lid: u32) {
  let n = ${m('n')};
  for (var k = 0u; k < tile_positions(); k += 256u) {
    let p = base + k + lid;
    if (p < n) { staged[pad(k + lid)] = ${nm.x}[${m('xOff')} + address(prob, 0u, p)]; }
  }
}
fn leaf(prob: u32, lane: u32, p: u32, local: u32) -> St { return St(staged[pad(local)]); }
fn emit(prob: u32, lane: u32, p: u32, local: u32, incl: St, excl: St, item: St) { staged[pad(local)] = ${pick}; }
fn epilogue(prob: u32, base: u32, lid: u32) {
  let n = ${m('n')};
  for (var k = 0u; k < tile_positions(); k += 256u) {
    let p = base + k + lid;
    if (p < n) { ${nm.out}[${m('oOff')} + address(prob, 0u, p)] = staged[pad(k + lid)]; }
  }
}`,
      };
    },
  };
}

/** Cumulative sum or max along the middle axis of `x: [outer, n, inner]` into `out`. */
export function cumulative(
  ctx: GpuContext,
  op: CumulativeOp,
  x: TensorView,
  out: TensorView,
  options: CumulativeOptions,
  strategy: ScanStrategy = ctx.scanStrategy,
): void {
  if (x.shape.length !== 3) {
    throw new InvalidArgumentError(
      op,
      `expected a rank-3 [outer, n, inner] view, got rank ${x.shape.length}`,
    );
  }
  if (x.dtype !== out.dtype) throw new DTypeError(op, `input ${x.dtype} but output ${out.dtype}`);
  const [outer = 0, n = 0, inner = 0] = x.shape;
  if (outer === 0 || n === 0 || inner === 0) return;
  const spec = cumulativeSpec(ctx, op, x, out, options, strategy);
  const geo = laneScanGeometry(spec, strategy);
  const work = ctx.scratch(spec.label, geo.workWords * 4);
  try {
    runLaneScan(ctx, spec, strategy, work, 0);
  } finally {
    ctx.recycle(work);
  }
}
