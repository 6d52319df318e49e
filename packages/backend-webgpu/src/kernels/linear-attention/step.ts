/**
 * The recurrent step of linear attention for decoding: one token per row, the state updated in place
 * (`S ← γ S + kᵀv`, `out = q S`). One invocation per (row, value feature) owns a column of the state.
 * @packageDocumentation
 */
import type { TensorView } from '@aaren/core';
import { DTypeError, ShapeError } from '@aaren/core';
import type { GpuContext } from '../../runtime/context.js';
import { MetaLayout } from '../../runtime/meta.js';
import { program } from '../../wgsl/program.js';

const META = new MetaLayout({
  R: 'u32',
  Dk: 'u32',
  Dv: 'u32',
  qOff: 'u32',
  kOff: 'u32',
  vOff: 'u32',
  gOff: 'u32',
  sOff: 'u32',
  oOff: 'u32',
});

/** Arguments of {@link linearAttentionStep}. */
export interface LinearAttentionStepArgs {
  /** `[R, Dk]` query of the new token (after the feature map). */
  readonly q: TensorView;
  /** `[R, Dk]` key of the new token (after the feature map). */
  readonly k: TensorView;
  /** `[R, Dv]` value of the new token. */
  readonly v: TensorView;
  /** `[R]` decay γ per row. */
  readonly decay: TensorView;
  /** `[R, Dk, Dv]` state, updated in place. */
  readonly state: TensorView;
  /** `[R, Dv]` output `q S` after the update. */
  readonly out: TensorView;
}

/** One decoding step: `S ← γ S + kᵀ v` (in place), `out = q S`. All views contiguous (any offset). */
export function linearAttentionStep(ctx: GpuContext, args: LinearAttentionStepArgs): void {
  const op = 'linearAttentionStep';
  const { q, k, v, decay, state, out } = args;
  const [R = 0, Dk = 0] = q.shape;
  const Dv = v.shape[1] ?? 0;
  const expect: [string, TensorView, number[]][] = [
    ['q', q, [R, Dk]],
    ['k', k, [R, Dk]],
    ['v', v, [R, Dv]],
    ['decay', decay, [R]],
    ['state', state, [R, Dk, Dv]],
    ['out', out, [R, Dv]],
  ];
  for (const [name, view, shape] of expect) {
    if (view.dtype !== 'f32') throw new DTypeError(op, `${name} must be f32`);
    if (view.shape.length !== shape.length || view.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError(op, `${name} must be [${shape.join(', ')}]`, [view.shape]);
    }
  }
  if (R * Dv === 0) return;
  const bound = ctx.bind(op, {
    q: ctx.view(op, q, 'read'),
    k: ctx.view(op, k, 'read'),
    v: ctx.view(op, v, 'read'),
    g: ctx.view(op, decay, 'read'),
    s: ctx.view(op, state, 'write'),
    out: ctx.view(op, out, 'write'),
  });
  const nm = bound.names;
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const body = `
  let e = wg * 256u + lid;
  let Dv = ${m('Dv')};
  let Dk = ${m('Dk')};
  if (e >= ${m('R')} * Dv) { return; }
  let r = e / Dv;
  let b = e % Dv;
  let gamma = ${nm.g}[${m('gOff')} + r];
  let vb = ${nm.v}[${m('vOff')} + e];
  var acc = 0.0;
  for (var a = 0u; a < Dk; a++) {
    let si = ${m('sOff')} + (r * Dk + a) * Dv + b;
    let s = fma(gamma, ${nm.s}[si], ${nm.k}[${m('kOff')} + r * Dk + a] * vb);
    ${nm.s}[si] = s;
    acc = fma(${nm.q}[${m('qOff')} + r * Dk + a], s, acc);
  }
  ${nm.out}[${m('oOff')} + e] = acc;`;
  const source = program({ bound, meta: META, workgroupSize: 256, body });
  const meta = META.pack({
    R,
    Dk,
    Dv,
    qOff: q.offset - bound.base.q!,
    kOff: k.offset - bound.base.k!,
    vOff: v.offset - bound.base.v!,
    gOff: decay.offset - bound.base.g!,
    sOff: state.offset - bound.base.s!,
    oOff: out.offset - bound.base.out!,
  });
  ctx.dispatch(op, bound, source, meta, Math.ceil((R * Dv) / 256));
}
