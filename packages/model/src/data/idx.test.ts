import { describe, expect, it } from 'vitest';
import { DataFormatError } from './errors.js';
import { parseIdx, serializeIdx } from './idx.js';

describe('IDX', () => {
  it('decodes a hand-written u8 file', () => {
    const bytes = Uint8Array.from([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);
    const idx = parseIdx(bytes);
    expect(idx.type).toBe('u8');
    expect(idx.dims).toEqual([2, 3]);
    expect(Array.from(idx.data)).toEqual([1, 2, 3, 4, 5, 255]);
  });

  it('decodes big-endian wider types and round-trips every type', () => {
    const i32 = parseIdx(Uint8Array.from([0, 0, 0x0c, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 0]));
    expect(Array.from(i32.data)).toEqual([-2, 256]);
    for (const [type, data] of [
      ['i8', Int8Array.from([-3, 4])],
      ['i16', Int16Array.from([-300, 7])],
      ['f32', Float32Array.from([1.5, -2.25])],
      ['f64', Float64Array.from([Math.PI, -1e300])],
    ] as const) {
      const back = parseIdx(serializeIdx({ type, dims: [2], data }));
      expect(back.type).toBe(type);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  it('rejects malformed files with the file name', () => {
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]), { fileName: 'x.gz' })).toThrow(
      'x.gz: not an IDX file (the first two bytes must be 0; is it still gzip-compressed?)',
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 1, 0]), { fileName: 'y' })).toThrow(
      'y: unknown IDX type code 0x07',
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x08, 1, 0, 0, 0, 3, 1, 2]), { fileName: 'z' })).toThrow(
      DataFormatError,
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x08, 3, 0]), { fileName: 'z' })).toThrow(
      /declares 3 dimensions/,
    );
  });
});
