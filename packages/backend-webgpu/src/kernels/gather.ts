/**
 * Row gather (embedding lookup) and its adjoint, row scatter-add. Out-of-range indices cannot be reported
 * from a kernel without a readback: `gather` writes zeros for them and `scatterAdd` skips them (the CPU
 * backend throws instead). `scatterAdd` accumulates with atomics — a compare-and-swap loop on the f32 bit
 * pattern — so repeated indices add up in an unspecified order.
 * @packageDocumentation
 */
import type { TensorView } from '@aaren/core';
import { DTypeError } from '@aaren/core';
import type { GpuContext } from '../runtime/context.js';
import { MetaLayout } from '../runtime/meta.js';
import { program } from '../wgsl/program.js';

const META = new MetaLayout({ n: 'u32', D: 'u32', V: 'u32', tOff: 'u32', iOff: 'u32', oOff: 'u32' });

/** `out[i, :] = table[indices[i], :]` with `table: [V, D]`, `indices: [n]` (i32), `out: [n, D]`. */
export function gather(ctx: GpuContext, table: TensorView, indices: TensorView, out: TensorView): void {
  const [V = 0, D = 0] = table.shape;
  const n = indices.shape[0] ?? 0;
  if (n === 0 || D === 0) return;
  if (indices.dtype !== 'i32') throw new DTypeError('gather', `indices must be i32, got ${indices.dtype}`);
  if (table.dtype !== out.dtype)
    throw new DTypeError('gather', `table ${table.dtype} but output ${out.dtype}`);
  const bound = ctx.bind('gather', {
    t: ctx.view('gather', table, 'read'),
    i: ctx.view('gather', indices, 'read'),
    out: ctx.view('gather', out, 'write'),
  });
  const nm = bound.names;
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const T = table.dtype;
  const body = `
  let e = wg * 256u + lid;
  let D = ${m('D')};
  if (e >= ${m('n')} * D) { return; }
  let row = e / D;
  let idx = ${nm.i}[${m('iOff')} + row];
  let ok = idx >= 0 && u32(idx) < ${m('V')};
  let src = ${m('tOff')} + select(0u, u32(idx), ok) * D + e % D;
  ${nm.out}[${m('oOff')} + e] = select(${T}(0), ${nm.t}[src], ok);`;
  const source = program({ bound, meta: META, workgroupSize: 256, body });
  const meta = META.pack({
    n,
    D,
    V,
    tOff: table.offset - bound.base.t!,
    iOff: indices.offset - bound.base.i!,
    oOff: out.offset - bound.base.out!,
  });
  ctx.dispatch(`gather.${T}`, bound, source, meta, Math.ceil((n * D) / 256));
}

/** `out[indices[i], :] += src[i, :]` with `src: [n, D]`, `out: [V, D]` (not cleared first). */
export function scatterAdd(ctx: GpuContext, indices: TensorView, src: TensorView, out: TensorView): void {
  const [V = 0, D = 0] = out.shape;
  const n = indices.shape[0] ?? 0;
  if (n === 0 || D === 0) return;
  if (indices.dtype !== 'i32')
    throw new DTypeError('scatterAdd', `indices must be i32, got ${indices.dtype}`);
  if (src.dtype !== out.dtype)
    throw new DTypeError('scatterAdd', `source ${src.dtype} but output ${out.dtype}`);
  const f32 = out.dtype === 'f32';
  const bound = ctx.bind('scatterAdd', {
    s: ctx.view('scatterAdd', src, 'read'),
    i: ctx.view('scatterAdd', indices, 'read'),
    out: ctx.view('scatterAdd', out, 'write', f32 ? 'atomic<u32>' : 'atomic<i32>'),
  });
  const nm = bound.names;
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const add = f32
    ? `var old = atomicLoad(&${nm.out}[dst]);
    loop {
      let r = atomicCompareExchangeWeak(&${nm.out}[dst], old, bitcast<u32>(bitcast<f32>(old) + value));
      if (r.exchanged) { break; }
      old = r.old_value;
    }`
    : `atomicAdd(&${nm.out}[dst], value);`;
  const body = `
  let e = wg * 256u + lid;
  let D = ${m('D')};
  if (e >= ${m('n')} * D) { return; }
  let row = e / D;
  let idx = ${nm.i}[${m('iOff')} + row];
  if (idx < 0 || u32(idx) >= ${m('V')}) { return; }
  let value = ${nm.s}[${m('tOff')} + e];
  let dst = ${m('oOff')} + u32(idx) * D + e % D;
  ${add}`;
  const source = program({ bound, meta: META, workgroupSize: 256, body });
  const meta = META.pack({
    n,
    D,
    V,
    tOff: src.offset - bound.base.s!,
    iOff: indices.offset - bound.base.i!,
    oOff: out.offset - bound.base.out!,
  });
  ctx.dispatch(`scatterAdd.${out.dtype}`, bound, source, meta, Math.ceil((n * D) / 256));
}
