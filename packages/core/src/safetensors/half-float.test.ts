import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bfloat16ArrayToFloat32,
  bfloat16ToFloat32,
  bitsToFloat32,
  float8E4M3ToFloat32,
  float8E5M2ToFloat32,
  float16ArrayToFloat32,
  float16ToFloat32,
  float32ToBfloat16Bits,
  float32ToBits,
  float32ToFloat16Bits,
} from './half-float.js';

const conversions = JSON.parse(
  readFileSync(new URL('./__fixtures__/conversions.json', import.meta.url), 'utf8'),
) as { f32: number[]; f16: number[]; bf16: number[] };

describe('float16', () => {
  it.each([
    [0x0000, 0],
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])('bit pattern %i ↔ %d', (bits, value) => {
    expect(float16ToFloat32(bits)).toBe(value);
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });

  it('keeps the sign of zero and decodes NaN', () => {
    expect(Object.is(float16ToFloat32(0x8000), -0)).toBe(true);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float16ToFloat32(0x7e00)).toBeNaN();
    expect(float16ToFloat32(0xfc01)).toBeNaN();
    expect(float32ToFloat16Bits(Number.NaN)).toBe(0x7e00);
  });

  it('rounds to nearest, ties to even, overflowing to infinity', () => {
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even (down)
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(float32ToFloat16Bits(65519)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000); // tie between 0 and the smallest subnormal
    expect(float32ToFloat16Bits(2 ** -25 * 1.0001)).toBe(0x0001);
    expect(float32ToFloat16Bits(-1e-10)).toBe(0x8000);
    expect(float32ToFloat16Bits(1e10)).toBe(0x7c00);
  });

  it('round-trips every half bit pattern', () => {
    const wrong: number[] = [];
    for (let b = 0; b < 0x10000; b++) {
      const v = float16ToFloat32(b);
      const back = float32ToFloat16Bits(v);
      if (Number.isNaN(v) ? (back & 0x7e00) !== 0x7e00 : back !== b) wrong.push(b);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds like NumPy on thousands of f32 bit patterns', () => {
    const wrong = conversions.f32.filter(
      (bits, i) => float32ToFloat16Bits(bitsToFloat32(bits)) !== conversions.f16[i],
    );
    expect(wrong.map((b) => b.toString(16))).toEqual([]);
    expect(conversions.f32.length).toBeGreaterThan(3000);
  });

  it('decodes arrays with a table', () => {
    const bits = new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001]);
    expect([...float16ArrayToFloat32(bits)]).toEqual([1, -2, 65504, 2 ** -24]);
  });
});

describe('bfloat16', () => {
  it.each([
    [0x3f80, 1],
    [0xc000, -2],
    [0x3fc0, 1.5],
    [0x7f7f, 3.3895313892515355e38],
    [0x0001, 2 ** -133],
    [0x7f80, Infinity],
    [0xff80, -Infinity],
  ])('bit pattern %i ↔ %d', (bits, value) => {
    expect(bfloat16ToFloat32(bits)).toBe(value);
    expect(float32ToBfloat16Bits(value)).toBe(bits);
  });

  it('rounds to nearest even and keeps NaN quiet', () => {
    expect(float32ToBfloat16Bits(bitsToFloat32(0x3f808000))).toBe(0x3f80); // tie → even
    expect(float32ToBfloat16Bits(bitsToFloat32(0x3f818000))).toBe(0x3f82); // tie → even
    expect(float32ToBfloat16Bits(bitsToFloat32(0x3f808001))).toBe(0x3f81);
    expect(float32ToBfloat16Bits(bitsToFloat32(0x7f7fffff))).toBe(0x7f80);
    expect(float32ToBfloat16Bits(Number.NaN)).toBe(0x7fc0);
    expect(bfloat16ToFloat32(0x7fc0)).toBeNaN();
  });

  it('rounds like ml_dtypes on thousands of f32 bit patterns', () => {
    const wrong = conversions.f32.filter(
      (bits, i) => float32ToBfloat16Bits(bitsToFloat32(bits)) !== conversions.bf16[i],
    );
    expect(wrong.map((b) => b.toString(16))).toEqual([]);
    expect(conversions.f32.length).toBeGreaterThan(3000);
  });

  it('round-trips every non-NaN bfloat16 bit pattern and decodes arrays', () => {
    const wrong: number[] = [];
    for (let b = 0; b < 0x10000; b++) {
      const v = bfloat16ToFloat32(b);
      if (!Number.isNaN(v) && float32ToBfloat16Bits(v) !== b) wrong.push(b);
    }
    expect(wrong).toEqual([]);
    expect([...bfloat16ArrayToFloat32(new Uint16Array([0x3f80, 0xc000, 0x8000]))]).toEqual([1, -2, -0]);
  });
});

describe('float8', () => {
  it('decodes E4M3 (fn)', () => {
    expect(float8E4M3ToFloat32(0x38)).toBe(1);
    expect(float8E4M3ToFloat32(0x7e)).toBe(448);
    expect(float8E4M3ToFloat32(0xb0)).toBe(-0.5);
    expect(float8E4M3ToFloat32(0x01)).toBe(2 ** -9);
    expect(float8E4M3ToFloat32(0x7f)).toBeNaN();
    expect(float8E4M3ToFloat32(0xff)).toBeNaN();
    expect(float8E4M3ToFloat32(0x78)).toBe(256);
  });

  it('decodes E5M2', () => {
    expect(float8E5M2ToFloat32(0x3c)).toBe(1);
    expect(float8E5M2ToFloat32(0x7b)).toBe(57344);
    expect(float8E5M2ToFloat32(0xfc)).toBe(-Infinity);
    expect(float8E5M2ToFloat32(0x01)).toBe(2 ** -16);
    expect(float8E5M2ToFloat32(0x7d)).toBeNaN();
  });
});

describe('f32 bits', () => {
  it('converts both ways', () => {
    expect(float32ToBits(1)).toBe(0x3f800000);
    expect(float32ToBits(-2)).toBe(0xc0000000);
    expect(bitsToFloat32(0x3f800000)).toBe(1);
  });
});
