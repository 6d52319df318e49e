/**
 * Hillis–Steele packed scan.
 * @packageDocumentation
 */
import type { PackedMonoid } from '../packed-monoid.js';
import type { ScanOptions } from '../scan-options.js';
import { copyElement, type PackedLine } from './line.js';
import { orientPacked } from './orient.js';

/**
 * Hillis–Steele scan of a packed line with two `Float64Array` ping-pong buffers: in round `d = 1, 2, 4, …`
 * element `i ≥ d` becomes `x_{i−d} ⊕ x_i`. Work O(n log n), depth O(log n). Allocates `2n` elements of
 * scratch per call.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2, 3, 4]);
 * scanPackedHillisSteele(packedSumMonoid, contiguousLine(x, 1), contiguousLine(x, 1)); // x = [1, 3, 6, 10]
 * ```
 */
export function scanPackedHillisSteele(
  monoid: PackedMonoid,
  input: PackedLine,
  output: PackedLine,
  options: ScanOptions = {},
): void {
  const p = orientPacked('scanPackedHillisSteele', monoid, input, output, options);
  const m = p.monoid;
  const w = m.width;
  const n = p.input.length;
  if (n === 0) return;
  let current = new Float64Array(n * w);
  let next = new Float64Array(n * w);
  for (let i = 0; i < n; i++)
    copyElement(p.input.data, p.input.offset + i * p.input.stride, current, i * w, w);
  for (let d = 1; d < n; d *= 2) {
    next.set(current.subarray(0, d * w));
    for (let i = d; i < n; i++) m.combine(current, (i - d) * w, current, i * w, next, i * w);
    [current, next] = [next, current];
  }
  for (let i = 0; i < n; i++) {
    const o = p.output.offset + i * p.output.stride;
    if (!p.exclusive) copyElement(current, i * w, p.output.data, o, w);
    else if (i === 0) m.setIdentity(p.output.data, o);
    else copyElement(current, (i - 1) * w, p.output.data, o, w);
  }
}
