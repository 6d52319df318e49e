/**
 * Codec for width-1 monoids (sum, max, logsumexp): the packed element is the number itself.
 * @packageDocumentation
 */
import type { PackedCodec } from '../packed-monoid.js';

/** Packs a `number` as a single array entry; the codec of {@link sumMonoid}, {@link maxMonoid} and {@link logSumExpMonoid}. */
export const scalarCodec: PackedCodec<number> = Object.freeze<PackedCodec<number>>({
  width: 1,
  write(value: number, out, offset) {
    out[offset] = value;
  },
  read(data, offset) {
    return data[offset]!;
  },
});
