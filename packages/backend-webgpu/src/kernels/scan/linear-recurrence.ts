/**
 * The linear recurrence `h_t = a_t h_{t−1} + b_t` on the lane scan (the `(a, b)` monoid of `@aaren/scan`,
 * `(a₁, b₁) ⊕ (a₂, b₂) = (a₁a₂, a₂b₁ + b₂)`), with one decay per position shared by the lanes: the product of
 * decays is the header, `b` the lanes. This is the form of decayed recurrences such as SUPRA's state
 * (`γ` per head) and of exponential moving averages.
 * @packageDocumentation
 */
import type { TensorView } from '@aaren/core';
import { DTypeError, ShapeError } from '@aaren/core';
import type { Arg } from '../../runtime/bindings.js';
import type { GpuContext, ScanStrategy } from '../../runtime/context.js';
import { type LaneScanSpec, laneScanGeometry, runLaneScan } from './lane-scan.js';

/** Arguments of {@link linearRecurrence}. */
export interface LinearRecurrenceArgs {
  /** Decays `[outer, n]`, one per position (shared by the `inner` lanes). */
  readonly a: TensorView;
  /** Inputs `[outer, n, inner]`. */
  readonly b: TensorView;
  /** Initial state `h_{−1}`: `[outer, inner]`, or `null` for zeros. */
  readonly initial: TensorView | null;
  /** `[outer, n, inner]`: every state `h_t`. */
  readonly out: TensorView;
}

/** Every state of `h_t = a_t h_{t−1} + b_t` along the middle axis (contiguous views, any offset). */
export function linearRecurrence(
  ctx: GpuContext,
  { a, b, initial, out }: LinearRecurrenceArgs,
  strategy: ScanStrategy = ctx.scanStrategy,
): void {
  const op = 'linearRecurrence';
  const [outer = 0, n = 0, inner = 0] = b.shape;
  const want: [string, TensorView | null, number[]][] = [
    ['a', a, [outer, n]],
    ['b', b, [outer, n, inner]],
    ['initial', initial, [outer, inner]],
    ['out', out, [outer, n, inner]],
  ];
  for (const [name, view, shape] of want) {
    if (!view) continue;
    if (view.dtype !== 'f32') throw new DTypeError(op, `${name} must be f32`);
    if (view.shape.length !== shape.length || view.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError(op, `${name} must be [${shape.join(', ')}]`, [view.shape]);
    }
  }
  if (outer === 0 || n === 0 || inner === 0) return;
  const lanes = Math.min(64, 2 ** Math.ceil(Math.log2(inner)));
  const chunks = Math.ceil(inner / lanes);
  const args: Record<string, Arg> = {
    a: ctx.view(op, a, 'read'),
    b: ctx.view(op, b, 'read'),
    out: ctx.view(op, out, 'write'),
  };
  if (initial) args.h0 = ctx.view(op, initial, 'read');
  const spec: LaneScanSpec = {
    label: `${op}${initial ? '.initial' : ''}`,
    laneType: 'f32',
    header: ['A'],
    lanes,
    maxPositions: 16,
    maxTile: 4096,
    problems: outer * chunks,
    n,
    args,
    fields: { inner: 'u32', chunks: 'u32', aOff: 'u32', bOff: 'u32', oOff: 'u32', hOff: 'u32' },
    values: (bound) => ({
      inner,
      chunks,
      aOff: a.offset - bound.base.a!,
      bOff: b.offset - bound.base.b!,
      oOff: out.offset - bound.base.out!,
      hOff: initial ? initial.offset - bound.base.h0! : 0,
    }),
    wgsl: (nm, m) => ({
      module: `
fn identity() -> St { return St(1.0, 0.0); }
fn combine(x: St, y: St) -> St { return St(x.A * y.A, fma(y.A, x.l, y.l)); }
fn column(prob: u32, lane: u32) -> u32 { return (prob % ${m('chunks')}) * lanes_n() + lane; }
fn leaf(prob: u32, lane: u32, p: u32, local: u32) -> St {
  let o = prob / ${m('chunks')};
  let j = column(prob, lane);
  let decay = ${nm.a}[${m('aOff')} + o * ${m('n')} + p];
  if (j >= ${m('inner')}) { return St(decay, 0.0); }
  return St(decay, ${nm.b}[${m('bOff')} + (o * ${m('n')} + p) * ${m('inner')} + j]);
}
fn emit(prob: u32, lane: u32, p: u32, local: u32, incl: St, excl: St, item: St) {
  let o = prob / ${m('chunks')};
  let j = column(prob, lane);
  let inner = ${m('inner')};
  if (j >= inner) { return; }
  ${initial ? `let h0 = ${nm.h0}[${m('hOff')} + o * inner + j];` : 'let h0 = 0.0;'}
  ${nm.out}[${m('oOff')} + (o * ${m('n')} + p) * inner + j] = fma(incl.A, h0, incl.l);
}`,
    }),
  };
  const geo = laneScanGeometry(spec, strategy);
  const work = ctx.scratch(op, geo.workWords * 4);
  try {
    runLaneScan(ctx, spec, strategy, work, 0);
  } finally {
    ctx.recycle(work);
  }
}
