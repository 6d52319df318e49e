/**
 * Reductions along the middle axis of `[outer, n, inner]`: `reduce` (sum, max, min) and `argmax`. Short axes
 * (n ≤ 128) take one invocation per output. Otherwise a workgroup covers up to 64 neighbouring columns (coalesced loads) and a block of rows: its invocations accumulate
 * strided rows, then a tree in workgroup memory combines them. Long axes use several blocks whose partial
 * results (values, and indices for argmax) are reduced again by the same kernel until one block remains.
 * Max/min propagate NaN; argmax takes the first maximum, a NaN counting as the maximum.
 * @packageDocumentation
 */
import type { DType, ReduceOp, TensorView } from '@aaren/core';
import { DTypeError, InvalidArgumentError } from '@aaren/core';
import type { Arg } from '../runtime/bindings.js';
import type { GpuContext } from '../runtime/context.js';
import { MetaLayout } from '../runtime/meta.js';
import { program } from '../wgsl/program.js';

type Kind = ReduceOp | 'argmax';

/** Rows each invocation accumulates before the tree. */
const ITER = 8;

const META = new MetaLayout({
  n: 'u32',
  inner: 'u32',
  jBlocks: 'u32',
  nBlocks: 'u32',
  xOff: 'u32',
  xiOff: 'u32',
  ovOff: 'u32',
  oiOff: 'u32',
});

/** One operand of a level: an argument and the element offset of its first element. */
interface Operand {
  readonly arg: Arg;
  readonly offset: number;
}

/** WGSL identity value of `kind` on `dtype`. */
function identity(kind: Kind, dtype: DType): string {
  if (kind === 'sum') return dtype === 'f32' ? '0.0' : '0';
  const low = kind === 'max' || kind === 'argmax';
  if (dtype === 'f32') return low ? '-f32_inf()' : 'f32_inf()';
  return low ? '(-2147483647 - 1)' : '2147483647';
}

/** WGSL of `fn combine(a: ptr<function, S>, v, i)` folding value `v` (index `i`) into state `a`. */
function combineFunction(kind: Kind, dtype: DType): string {
  const T = dtype;
  if (kind === 'argmax') {
    const nan = dtype === 'f32';
    return `struct S { v: ${T}, i: i32 }
fn better(a: S, b: S) -> bool {
  if (b.i < 0) { return false; }
  if (a.i < 0) { return true; }
  ${
    nan
      ? `let na = is_nan(a.v); let nb = is_nan(b.v);
  if (na && nb) { return b.i < a.i; }
  if (na) { return false; }
  if (nb) { return true; }`
      : ''
  }
  if (b.v > a.v) { return true; }
  return b.v == a.v && b.i < a.i;
}
fn combine(a: S, b: S) -> S { if (better(a, b)) { return b; } return a; }`;
  }
  const op = kind === 'sum' ? 'a.v + b.v' : dtype === 'f32' ? `${kind}_nan(a.v, b.v)` : `${kind}(a.v, b.v)`;
  return `struct S { v: ${T}, i: i32 }
fn combine(a: S, b: S) -> S { return S(${op}, 0); }`;
}

/** Runs one level: reduces `[outer, n, inner]` into `[outer, nBlocks, inner]`; returns nBlocks. */
function level(
  ctx: GpuContext,
  kind: Kind,
  dtype: DType,
  x: Operand,
  xi: Operand | null,
  outer: number,
  n: number,
  inner: number,
  outValue: Operand | null,
  outIndex: Operand | null,
  nBlocks: number,
): void {
  const tx = Math.min(64, 2 ** Math.ceil(Math.log2(Math.max(1, inner))));
  const ty = 256 / tx;
  const blockRows = ty * ITER;
  const jBlocks = Math.ceil(inner / tx);
  const label = `reduce.${kind}.${dtype}`;
  const args: Record<string, Arg> = { x: x.arg };
  if (xi) args.xi = xi.arg;
  if (outValue) args.ov = outValue.arg;
  if (outIndex) args.oi = outIndex.arg;
  const bound = ctx.bind(label, args);
  const nm = bound.names;
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const body = `
  let tx = lid % ${tx}u;
  let ty = lid / ${tx}u;
  let per = ${m('jBlocks')} * ${m('nBlocks')};
  let o = wg / per;
  let rest = wg % per;
  let jb = rest / ${m('nBlocks')};
  let nb = rest % ${m('nBlocks')};
  let j = jb * ${tx}u + tx;
  let n = ${m('n')};
  let inner = ${m('inner')};
  var acc = S(${identity(kind, dtype)}, -1);
  if (j < inner) {
    let i1 = min(n, (nb + 1u) * ${blockRows}u);
    for (var i = nb * ${blockRows}u + ty; i < i1; i += ${ty}u) {
      let a = (o * n + i) * inner + j;
      acc = combine(acc, S(${nm.x}[${m('xOff')} + a], ${xi ? `${nm.xi}[${m('xiOff')} + a]` : 'i32(i)'}));
    }
  }
  sv[lid] = acc;
  workgroupBarrier();
  for (var s = ${ty / 2}u; s > 0u; s = s >> 1u) {
    if (ty < s) { sv[lid] = combine(sv[lid], sv[lid + s * ${tx}u]); }
    workgroupBarrier();
  }
  if (ty == 0u && j < inner) {
    let d = (o * ${m('nBlocks')} + nb) * inner + j;
    ${outValue ? `${nm.ov}[${m('ovOff')} + d] = sv[lid].v;` : ''}
    ${outIndex ? `${nm.oi}[${m('oiOff')} + d] = sv[lid].i;` : ''}
  }`;
  const source = program({
    bound,
    meta: META,
    workgroupSize: 256,
    module: `${combineFunction(kind, dtype)}\nvar<workgroup> sv: array<S, 256>;`,
    body,
  });
  const meta = META.pack({
    n,
    inner,
    jBlocks,
    nBlocks,
    xOff: x.offset - bound.base.x!,
    xiOff: xi ? xi.offset - bound.base.xi! : 0,
    ovOff: outValue ? outValue.offset - bound.base.ov! : 0,
    oiOff: outIndex ? outIndex.offset - bound.base.oi! : 0,
  });
  ctx.dispatch(label, bound, source, meta, outer * jBlocks * nBlocks);
}

