/**
 * Blelloch work-efficient packed scan.
 * @packageDocumentation
 */
import type { PackedMonoid } from '../packed-monoid.js';
import type { ScanOptions } from '../scan-options.js';
import { nextPowerOfTwo } from '../value/blelloch.js';
import { copyElement, type PackedLine } from './line.js';
import { orientPacked } from './orient.js';

/**
 * Blelloch scan of a packed line: the input is copied into a power-of-two `Float64Array` tree padded with
 * identities, then up-sweep, root cleared, down-sweep, exactly as a GPU shared-memory kernel does it.
 * Work O(n), depth O(2 log n). Allocates `2^⌈log2 n⌉ + 2` elements of scratch per call.
 *
 * @example
 * ```ts
 * const x = new Float64Array([1, 2, 3]);
 * scanPackedBlelloch(packedSumMonoid, contiguousLine(x, 1), contiguousLine(x, 1), { exclusive: true });
 * // x = [0, 1, 3]
 * ```
 */
export function scanPackedBlelloch(
  monoid: PackedMonoid,
  input: PackedLine,
  output: PackedLine,
  options: ScanOptions = {},
): void {
  const p = orientPacked('scanPackedBlelloch', monoid, input, output, options);
  const m = p.monoid;
  const w = m.width;
  const n = p.input.length;
  if (n === 0) return;
  const size = nextPowerOfTwo(n);
  const tree = new Float64Array(size * w);
  for (let i = 0; i < size; i++) {
    if (i < n) copyElement(p.input.data, p.input.offset + i * p.input.stride, tree, i * w, w);
    else m.setIdentity(tree, i * w);
  }
  // Up-sweep.
  for (let d = 1; d < size; d *= 2) {
    for (let i = 2 * d - 1; i < size; i += 2 * d) m.combine(tree, (i - d) * w, tree, i * w, tree, i * w);
  }
  const total = tree.slice((size - 1) * w, size * w);
  m.setIdentity(tree, (size - 1) * w);
  // Down-sweep: left child ← prefix, right child ← prefix ⊕ old left child.
  const left = new Float64Array(w);
  for (let d = size / 2; d >= 1; d /= 2) {
    for (let i = 2 * d - 1; i < size; i += 2 * d) {
      left.set(tree.subarray((i - d) * w, (i - d + 1) * w));
      copyElement(tree, i * w, tree, (i - d) * w, w);
      m.combine(tree, i * w, left, 0, tree, i * w);
    }
  }
  for (let i = 0; i < n; i++) {
    const o = p.output.offset + i * p.output.stride;
    if (p.exclusive) copyElement(tree, i * w, p.output.data, o, w);
    else if (i + 1 < size) copyElement(tree, (i + 1) * w, p.output.data, o, w);
    else copyElement(total, 0, p.output.data, o, w);
  }
}
