/**
 * Layer norm, RMS norm and group norm as one kernel over *segments*: a segment is a row (layer/RMS norm) or
 * one group of a row (group norm); one invocation (short segments) or one workgroup per segment computes the mean (unless RMS) and the biased
 * variance with two passes, then writes `(x − mean) / sqrt(var + eps) · gamma + beta` with the affine
 * parameters indexed by feature (`group · size + j`).
 * @packageDocumentation
 */
import type { TensorView } from '@aaren/core';
import { checkGroupNormGroups, DTypeError } from '@aaren/core';
import type { Arg } from '../runtime/bindings.js';
import type { GpuContext } from '../runtime/context.js';
import { MetaLayout } from '../runtime/meta.js';
import { program } from '../wgsl/program.js';
import { ROW_WORKGROUP, rowPlan } from './rows.js';

const META = new MetaLayout({
  segments: 'u32',
  size: 'u32',
  groups: 'u32',
  eps: 'f32',
  xOff: 'u32',
  oOff: 'u32',
  gOff: 'u32',
  bOff: 'u32',
});

interface NormSpec {
  readonly label: string;
  readonly x: TensorView;
  readonly out: TensorView;
  readonly gamma: TensorView | null;
  readonly beta: TensorView | null;
  readonly eps: number;
  readonly center: boolean;
  readonly segments: number;
  readonly size: number;
  readonly groups: number;
}

function runNorm(ctx: GpuContext, spec: NormSpec): void {
  const { label, x, out, gamma, beta } = spec;
  if (spec.segments === 0 || spec.size === 0) return;
  for (const v of [x, out, gamma, beta]) {
    if (v && v.dtype !== 'f32') throw new DTypeError(label, 'f32 tensors only');
  }
  const args: Record<string, Arg> = { x: ctx.view(label, x, 'read'), out: ctx.view(label, out, 'write') };
  if (gamma) args.g = ctx.view(label, gamma, 'read');
  if (beta) args.b = ctx.view(label, beta, 'read');
  const bound = ctx.bind(label, args);
  const nm = bound.names;
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const plan = rowPlan(spec.size, ctx.barrierFree);
  const loop = plan.loop('size');
  const body = `
  ${plan.row(m('segments'))}
  let size = ${m('size')};
  let xb = ${m('xOff')} + row * size;
  let ob = ${m('oOff')} + row * size;
  let feature0 = (row % ${m('groups')}) * size;
  var mean = 0.0;
  ${
    spec.center
      ? `var s = 0.0;
  ${loop} { s += ${nm.x}[xb + i]; }
  mean = reduce_sum(lid, s) / f32(size);`
      : ''
  }
  var q = 0.0;
  ${loop} { let d = ${nm.x}[xb + i] - mean; q += d * d; }
  let inv = 1.0 / sqrt(reduce_sum(lid, q) / f32(size) + ${m('eps')});
  ${loop} {
    var y = (${nm.x}[xb + i] - mean) * inv;
    ${gamma ? `y = y * ${nm.g}[${m('gOff')} + feature0 + i];` : ''}
    ${beta ? `y = y + ${nm.b}[${m('bOff')} + feature0 + i];` : ''}
    ${nm.out}[ob + i] = y;
  }`;
  const source = program({ bound, meta: META, workgroupSize: ROW_WORKGROUP, module: plan.module, body });
  const meta = META.pack({
    segments: spec.segments,
    size: spec.size,
    groups: spec.groups,
    eps: spec.eps,
    xOff: x.offset - bound.base.x!,
    oOff: out.offset - bound.base.out!,
    gOff: gamma ? gamma.offset - bound.base.g! : 0,
    bOff: beta ? beta.offset - bound.base.b! : 0,
  });
  ctx.dispatch(label, bound, source, meta, plan.workgroups(spec.segments));
}

/** Layer norm over the last axis of `x: [rows, n]`. */
export function layerNorm(
  ctx: GpuContext,
  x: TensorView,
  gamma: TensorView | null,
  beta: TensorView | null,
  eps: number,
  out: TensorView,
): void {
  const [rows = 0, n = 0] = x.shape;
  runNorm(ctx, {
    label: 'layerNorm',
    x,
    out,
    gamma,
    beta,
    eps,
    center: true,
    segments: rows,
    size: n,
    groups: 1,
  });
}

/** RMS norm over the last axis of `x: [rows, n]`. */
export function rmsNorm(
  ctx: GpuContext,
  x: TensorView,
  gamma: TensorView | null,
  eps: number,
  out: TensorView,
): void {
  const [rows = 0, n = 0] = x.shape;
  runNorm(ctx, {
    label: 'rmsNorm',
    x,
    out,
    gamma,
    beta: null,
    eps,
    center: false,
    segments: rows,
    size: n,
    groups: 1,
  });
}

/** Group norm of `x: [rows, C]` with `groups` contiguous channel groups. */
export function groupNorm(
  ctx: GpuContext,
  x: TensorView,
  groups: number,
  gamma: TensorView | null,
  beta: TensorView | null,
  eps: number,
  out: TensorView,
): void {
  const [rows = 0, C = 0] = x.shape;
  checkGroupNormGroups(C, groups);
  runNorm(ctx, {
    label: 'groupNorm',
    x,
    out,
    gamma,
    beta,
    eps,
    center: true,
    segments: rows * groups,
    size: C / groups,
    groups,
  });
}
