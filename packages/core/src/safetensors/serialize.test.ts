import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAFETENSORS_WRITABLE_DTYPES } from './dtypes.js';
import { SafetensorsError } from './errors.js';
import { bfloat16ToFloat32, bitsToFloat32, float16ToFloat32 } from './half-float.js';
import { parseSafetensors } from './parse.js';
import { type SafetensorsTensorInput, serializeSafetensors } from './serialize.js';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));
}

function headerText(bytes: Uint8Array): string {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

describe('serializeSafetensors', () => {
  const floats = new Float32Array([0, -1.5, 3.25, 1e-3, 65504, -0.1]);
  const ints = new Int32Array([0, 1, -1, 127, -128, 100]);

  it.each(SAFETENSORS_WRITABLE_DTYPES)('round-trips %s', (dtype) => {
    const isFloat = dtype.startsWith('F') || dtype === 'BF16';
    const data =
      dtype === 'U8'
        ? new Int32Array([0, 1, 255, 128, 7, 9])
        : dtype === 'BOOL'
          ? new Int32Array([1, 0, 1, 1, 0, 0])
          : isFloat
            ? floats
            : ints;
    const bytes = serializeSafetensors({ t: { dtype, shape: [2, 3], data } });
    const file = parseSafetensors(bytes);
    expect(file.info('t').dtype).toBe(dtype);
    const read = file.readTensor('t');
    expect(read.shape).toEqual([2, 3]);
    expect(read.storedDType).toBe(dtype);
    expect(read.dtype).toBe(isFloat ? 'f32' : 'i32');
    const expected = [...data].map((v) =>
      dtype === 'F16' ? roundHalf(v) : dtype === 'BF16' ? roundBf16(v) : Math.fround(v),
    );
    expect([...read.data]).toEqual(expected);
  });

  it('defaults the dtype from the array type', () => {
    const file = parseSafetensors(
      serializeSafetensors({
        a: { shape: [2], data: floats.subarray(0, 2) },
        b: { shape: [1], data: ints.subarray(0, 1) },
      }),
    );
    expect(file.info('a').dtype).toBe('F32');
    expect(file.info('b').dtype).toBe('I32');
  });

  it('writes scalars, empty tensors and metadata', () => {
    const bytes = serializeSafetensors(
      {
        scalar: { shape: [], data: new Float32Array([42]) },
        empty: { shape: [0, 3], data: new Float32Array(0) },
        empty2: { dtype: 'I64', shape: [4, 0], data: new Int32Array(0) },
      },
      { metadata: { format: 'pt', '10': 'ten', 'with "quotes"': 'and\nnewline' } },
    );
    const file = parseSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt', '10': 'ten', 'with "quotes"': 'and\nnewline' });
    expect(file.readTensor('scalar')).toMatchObject({ shape: [], data: new Float32Array([42]) });
    expect(file.readTensor('empty')).toMatchObject({ shape: [0, 3], data: new Float32Array(0) });
    expect(file.readTensor('empty2')).toMatchObject({ dtype: 'i32', shape: [4, 0], data: new Int32Array(0) });
    expect(headerText(bytes).startsWith('{"__metadata__":{"10":"ten","format":"pt"')).toBe(true);
  });

  it('writes an empty file as a valid header', () => {
    const bytes = serializeSafetensors({});
    expect(bytes.length).toBe(16);
    expect(headerText(bytes)).toBe('{}      ');
    expect(parseSafetensors(bytes).tensors.size).toBe(0);
  });

  it('accepts a Map, keeps integer-like and unicode names, and aligns every tensor', () => {
    const tensors = new Map<string, SafetensorsTensorInput>([
      ['0', { dtype: 'I8', shape: [3], data: new Int32Array([1, 2, 3]) }],
      ['é', { dtype: 'F16', shape: [1], data: new Float32Array([1]) }],
      ['😀', { dtype: 'F64', shape: [1], data: new Float32Array([2]) }],
      ['a', { dtype: 'I64', shape: [1], data: new Int32Array([-5]) }],
      ['__proto__', { shape: [1], data: new Float32Array([3]) }],
    ]);
    const file = parseSafetensors(serializeSafetensors(tensors));
    expect([...file.tensors.keys()]).toEqual(['a', '😀', '__proto__', 'é', '0']);
    for (const info of file.tensors.values()) {
      const itemSize =
        info.byteLength /
        Math.max(
          1,
          info.shape.reduce((a, b) => a * b, 1),
        );
      expect(info.byteOffset % itemSize).toBe(0);
    }
    expect([...file.readTensor('a').data]).toEqual([-5]);
    expect([...file.readTensor('__proto__').data]).toEqual([3]);
    expect((file.headerByteLength + 8) % 8).toBe(0);
  });

  it('produces the same bytes as Python safetensors', () => {
    const inputs = JSON.parse(
      readFileSync(new URL('./__fixtures__/writer.inputs.json', import.meta.url), 'utf8'),
    ) as {
      metadata: Record<string, string>;
      tensors: Record<
        string,
        { dtype: SafetensorsTensorInput['dtype']; shape: number[]; array: 'f32' | 'i32'; values: number[] }
      >;
    };
    const tensors: Record<string, SafetensorsTensorInput> = {};
    for (const [name, t] of Object.entries(inputs.tensors)) {
      const data =
        t.array === 'f32'
          ? new Float32Array(t.values.map((b) => bitsToFloat32(b)))
          : new Int32Array(t.values);
      tensors[name] = { dtype: t.dtype, shape: t.shape, data };
    }
    const ours = serializeSafetensors(tensors, { metadata: inputs.metadata });
    const theirs = fixture('writer.safetensors');
    expect(headerText(ours)).toBe(headerText(theirs));
    expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
  });

  describe('rejects invalid input, naming the tensor', () => {
    const cases: [string, Record<string, SafetensorsTensorInput>, string, RegExp][] = [
      [
        'reserved name',
        { __metadata__: { shape: [1], data: new Float32Array(1) } },
        'invalid-entry',
        /reserved/,
      ],
      ['bad shape', { t: { shape: [-1], data: new Float32Array(1) } }, 'invalid-entry', /shape/],
      ['fractional shape', { t: { shape: [1.5], data: new Float32Array(1) } }, 'invalid-entry', /shape/],
      [
        'length mismatch',
        { t: { shape: [2, 2], data: new Float32Array(3) } },
        'size-mismatch',
        /\[2, 2\] has 4 elements but data has 3/,
      ],
      [
        'unknown dtype',
        { t: { dtype: 'F8_E4M3' as 'F32', shape: [1], data: new Float32Array(1) } },
        'unknown-dtype',
        /F8_E4M3/,
      ],
      [
        'non-integer for I32',
        { t: { dtype: 'I32', shape: [1], data: new Float32Array([0.5]) } },
        'value-out-of-range',
        /0\.5/,
      ],
      [
        'I8 overflow',
        { t: { dtype: 'I8', shape: [2], data: new Int32Array([1, 200]) } },
        'value-out-of-range',
        /200 at flat index 1/,
      ],
      [
        'BOOL of 2',
        { t: { dtype: 'BOOL', shape: [1], data: new Int32Array([2]) } },
        'value-out-of-range',
        /0 or 1/,
      ],
      [
        'not a typed array',
        { t: { shape: [1], data: [1] as unknown as Float32Array } },
        'invalid-entry',
        /Float32Array/,
      ],
    ];
    it.each(cases)('%s', (_, tensors, reason, message) => {
      const error = catchError(() => serializeSafetensors(tensors, { fileName: 'out.safetensors' }));
      expect(error).toBeInstanceOf(SafetensorsError);
      expect(error).toMatchObject({ reason, fileName: 'out.safetensors' });
      expect(error.message).toMatch(/^out\.safetensors: tensor '/);
      expect(error.message).toMatch(message);
    });

    it('non-string metadata', () => {
      const error = catchError(() => serializeSafetensors({}, { metadata: { a: 1 as unknown as string } }));
      expect(error).toMatchObject({ reason: 'invalid-entry' });
    });
  });
});

function roundHalf(v: number): number {
  const f32 = new Float32Array([v]);
  if (f32[0] === 0) return f32[0];
  // Independent reference: the nearest half is found by trying both neighbours in the table.
  let best = 0;
  let bestDistance = Infinity;
  for (let b = 0; b < 0x7c00; b++) {
    for (const bits of [b, b | 0x8000]) {
      const h = float16ToFloat32(bits);
      const d = Math.abs(h - f32[0]!);
      if (d < bestDistance || (d === bestDistance && (bits & 1) === 0)) {
        best = h;
        bestDistance = d;
      }
    }
  }
  return best;
}

function roundBf16(v: number): number {
  const f = Math.fround(v);
  const bits = new Uint32Array(new Float32Array([f]).buffer)[0]!;
  const lower = bfloat16ToFloat32(bits >>> 16);
  const upper = bfloat16ToFloat32((bits >>> 16) + 1);
  const dl = Math.abs(f - lower);
  const du = Math.abs(upper - f);
  if (dl < du) return lower;
  if (du < dl) return upper;
  return ((bits >>> 16) & 1) === 0 ? lower : upper;
}

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
