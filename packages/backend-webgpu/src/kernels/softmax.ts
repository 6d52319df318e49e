/**
 * Row softmax and log-softmax: one invocation (short rows) or one workgroup (long rows) per row computes the NaN-propagating maximum, the sum of
 * `e^{x − max}` and then the outputs, so huge logits never overflow. A row whose maximum is −∞ (every entry
 * masked) is written as zeros (softmax) or −∞ (log-softmax), never NaN.
 * @packageDocumentation
 */
import type { TensorView } from '@aaren/core';
import { DTypeError } from '@aaren/core';
import type { GpuContext } from '../runtime/context.js';
import { MetaLayout } from '../runtime/meta.js';
import { program } from '../wgsl/program.js';
import { ROW_WORKGROUP, rowPlan } from './rows.js';

const META = new MetaLayout({ n: 'u32', rows: 'u32', xOff: 'u32', oOff: 'u32' });

/** Softmax (or log-softmax when `log`) over the last axis of `x: [rows, n]`. */
export function softmax(ctx: GpuContext, x: TensorView, out: TensorView, log: boolean): void {
  const [rows = 0, n = 0] = x.shape;
  if (rows === 0 || n === 0) return;
  if (x.dtype !== 'f32' || out.dtype !== 'f32') throw new DTypeError('softmax', 'f32 tensors only');
  const label = log ? 'logSoftmax' : 'softmax';
  const bound = ctx.bind(label, { x: ctx.view(label, x, 'read'), out: ctx.view(label, out, 'write') });
  const { x: X, out: O } = bound.names;
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const write = log
    ? `select(v - mx - logSum, -f32_inf(), masked)`
    : `select(exp(v - mx) / total, 0.0, masked)`;
  const plan = rowPlan(n, ctx.barrierFree);
  const loop = plan.loop('n');
  const body = `
  ${plan.row(m('rows'))}
  let n = ${m('n')};
  let xb = ${m('xOff')} + row * n;
  let ob = ${m('oOff')} + row * n;
  var mx = -f32_inf();
  ${loop} { mx = max_nan(mx, ${X}[xb + i]); }
  mx = reduce_max(lid, mx);
  let masked = is_neg_inf(mx);
  var sum = 0.0;
  ${loop} { sum += select(exp(${X}[xb + i] - mx), 0.0, masked); }
  let total = reduce_sum(lid, sum);
  let logSum = log(total);
  ${loop} {
    let v = ${X}[xb + i];
    ${O}[ob + i] = ${write};
  }`;
  const source = program({ bound, meta: META, workgroupSize: ROW_WORKGROUP, module: plan.module, body });
  const meta = META.pack({ n, rows, xOff: x.offset - bound.base.x!, oOff: out.offset - bound.base.out! });
  ctx.dispatch(label, bound, source, meta, plan.workgroups(rows));
}
