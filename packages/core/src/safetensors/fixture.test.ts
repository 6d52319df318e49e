import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SafetensorsError } from './errors.js';
import { parseSafetensors } from './parse.js';

const bytes = new Uint8Array(readFileSync(new URL('./__fixtures__/reference.safetensors', import.meta.url)));
const expected = JSON.parse(
  readFileSync(new URL('./__fixtures__/reference.expected.json', import.meta.url), 'utf8'),
) as {
  metadata: Record<string, string>;
  tensors: Record<string, { dtype: string; shape: number[]; values: (number | string)[] }>;
};

function decodeExpected(v: number | string): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return Number.NaN;
  if (v === '-0') return -0;
  return v as number;
}

describe('a file written by Python safetensors (__fixtures__/make_fixture.py)', () => {
  const file = parseSafetensors(bytes, { fileName: 'reference.safetensors' });

  it('has the expected metadata, names, dtypes and shapes', () => {
    expect(file.metadata).toEqual(expected.metadata);
    expect(new Set(file.tensors.keys())).toEqual(new Set(Object.keys(expected.tensors)));
    for (const [name, t] of Object.entries(expected.tensors)) {
      expect(file.info(name).dtype, name).toBe(t.dtype);
      expect(file.info(name).shape, name).toEqual(t.shape);
    }
  });

  for (const [name, t] of Object.entries(expected.tensors)) {
    if (name === 'i64_big') continue;
    it(`reads '${name}' (${t.dtype}) exactly`, () => {
      const read = file.readTensor(name);
      expect(read.shape).toEqual(t.shape);
      expect(read.storedDType).toBe(t.dtype);
      const values = t.values.map(decodeExpected);
      if (read.dtype === 'f32') {
        // NumPy widened the stored values to float64; aaren gives f32 (exact except for F64, rounded).
        expect([...read.data]).toEqual(values.map((v) => Math.fround(v)));
      } else {
        expect(read.data).toBeInstanceOf(Int32Array);
        expect([...read.data]).toEqual(values.map((v) => (t.dtype === 'BOOL' ? Number(v !== 0) : v)));
      }
    });
  }

  it('spot-checks special values', () => {
    const f16 = file.readTensor('f16').data;
    expect(f16[2]).toBe(65504);
    expect(f16[4]).toBe(2 ** -24);
    expect(f16[7]).toBe(Infinity);
    expect(f16[8]).toBeNaN();
    expect(Object.is(f16[9], -0)).toBe(true);
    expect([...file.readTensor('bf16').data].slice(0, 2)).toEqual([1.5, 3.140625]);
    expect([...file.readTensor('i64').data]).toEqual([0, -1, 2147483647, -2147483648]);
    expect(file.readTensor('scalar')).toMatchObject({
      dtype: 'f32',
      shape: [],
      data: new Float32Array([42]),
    });
  });

  it('rejects an I64 value beyond int32, naming the tensor and the value', () => {
    let error: unknown;
    try {
      file.readTensor('i64_big');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SafetensorsError);
    expect(error).toMatchObject({ reason: 'value-out-of-range', tensorName: 'i64_big' });
    expect((error as Error).message).toBe(
      "reference.safetensors: tensor 'i64_big': I64 value 1099511627776 at flat index 1 does not fit in int32",
    );
  });
});
