/**
 * Row gather (embedding lookup) and its adjoint, row scatter-add. Indices are bounds-checked before any
 * element is written, so a bad index leaves `out` untouched.
 * @packageDocumentation
 */
import type { TensorView } from '../../backend.js';
import { InvalidArgumentError } from '../../errors.js';
import { arrayOf, type CpuArray } from '../buffer.js';

/**
 * Throws unless every one of the `n` indices at `idx[offset...]` lies in `[0, rows)`.
 * @throws {@link InvalidArgumentError} naming the bad index, its position and the table size.
 */
function checkIndices(op: string, idx: CpuArray, offset: number, n: number, rows: number): void {
  for (let i = 0; i < n; i++) {
    const r = idx[offset + i]!;
    if (!(r >= 0 && r < rows)) {
      throw new InvalidArgumentError(
        op,
        `index ${r} at position ${i} is out of range for a table of ${rows} rows (valid: 0..${rows - 1})`,
      );
    }
  }
}

/**
 * Embedding lookup `out[i, :] = table[indices[i], :]` with `table: [V, D]`, `indices: [n]` (i32) and
 * `out: [n, D]`.
 * @throws {@link InvalidArgumentError} when an index is outside `[0, V)`.
 */
export function gather(table: TensorView, indices: TensorView, out: TensorView): void {
  const [V = 0, D = 0] = table.shape;
  const n = indices.shape[0] ?? 0;
  if (n === 0) return;
  const idx = arrayOf(indices);
  checkIndices('gather', idx, indices.offset, n, V);
  if (D === 0) return;
  const td = arrayOf(table);
  const od = arrayOf(out);
  const sameType = table.dtype === out.dtype;
  for (let i = 0; i < n; i++) {
    const src = table.offset + idx[indices.offset + i]! * D;
    const dst = out.offset + i * D;
    if (sameType) {
      od.set(td.subarray(src, src + D), dst);
    } else {
      for (let j = 0; j < D; j++) od[dst + j] = td[src + j]!;
    }
  }
}

/**
 * Accumulates `out[indices[i], :] += src[i, :]` with `src: [n, D]`, `out: [V, D]` (not cleared first;
 * repeated indices add up, in index order).
 * @throws {@link InvalidArgumentError} when an index is outside `[0, V)`.
 */
export function scatterAdd(indices: TensorView, src: TensorView, out: TensorView): void {
  const [V = 0, D = 0] = out.shape;
  const n = indices.shape[0] ?? 0;
  if (n === 0) return;
  const idx = arrayOf(indices);
  checkIndices('scatterAdd', idx, indices.offset, n, V);
  if (D === 0) return;
  const sd = arrayOf(src);
  const od = arrayOf(out);
  for (let i = 0; i < n; i++) {
    const s = src.offset + i * D;
    const d = out.offset + idx[indices.offset + i]! * D;
    for (let j = 0; j < D; j++) od[d + j]! += sd[s + j]!;
  }
}
