import { describe, expect, it } from 'vitest';
import { SafetensorsError, type SafetensorsErrorReason } from './errors.js';
import { parseSafetensors } from './parse.js';

/** A file with header text `header` (JSON text or a value to stringify) and `data` as the byte buffer. */
function build(header: string | object, data: Uint8Array | number = 0, headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const buffer = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + buffer.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(buffer, 8 + json.length);
  return out;
}

const f32 = (begin: number, end: number, shape = [(end - begin) / 4]) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, end],
});

function errorOf(bytes: Uint8Array, read?: string): SafetensorsError {
  try {
    const file = parseSafetensors(bytes, { fileName: 'model.safetensors' });
    if (read !== undefined) file.readTensor(read);
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    return error as SafetensorsError;
  }
  throw new Error('expected a SafetensorsError');
}

function expectError(
  bytes: Uint8Array,
  reason: SafetensorsErrorReason,
  tensorName: string | undefined,
  message: RegExp | string,
  read?: string,
): void {
  const error = errorOf(bytes, read);
  expect(error.reason).toBe(reason);
  expect(error.code).toBe('E_SAFETENSORS');
  expect(error.fileName).toBe('model.safetensors');
  expect(error.tensorName).toBe(tensorName);
  expect(error.message.startsWith('model.safetensors: ')).toBe(true);
  if (tensorName !== undefined) expect(error.message).toContain(`tensor '${tensorName}'`);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

describe('parseSafetensors accepts', () => {
  it('a minimal file and reads it', () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    const file = parseSafetensors(build({ w: f32(0, 12) }, data));
    expect(file.fileName).toBe('<safetensors>');
    expect(file.readTensor('w')).toEqual({
      dtype: 'f32',
      shape: [3],
      data: new Float32Array([1, 2, 3]),
      storedDType: 'F32',
    });
    expect(file.has('w')).toBe(true);
    expect(file.has('x')).toBe(false);
    expect(file.tensorBytes('w')).toEqual(data);
  });

  it('unaligned data, whitespace around the JSON, null metadata and stacked empty tensors', () => {
    const values = new Float32Array([1.25, -7]);
    const header = ` \n{"__metadata__":null,"e1":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"e2":{"dtype":"I64","shape":[2,0],"data_offsets":[0,0]},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}\t\r\n `;
    const unpadded = build(header, new Uint8Array(values.buffer));
    // Put the whole file at an odd offset of a larger buffer.
    const holder = new Uint8Array(unpadded.length + 3);
    holder.set(unpadded, 3);
    const bytes = holder.subarray(3);
    expect((8 + new TextEncoder().encode(header).length) % 4).not.toBe(0);
    const file = parseSafetensors(bytes);
    expect(file.metadata).toEqual({});
    expect([...file.readTensor('w').data]).toEqual([1.25, -7]);
    expect(file.readTensor('e2')).toMatchObject({ dtype: 'i32', shape: [2, 0], data: new Int32Array(0) });
  });

  it('a header with 20 000 tensors, in linear time', () => {
    const header: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) header[`layers.${i}.w`] = f32(4 * i, 4 * i + 4);
    const start = performance.now();
    const file = parseSafetensors(build(header, 80_000));
    expect(file.tensors.size).toBe(20_000);
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it('an empty table', () => {
    expect(parseSafetensors(build('{}')).tensors.size).toBe(0);
  });

  it('tensors in any header order, listing them in data order', () => {
    const file = parseSafetensors(build({ b: f32(4, 8), a: f32(8, 12), c: f32(0, 4) }, 12));
    expect([...file.tensors.keys()]).toEqual(['c', 'b', 'a']);
    expect(file.info('a')).toMatchObject({
      dataOffsets: [8, 12],
      byteOffset: file.dataByteOffset + 8,
      byteLength: 4,
    });
  });

  it('BOOL bytes other than 0/1 as true, and every integer dtype', () => {
    const file = parseSafetensors(
      build(
        {
          b: { dtype: 'BOOL', shape: [3], data_offsets: [0, 3] },
          u8: { dtype: 'U8', shape: [1], data_offsets: [3, 4] },
          i8: { dtype: 'I8', shape: [1], data_offsets: [4, 5] },
          i16: { dtype: 'I16', shape: [1], data_offsets: [5, 7] },
          u16: { dtype: 'U16', shape: [1], data_offsets: [7, 9] },
        },
        new Uint8Array([0, 2, 255, 200, 0xff, 0x00, 0x80, 0xff, 0xff]),
      ),
    );
    expect([...file.readTensor('b').data]).toEqual([0, 1, 1]);
    expect([...file.readTensor('u8').data]).toEqual([200]);
    expect([...file.readTensor('i8').data]).toEqual([-1]);
    expect([...file.readTensor('i16').data]).toEqual([-32768]);
    expect([...file.readTensor('u16').data]).toEqual([65535]);
  });
});

describe('parseSafetensors rejects, naming the file and tensor', () => {
  it('header-too-large', () => {
    expectError(
      build('{}', 0, 200_000_000n),
      'header-too-large',
      undefined,
      /header length 200000000 exceeds the limit of 100000000 bytes/,
    );
    expectError(build('{}', 0, 2n ** 63n + 5n), 'header-too-large', undefined, /9223372036854775813/);
    const error = (() => {
      try {
        parseSafetensors(build('{"a":"a very long header"}'), { maxHeaderBytes: 8 });
      } catch (e) {
        return e as SafetensorsError;
      }
    })();
    expect(error?.reason).toBe('header-too-large');
  });

  it('header-out-of-range: a file shorter than 8 bytes, or a header length past the end', () => {
    expectError(new Uint8Array([2, 0, 0]), 'header-out-of-range', undefined, /file has only 3 bytes/);
    expectError(
      build('{}', 0, 100n),
      'header-out-of-range',
      undefined,
      'model.safetensors: header length 100 reaches past the end of the file (10 bytes)',
    );
  });

  it('invalid-json: bad UTF-8, bad JSON, BOM, a non-object', () => {
    const badUtf8 = build('{}');
    badUtf8[8] = 0xff;
    expectError(badUtf8, 'invalid-json', undefined, /not valid UTF-8/);
    expectError(build('{"a":'), 'invalid-json', undefined, /not valid JSON/);
    expectError(build('\ufeff{}'), 'invalid-json', undefined, /not valid JSON/);
    expectError(build('{}\0\0'), 'invalid-json', undefined, /not valid JSON/);
    expectError(build('[]'), 'invalid-json', undefined, /must be a JSON object, got an array/);
    expectError(build('null'), 'invalid-json', undefined, /got null/);
    expectError(build('12'), 'invalid-json', undefined, /got number 12/);
  });

  it('invalid-entry: wrong, missing or extra fields', () => {
    expectError(build({ w: [1] }), 'invalid-entry', 'w', /entry must be an object, got an array/);
    expectError(
      build({ w: { dtype: 'F32', data_offsets: [0, 0] } }),
      'invalid-entry',
      'w',
      /no 'shape' field/,
    );
    expectError(
      build({ w: { ...f32(0, 4), extra: 1 } }, 4),
      'invalid-entry',
      'w',
      /unexpected field "extra"/,
    );
    expectError(
      build({ w: { ...f32(0, 4), dtype: 4 } }, 4),
      'invalid-entry',
      'w',
      /dtype must be a string, got number 4/,
    );
    expectError(
      build({ w: f32(0, 4, [-1]) }, 4),
      'invalid-entry',
      'w',
      /shape must be an array of non-negative integers/,
    );
    expectError(build({ w: f32(0, 4, [1.5]) }, 4), 'invalid-entry', 'w', /shape/);
    expectError(build({ w: { ...f32(0, 4), shape: '1' } }, 4), 'invalid-entry', 'w', /shape/);
    expectError(
      build({ w: { ...f32(0, 4), data_offsets: [0, 4, 4] } }, 4),
      'invalid-entry',
      'w',
      /data_offsets must be \[begin, end\]/,
    );
    expectError(
      build({ w: { ...f32(0, 4), data_offsets: [0, 2 ** 60] } }, 4),
      'invalid-entry',
      'w',
      /data_offsets/,
    );
    expectError(
      build('{"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4),
      'invalid-entry',
      'w',
      /duplicate key "dtype"/,
    );
  });

  it('invalid-entry: malformed __metadata__', () => {
    expectError(
      build({ __metadata__: { a: 1 } }),
      'invalid-entry',
      undefined,
      /__metadata__ value of "a" must be a string, got number 1/,
    );
    expectError(build({ __metadata__: ['a'] }), 'invalid-entry', undefined, /__metadata__ must be an object/);
    expectError(
      build('{"__metadata__":{"a":"1","a":"2"}}'),
      'invalid-entry',
      undefined,
      /__metadata__ has duplicate key "a"/,
    );
  });

  it('unknown-dtype', () => {
    expectError(
      build({ w: { ...f32(0, 4), dtype: 'f32' } }, 4),
      'unknown-dtype',
      'w',
      /unknown or unsupported dtype "f32" \(supported: F64, F32/,
    );
    expectError(
      build({ w: { ...f32(0, 1), dtype: 'F8_E8M0', shape: [1] } }, 1),
      'unknown-dtype',
      'w',
      /F8_E8M0/,
    );
  });

  it('size-mismatch', () => {
    expectError(
      build({ 'layers.0.w': f32(0, 20, [2, 3]) }, 20),
      'size-mismatch',
      'layers.0.w',
      "model.safetensors: tensor 'layers.0.w': shape [2, 3] × F32 needs 24 bytes but data_offsets [0, 20] hold 20",
    );
    expectError(
      build({ w: f32(0, 4, [2 ** 40, 2 ** 40]) }, 4),
      'size-mismatch',
      'w',
      /needs more than 2\^53 bytes/,
    );
    expectError(build({ w: f32(0, 4, []) }, 8), 'gap', undefined, /bytes \[4, 8\) at the end/);
  });

  it('offset-out-of-range: past the buffer, or reversed', () => {
    expectError(
      build({ w: f32(0, 16) }, 12),
      'offset-out-of-range',
      'w',
      "model.safetensors: tensor 'w': data_offsets [0, 16] reach past the end of the data buffer (12 bytes)",
    );
    expectError(
      build({ w: { ...f32(0, 4), data_offsets: [4, 0] } }, 4),
      'offset-out-of-range',
      'w',
      /\[4, 0\] are reversed/,
    );
  });

  it('overlapping-offsets', () => {
    expectError(
      build({ a: f32(0, 8), b: f32(4, 12) }, 12),
      'overlapping-offsets',
      'b',
      "model.safetensors: tensor 'b': data_offsets [4, 12] overlap with tensor 'a' (data_offsets [0, 8])",
    );
    expectError(
      build({ a: f32(0, 8), b: f32(0, 8) }, 8),
      'overlapping-offsets',
      'b',
      /overlap with tensor 'a'/,
    );
    expectError(build({ a: f32(0, 8), e: f32(4, 4, [0]) }, 8), 'overlapping-offsets', 'e', /overlap/);
  });

  it('gap: unused bytes between tensors or at the end', () => {
    expectError(
      build({ a: f32(0, 4), b: f32(8, 12) }, 12),
      'gap',
      'b',
      /leave bytes \[4, 8\) of the data buffer unused/,
    );
    expectError(build({ a: f32(4, 8) }, 8), 'gap', 'a', /leave bytes \[0, 4\)/);
    expectError(
      build({ a: f32(0, 4) }, 5),
      'gap',
      undefined,
      'model.safetensors: bytes [4, 5) at the end of the data buffer belong to no tensor',
    );
  });

  it('duplicate-name', () => {
    const header =
      '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\\u0077":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    expectError(
      build(header, 4),
      'duplicate-name',
      'w',
      "model.safetensors: tensor 'w': name appears more than once in the header",
    );
  });

  it('value-out-of-range for I64, U64 and U32 beyond int32', () => {
    const i64 = new BigInt64Array([5n, -(2n ** 31n) - 1n]);
    expectError(
      build({ big: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(i64.buffer)),
      'value-out-of-range',
      'big',
      "model.safetensors: tensor 'big': I64 value -2147483649 at flat index 1 does not fit in int32",
      'big',
    );
    const u64 = new BigUint64Array([2n ** 63n]);
    expectError(
      build({ u: { dtype: 'U64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(u64.buffer)),
      'value-out-of-range',
      'u',
      /U64 value 9223372036854775808/,
      'u',
    );
    const u32 = new Uint32Array([2 ** 31]);
    expectError(
      build({ u: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(u32.buffer)),
      'value-out-of-range',
      'u',
      /U32 value 2147483648/,
      'u',
    );
  });

  it('missing-tensor when reading a name the file lacks', () => {
    expectError(build({ w: f32(0, 4) }, 4), 'missing-tensor', 'nope', /no tensor of this name/, 'nope');
  });

  it('deeply nested JSON without overflowing the stack', () => {
    const depth = 200_000;
    expectError(
      build(`{"w":${'['.repeat(depth)}${']'.repeat(depth)}}`),
      'invalid-entry',
      'w',
      /entry must be an object/,
    );
    expectError(
      build(`{"w":{"shape":${'['.repeat(depth)}${']'.repeat(depth)}}}`),
      'invalid-entry',
      'w',
      /no 'dtype'/,
    );
  });

  it('quotes awkward tensor names safely', () => {
    const error = errorOf(build({ "it's\n": f32(0, 8) }, 4));
    expect(error.tensorName).toBe("it's\n");
    expect(error.message).toContain("tensor 'it\\'s\\n'");
  });
});
