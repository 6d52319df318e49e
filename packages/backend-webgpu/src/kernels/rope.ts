/**
 * Rotary position embedding: one invocation per rotated pair reads both features before writing, so `out`
 * may be the same memory as `x` (the bindings merge into one read-write buffer).
 * @packageDocumentation
 */
import type { RopeOptions, TensorView } from '@aaren/core';
import { InvalidArgumentError } from '@aaren/core';
import type { GpuContext } from '../runtime/context.js';
import { MetaLayout } from '../runtime/meta.js';
import { program } from '../wgsl/program.js';

const META = new MetaLayout({
  pairs: 'u32',
  T: 'u32',
  D: 'u32',
  half: 'u32',
  sign: 'f32',
  xOff: 'u32',
  oOff: 'u32',
  cOff: 'u32',
  sOff: 'u32',
});

/** RoPE of `x: [rows, T, D]` with tables `cos, sin: [T, D/2]` into `out` (same shape). */
export function rope(
  ctx: GpuContext,
  x: TensorView,
  cos: TensorView,
  sin: TensorView,
  out: TensorView,
  options: RopeOptions,
): void {
  const [rows = 0, T = 0, D = 0] = x.shape;
  if (D % 2 !== 0) throw new InvalidArgumentError('rope', `the feature extent D = ${D} must be even`);
  if (rows === 0 || T === 0 || D === 0) return;
  const bound = ctx.bind('rope', {
    x: ctx.view('rope', x, 'read'),
    c: ctx.view('rope', cos, 'read'),
    s: ctx.view('rope', sin, 'read'),
    out: ctx.view('rope', out, 'write'),
  });
  const nm = bound.names;
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const [partner, step] = options.interleaved ? ['1u', '2u'] : [`${m('half')}`, '1u'];
  const body = `
  let e = wg * 256u + lid;
  if (e >= ${m('pairs')}) { return; }
  let half = ${m('half')};
  let j = e % half;
  let rt = e / half;
  let t = rt % ${m('T')};
  let xi = ${m('xOff')} + rt * ${m('D')} + j * ${step};
  let oi = ${m('oOff')} + rt * ${m('D')} + j * ${step};
  let c = ${nm.c}[${m('cOff')} + t * half + j];
  let s = ${m('sign')} * ${nm.s}[${m('sOff')} + t * half + j];
  let x1 = ${nm.x}[xi];
  let x2 = ${nm.x}[xi + ${partner}];
  ${nm.out}[oi] = x1 * c - x2 * s;
  ${nm.out}[oi + ${partner}] = x1 * s + x2 * c;`;
  const source = program({ bound, meta: META, workgroupSize: 256, body });
  const pairs = rows * T * (D / 2);
  const meta = META.pack({
    pairs,
    T,
    D,
    half: D / 2,
    sign: options.inverse ? -1 : 1,
    xOff: x.offset - bound.base.x!,
    oOff: out.offset - bound.base.out!,
    cOff: cos.offset - bound.base.c!,
    sOff: sin.offset - bound.base.s!,
  });
  ctx.dispatch(
    `rope.${options.interleaved ? 'interleaved' : 'half'}`,
    bound,
    source,
    meta,
    Math.ceil(pairs / 256),
  );
}
