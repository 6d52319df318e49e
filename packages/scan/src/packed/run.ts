/**
 * Internal: the sequential inner loop shared by the sequential and blockwise packed scans.
 * @packageDocumentation
 */
import type { PackedMonoid } from '../packed-monoid.js';
import { copyElement, type PackedLine } from './line.js';

/**
 * Scans elements `[start, end)` of `input` into `output`, starting from the carry in `acc[0 … width)`, and
 * leaves `acc` holding `carry ⊕ x_start ⊕ … ⊕ x_{end−1}`. `tmp` is scratch of `width` entries. Safe when
 * `output` is `input` (in place).
 */
export function scanRange(
  monoid: PackedMonoid,
  input: PackedLine,
  output: PackedLine,
  start: number,
  end: number,
  exclusive: boolean,
  acc: Float64Array,
  tmp: Float64Array,
): void {
  const w = monoid.width;
  for (let k = start; k < end; k++) {
    const ik = input.offset + k * input.stride;
    const ok = output.offset + k * output.stride;
    if (exclusive) {
      monoid.combine(acc, 0, input.data, ik, tmp, 0);
      copyElement(acc, 0, output.data, ok, w);
      acc.set(tmp);
    } else {
      monoid.combine(acc, 0, input.data, ik, acc, 0);
      copyElement(acc, 0, output.data, ok, w);
    }
  }
}

/** Folds elements `[start, end)` of `input` into `acc` (`acc ← acc ⊕ x_k`). */
export function reduceRange(
  monoid: PackedMonoid,
  input: PackedLine,
  start: number,
  end: number,
  acc: Float64Array,
): void {
  for (let k = start; k < end; k++)
    monoid.combine(acc, 0, input.data, input.offset + k * input.stride, acc, 0);
}