/** Longest axis reduced by one invocation per output (no workgroup memory, no barriers). */
const SERIAL_MAX = 128;

/** Reduces short axes with one invocation per output, looping over `n` (coalesced along `inner`). */
function serial(
  ctx: GpuContext,
  kind: Kind,
  x: TensorView,
  out: TensorView,
  outer: number,
  n: number,
  inner: number,
): void {
  const dtype = x.dtype;
  const label = `reduce.${kind}.${dtype}.serial`;
  const bound = ctx.bind(label, { x: ctx.view(label, x, 'read'), o: ctx.view(label, out, 'write') });
  const nm = bound.names;
  const m = (f: Parameters<typeof META.get>[0]) => META.get(f);
  const body = `
  let e = wg * 256u + lid;
  let n = ${m('n')};
  let inner = ${m('inner')};
  if (e >= ${m('nBlocks')}) { return; }
  let base = ${m('xOff')} + (e / inner) * n * inner + e % inner;
  var acc = S(${identity(kind, dtype)}, -1);
  for (var i = 0u; i < n; i++) { acc = combine(acc, S(${nm.x}[base + i * inner], i32(i))); }
  ${nm.o}[${m('ovOff')} + e] = acc.${kind === 'argmax' ? 'i' : 'v'};`;
  const source = program({
    bound,
    meta: META,
    workgroupSize: 256,
    module: combineFunction(kind, dtype),
    body,
  });
  const meta = META.pack({
    n,
    inner,
    jBlocks: 0,
    nBlocks: outer * inner,
    xOff: x.offset - bound.base.x!,
    xiOff: 0,
    ovOff: out.offset - bound.base.o!,
    oiOff: 0,
  });
  ctx.dispatch(label, bound, source, meta, Math.ceil((outer * inner) / 256));
}

/** Reduces `[outer, n, inner]` level by level until one block of rows remains. */
function reduceAll(ctx: GpuContext, kind: Kind, x: TensorView, out: TensorView): void {
  const [outer = 0, n = 0, inner = 0] = x.shape;
  if (x.shape.length !== 3) {
    throw new InvalidArgumentError(
      kind,
      `expected a rank-3 [outer, n, inner] view, got rank ${x.shape.length}`,
    );
  }
  if (outer === 0 || inner === 0) return;
  ctx.assertUsable(kind);
  if (ctx.barrierFree || n <= SERIAL_MAX) {
    serial(ctx, kind, x, out, outer, n, inner);
    return;
  }
  const dtype = x.dtype;
  const tx = Math.min(64, 2 ** Math.ceil(Math.log2(Math.max(1, inner))));
  const blockRows = (256 / tx) * ITER;
  let src: Operand = { arg: ctx.view(kind, x, 'read'), offset: x.offset };
  let srcIndex: Operand | null = null;
  let rows = n;
  const scratch: GPUBuffer[] = [];
  try {
    for (;;) {
      const nBlocks = Math.max(1, Math.ceil(rows / blockRows));
      if (nBlocks === 1) {
        const target: Operand = { arg: ctx.view(kind, out, 'write'), offset: out.offset };
        level(
          ctx,
          kind,
          dtype,
          src,
          srcIndex,
          outer,
          rows,
          inner,
          kind === 'argmax' ? null : target,
          kind === 'argmax' ? target : null,
          1,
        );
        return;
      }
      const count = outer * nBlocks * inner;
      const values = ctx.scratch(kind, count * 4);
      scratch.push(values);
      const indices = kind === 'argmax' ? ctx.scratch(kind, count * 4) : null;
      if (indices) scratch.push(indices);
      const vOp: Operand = { arg: ctx.scratchArg(values, dtype), offset: 0 };
      const iOp: Operand | null = indices ? { arg: ctx.scratchArg(indices, 'i32'), offset: 0 } : null;
      level(ctx, kind, dtype, src, srcIndex, outer, rows, inner, vOp, iOp, nBlocks);
      src = { arg: { ...vOp.arg, access: 'read' }, offset: 0 };
      srcIndex = iOp ? { arg: { ...iOp.arg, access: 'read' }, offset: 0 } : null;
      rows = nBlocks;
    }
  } finally {
    for (const b of scratch) ctx.recycle(b);
  }
}

/** Reduces the middle axis of `x: [outer, n, inner]` into `out: [outer, inner]` (empty: 0, −∞, +∞). */
export function reduce(ctx: GpuContext, op: ReduceOp, x: TensorView, out: TensorView): void {
  if (x.dtype !== out.dtype) throw new DTypeError('reduce', `input ${x.dtype} but output ${out.dtype}`);
  reduceAll(ctx, op, x, out);
}

/** Index (i32) of the first maximum along the middle axis of `x: [outer, n, inner]` into `out: [outer, inner]`. */
export function argmax(ctx: GpuContext, x: TensorView, out: TensorView): void {
  if (out.dtype !== 'i32') throw new DTypeError('argmax', `the output must be i32, got ${out.dtype}`);
  reduceAll(ctx, 'argmax', x, out);
}
