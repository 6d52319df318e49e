/**
 * Normalisation kernels: layer norm, RMS norm and group norm over contiguous rows. Statistics (mean,
 * biased variance, mean square) are accumulated in float64 with a two-pass mean/variance.
 * @packageDocumentation
 */
import type { TensorView } from '../../backend.js';
import { checkGroupNormGroups } from '../../kernel-checks.js';
import { arrayOf, type CpuArray } from '../buffer.js';

/** An optional per-feature affine parameter: its array and offset, or `null`. */
interface Affine {
  readonly data: CpuArray;
  readonly offset: number;
}

function affineOf(view: TensorView | null): Affine | null {
  return view === null ? null : { data: arrayOf(view), offset: view.offset };
}

/**
 * Normalises `count` elements at `xd[xi...]` into `od[oi...]` with their own mean (when `center`) and
 * variance, then applies `gamma`/`beta` entries starting at feature `feature0`.
 */
function normalizeSpan(
  xd: CpuArray,
  xi: number,
  od: CpuArray,
  oi: number,
  count: number,
  center: boolean,
  eps: number,
  gamma: Affine | null,
  beta: Affine | null,
  feature0: number,
): void {
  let mean = 0;
  if (center) {
    for (let j = 0; j < count; j++) mean += xd[xi + j]!;
    mean /= count;
  }
  let sq = 0;
  for (let j = 0; j < count; j++) {
    const d = xd[xi + j]! - mean;
    sq += d * d;
  }
  const inv = 1 / Math.sqrt(sq / count + eps);
  const g = gamma?.data;
  const go = (gamma?.offset ?? 0) + feature0;
  const b = beta?.data;
  const bo = (beta?.offset ?? 0) + feature0;
  for (let j = 0; j < count; j++) {
    let y = (xd[xi + j]! - mean) * inv;
    if (g !== undefined) y *= g[go + j]!;
    if (b !== undefined) y += b[bo + j]!;
    od[oi + j] = y;
  }
}

/**
 * Layer norm over the last axis of `x: [rows, n]`: `(x − mean)/sqrt(var + eps)·gamma + beta` with the
 * biased variance. `gamma`, `beta`: `[n]` or `null` (1 and 0).
 */
export function layerNorm(
  x: TensorView,
  gamma: TensorView | null,
  beta: TensorView | null,
  eps: number,
  out: TensorView,
): void {
  const [rows = 0, n = 0] = x.shape;
  if (rows === 0 || n === 0) return;
  const xd = arrayOf(x);
  const od = arrayOf(out);
  const g = affineOf(gamma);
  const b = affineOf(beta);
  for (let r = 0; r < rows; r++)
    normalizeSpan(xd, x.offset + r * n, od, out.offset + r * n, n, true, eps, g, b, 0);
}

/** RMS norm over the last axis of `x: [rows, n]`: `x / sqrt(mean(x²) + eps)·gamma` (`gamma`: `[n]` or `null`). */
export function rmsNorm(x: TensorView, gamma: TensorView | null, eps: number, out: TensorView): void {
  const [rows = 0, n = 0] = x.shape;
  if (rows === 0 || n === 0) return;
  const xd = arrayOf(x);
  const od = arrayOf(out);
  const g = affineOf(gamma);
  for (let r = 0; r < rows; r++)
    normalizeSpan(xd, x.offset + r * n, od, out.offset + r * n, n, false, eps, g, null, 0);
}

/**
 * Group norm of `x: [rows, C]`: the channels split into `groups` contiguous groups of `C/groups`, each
 * normalised like layer norm, then `·gamma[c] + beta[c]` (`[C]` or `null`).
 * @throws InvalidArgumentError (see `checkGroupNormGroups`) when `groups` is not a positive divisor of `C`.
 */
export function groupNorm(
  x: TensorView,
  groups: number,
  gamma: TensorView | null,
  beta: TensorView | null,
  eps: number,
  out: TensorView,
): void {
  const [rows = 0, C = 0] = x.shape;
  checkGroupNormGroups(C, groups);
  if (rows === 0 || C === 0) return;
  const xd = arrayOf(x);
  const od = arrayOf(out);
  const g = affineOf(gamma);
  const b = affineOf(beta);
  const size = C / groups;
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < groups; q++) {
      const start = r * C + q * size;
      normalizeSpan(xd, x.offset + start, od, out.offset + start, size, true, eps, g, b, q * size);
    }
  }
}
