/**
 * The strided elementwise kernels — `unary`, `binary`, `where`, `fill`, `copy` — from one generator: a kernel
 * per (expression, dtypes, coalesced rank) that walks the output's row-major index space, computes each
 * view's address from the meta block's extents and strides (stride 0 broadcasts), evaluates the fused WGSL
 * expression and converts the result to the output's dtype. Dispatches are split into chunks whenever a
 * buffer is too large to bind whole, so every binding window fits `maxStorageBufferBindingSize`.
 * @packageDocumentation
 */
import type { BinaryOp, DType, TensorView, UnaryOp } from '@aaren/core';
import { DTypeError, formatShape, ShapeError } from '@aaren/core';
import type { Arg } from '../runtime/bindings.js';
import type { GpuContext } from '../runtime/context.js';
import { MetaLayout, type MetaType } from '../runtime/meta.js';
import { MATH_WGSL } from '../wgsl/math.js';
import { program } from '../wgsl/program.js';
import {
  binaryExpression,
  convertExpression,
  type OpExpression,
  unaryExpression,
} from './elementwise-ops.js';
import { coalesce, rangeSpan } from './strided.js';

const WORKGROUP = 256;

/** A map kernel: inputs, output, and the expression of the loaded inputs `v0, v1, …`. */
interface MapSpec {
  readonly label: string;
  readonly inputs: readonly TensorView[];
  readonly out: TensorView;
  /**
   * Expression of the result (of dtype `resultType`, or a boolean) from the input names; `scalar(name)` is
   * the WGSL reading one of `scalars`.
   */
  readonly expression: (values: readonly string[], scalar: (name: string) => string) => OpExpression;
  /** Dtype of a `'value'` result before conversion to the output's dtype. */
  readonly resultType: DType;
  /** Extra scalar meta fields (e.g. the fill value) and their values. */
  readonly scalars?: Readonly<Record<string, { type: MetaType; value: number }>>;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Runs a map kernel over every element of `spec.out`. */
function runMap(ctx: GpuContext, spec: MapSpec): void {
  const { out, inputs } = spec;
  for (const v of inputs) {
    if (v.shape.length !== out.shape.length || v.shape.some((d, i) => d !== out.shape[i])) {
      throw new ShapeError(spec.label, `input shape ${formatShape(v.shape)} differs from the output's`, [
        v.shape,
        out.shape,
      ]);
    }
  }
  const total = sizeOf(out.shape);
  if (total === 0) return;
  ctx.assertUsable(spec.label);
  const views = [...inputs, out];
  const plan = coalesce(
    out.shape,
    views.map((v) => v.strides),
  );
  const rank = plan.shape.length;
  const fields: Record<string, MetaType> = { start: 'u32', end: 'u32' };
  for (let k = 0; k < rank; k++) fields[`e${k}`] = 'u32';
  views.forEach((_, v) => {
    fields[`o${v}`] = 'u32';
    for (let k = 0; k < rank; k++) fields[`s${v}_${k}`] = 'u32';
  });
  for (const [name, s] of Object.entries(spec.scalars ?? {})) fields[name] = s.type;
  const meta = new MetaLayout(fields);
  const names = views.map((_, v) => (v === inputs.length ? 'out' : `in${v}`));

  // Chunks of the flat index space whose windows fit one binding each (one chunk unless buffers are huge).
  const maxElements = Math.floor(ctx.limits.maxStorageBufferBindingSize / 4);
  const needsWindows = views.some((v) => ctx.own(spec.label, v.buffer).gpu.size > maxElements * 4);
  let chunk = total;
  const argsFor = (start: number, end: number): Record<string, Arg> => {
    const args: Record<string, Arg> = {};
    views.forEach((v, i) => {
      const arg = ctx.view(spec.label, v, i === inputs.length ? 'write' : 'read');
      const span = needsWindows ? rangeSpan(plan.shape, plan.strides[i]!, v.offset, start, end) : arg.span;
      args[names[i]!] = { ...arg, span };
    });
    return args;
  };
  if (needsWindows) {
    const fits = (start: number, end: number) =>
      Object.values(argsFor(start, end)).every((a) => a.span[1] - a.span[0] <= maxElements - 64);
    while (chunk > 1 && !fits(0, chunk)) chunk = Math.ceil(chunk / 2);
  }

  for (let start = 0; start < total; start += chunk) {
    const end = Math.min(total, start + chunk);
    const bound = ctx.bind(spec.label, argsFor(start, end));
    const values: Record<string, number> = { start, end };
    plan.shape.forEach((e, k) => {
      values[`e${k}`] = e;
    });
    views.forEach((v, i) => {
      values[`o${i}`] = v.offset - bound.base[names[i]!]!;
      plan.strides[i]!.forEach((s, k) => {
        values[`s${i}_${k}`] = s;
      });
    });
    for (const [name, s] of Object.entries(spec.scalars ?? {})) values[name] = s.value;

    let index = '';
    views.forEach((_, v) => {
      index += `  var a${v} = ${meta.get(`o${v}`)};\n`;
    });
    for (let k = rank - 1; k >= 0; k--) {
      const idx = k === 0 ? 'rem' : `rem % ${meta.get(`e${k}`)}`;
      index += `  { let idx = ${idx};${k > 0 ? ` rem = rem / ${meta.get(`e${k}`)};` : ''}`;
      views.forEach((_, v) => {
        index += ` a${v} += idx * ${meta.get(`s${v}_${k}`)};`;
      });
      index += ' }\n';
    }
    const loaded = inputs.map((_, v) => `v${v}`);
    const loads = inputs.map((_, v) => `  let v${v} = ${bound.names[names[v]!]}[a${v}];\n`).join('');
    const expr = spec.expression(loaded, (name) => meta.get(name));
    const value =
      expr.kind === 'bool'
        ? `select(${out.dtype}(0), ${out.dtype}(1), ${expr.code})`
        : convertExpression(expr.code, spec.resultType, out.dtype);
    const body = `  let i = ${meta.get('start')} + wg * ${WORKGROUP}u + lid;
  if (i >= ${meta.get('end')}) { return; }
  var rem = i;
${index}${loads}  ${bound.names.out}[a${inputs.length}] = ${value};`;
    const source = program({ bound, meta, workgroupSize: WORKGROUP, body, module: MATH_WGSL });
    ctx.dispatch(spec.label, bound, source, meta.pack(values), Math.ceil((end - start) / WORKGROUP));
  }
}

/** *Strided* `out[i] = op(x[i])`. */
export function unary(ctx: GpuContext, op: UnaryOp, x: TensorView, out: TensorView): void {
  if (x.dtype !== out.dtype) throw new DTypeError('unary', `input ${x.dtype} but output ${out.dtype}`);
  runMap(ctx, {
    label: `unary.${op}.${x.dtype}`,
    inputs: [x],
    out,
    resultType: x.dtype,
    expression: ([v]) => unaryExpression(op, x.dtype, v!),
  });
}

/** *Strided* `out[i] = op(a[i], b[i])` (comparisons write 1/0 in the output's dtype). */
export function binary(ctx: GpuContext, op: BinaryOp, a: TensorView, b: TensorView, out: TensorView): void {
  if (a.dtype !== b.dtype) throw new DTypeError('binary', `operands ${a.dtype} and ${b.dtype} differ`);
  runMap(ctx, {
    label: `binary.${op}.${a.dtype}`,
    inputs: [a, b],
    out,
    resultType: a.dtype,
    expression: ([x, y]) => binaryExpression(op, a.dtype, x!, y!),
  });
}

/** *Strided* `out[i] = cond[i] != 0 ? a[i] : b[i]` (a NaN condition counts as true). */
export function where(
  ctx: GpuContext,
  cond: TensorView,
  a: TensorView,
  b: TensorView,
  out: TensorView,
): void {
  const test = (c: string) =>
    cond.dtype === 'f32' ? `((bitcast<u32>(${c}) & 0x7fffffffu) != 0u)` : `(${c} != 0)`;
  runMap(ctx, {
    label: `where.${cond.dtype}.${a.dtype}`,
    inputs: [cond, a, b],
    out,
    resultType: a.dtype,
    expression: ([c, x, y]) => ({ code: `select(${y}, ${x}, ${test(c!)})`, kind: 'value' }),
  });
}

/** *Strided output.* Sets every element of `out` to `value` (converted to its dtype). */
export function fill(ctx: GpuContext, out: TensorView, value: number): void {
  const type: MetaType = out.dtype === 'f32' ? 'f32' : 'i32';
  const stored =
    out.dtype === 'f32' ? value : Math.trunc(Math.min(Math.max(value, -2147483648), 2147483647)) || 0;
  runMap(ctx, {
    label: `fill.${out.dtype}`,
    inputs: [],
    out,
    resultType: out.dtype,
    scalars: { value: { type, value: stored } },
    expression: (_, scalar) => ({ code: scalar('value'), kind: 'value' }),
  });
}

/** *Strided input and output.* `out[i] = x[i]`, converting the dtype (f32 → i32 truncates and saturates). */
export function copy(ctx: GpuContext, x: TensorView, out: TensorView): void {
  runMap(ctx, {
    label: `copy.${x.dtype}.${out.dtype}`,
    inputs: [x],
    out,
    resultType: x.dtype,
    expression: ([v]) => ({ code: v!, kind: 'value' }),
  });
}

/** *Strided.* `out[i] = factor · x[i]` (f32). */
export function scale(ctx: GpuContext, x: TensorView, factor: number, out: TensorView): void {
  runMap(ctx, {
    label: 'scale.f32',
    inputs: [x],
    out,
    resultType: 'f32',
    scalars: { factor: { type: 'f32', value: factor } },
    expression: ([v], scalar) => ({ code: `(${scalar('factor')} * ${v})`, kind: 'value' }),
  });
}
