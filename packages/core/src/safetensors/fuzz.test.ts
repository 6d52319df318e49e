import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SafetensorsError, type SafetensorsErrorReason } from './errors.js';
import { parseSafetensors } from './parse.js';
import { serializeSafetensors } from './serialize.js';

/** Small seeded PRNG (mulberry32): uniform floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(0x5afe7e45);
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

function seeds(): Uint8Array[] {
  const floats = new Float32Array(24).map((_, i) => Math.sin(i) * 100);
  const ints = new Int32Array(24).map((_, i) => i * 7 - 50);
  return [
    serializeSafetensors(
      {
        'model.embed.weight': { shape: [4, 6], data: floats },
        'model.norm.weight': { dtype: 'F16', shape: [6], data: floats.subarray(0, 6) },
        'model.layers.0.w': { dtype: 'BF16', shape: [2, 3], data: floats.subarray(0, 6) },
        positions: { dtype: 'I64', shape: [3], data: ints.subarray(0, 3) },
        ids: { dtype: 'I32', shape: [2, 2], data: ints.subarray(0, 4) },
        mask: { dtype: 'BOOL', shape: [2], data: new Int32Array([1, 0]) },
        scalar: { shape: [], data: new Float32Array([3]) },
        empty: { shape: [0, 4], data: new Float32Array(0) },
      },
      { metadata: { format: 'pt', note: 'fuzz seed' } },
    ),
    serializeSafetensors({
      a: { dtype: 'F64', shape: [2], data: floats.subarray(0, 2) },
      b: { dtype: 'I8', shape: [3], data: new Int32Array([1, -2, 3]) },
      c: { dtype: 'U8', shape: [1], data: new Int32Array([9]) },
      d: { dtype: 'I16', shape: [2], data: new Int32Array([-300, 300]) },
    }),
    serializeSafetensors({}),
    new Uint8Array(readFileSync(new URL('./__fixtures__/reference.safetensors', import.meta.url))),
  ];
}

function headerOf(bytes: Uint8Array): { text: string; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { text: new TextDecoder().decode(bytes.subarray(8, 8 + n)), data: bytes.subarray(8 + n) };
}

function assemble(text: string, data: Uint8Array, headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const DTYPES = [
  'F32',
  'F16',
  'BF16',
  'F64',
  'I64',
  'I32',
  'I16',
  'I8',
  'U8',
  'U16',
  'U32',
  'U64',
  'BOOL',
  'F8_E4M3',
  'F8_E5M2',
  'C64',
  'F4',
  'f32',
  '',
  3,
  null,
];
const NUMBERS = [
  0,
  1,
  2,
  3,
  4,
  7,
  8,
  12,
  16,
  24,
  100,
  -1,
  -8,
  1.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 60,
  1e300,
  Number.MAX_SAFE_INTEGER,
];
const JUNK_VALUES: unknown[] = [null, true, 'x', 1, [], {}, [[1]], { dtype: 'F32' }, [0, 4], ['0', '4']];

function randomNumber(): unknown {
  return random() < 0.8 ? pick(NUMBERS) : pick(JUNK_VALUES);
}

/** A structural edit of the header JSON. */
function editJson(text: string): string {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return text;
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const name = names.length > 0 ? pick(names) : 'new';
  const existing = header[name];
  const entry: Record<string, unknown> =
    typeof existing === 'object' && existing !== null && !Array.isArray(existing)
      ? (existing as Record<string, unknown>)
      : { dtype: 'F32', shape: [1], data_offsets: [0, 4] };
  const offsets = Array.isArray(entry.data_offsets) ? [...entry.data_offsets] : [0, 0];
  const shape = Array.isArray(entry.shape) ? [...entry.shape] : [];
  switch (int(14)) {
    case 0:
      offsets[int(2)] = randomNumber();
      entry.data_offsets = offsets;
      break;
    case 1:
      entry.data_offsets = [offsets[1], offsets[0]];
      break;
    case 2:
      entry.data_offsets = offsets.map((o) =>
        typeof o === 'number' ? o + pick([-4, -2, -1, 1, 2, 4, 8]) : o,
      );
      break;
    case 3:
      entry.dtype = pick(DTYPES);
      break;
    case 4:
      if (shape.length > 0) shape[int(shape.length)] = randomNumber();
      else shape.push(randomNumber());
      entry.shape = shape;
      break;
    case 5:
      if (random() < 0.5) shape.push(pick([0, 1, 2, 3]));
      else shape.pop();
      entry.shape = shape;
      break;
    case 6:
      delete entry[pick(['dtype', 'shape', 'data_offsets'])];
      break;
    case 7:
      entry[pick(['extra', 'offset', 'dtype'])] = pick(JUNK_VALUES);
      break;
    case 8:
      header[name] = pick(JUNK_VALUES);
      return JSON.stringify(header);
    case 9:
      header.__metadata__ = pick([
        null,
        { a: 1 },
        { a: 'b' },
        'meta',
        [],
        { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      ]);
      return JSON.stringify(header);
    case 10: {
      // Duplicate a key: the same entry text again, possibly with other offsets.
      const copy = JSON.stringify({ ...entry, data_offsets: random() < 0.5 ? entry.data_offsets : [0, 0] });
      return text.replace(/}\s*$/, `,${JSON.stringify(name)}:${copy}}`);
    }
    case 11:
      delete header[name];
      return JSON.stringify(header);
    case 12:
      header[`${name}.copy`] = { ...entry };
      return JSON.stringify(header);
    default:
      return JSON.stringify(random() < 0.5 ? [header] : pick([null, 1, '{}', true]));
  }
  header[name] = entry;
  return JSON.stringify(header);
}

/** One random corruption of a valid file. */
function corrupt(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  if (out.length < 8) return new Uint8Array([...out, int(256)]);
  const { text, data } = headerOf(bytes);
  switch (int(10)) {
    case 0: {
      const flips = 1 + int(8);
      for (let i = 0; i < flips; i++) {
        const at = int(out.length);
        out[at] = out[at]! ^ (1 << int(8));
      }
      return out;
    }
    case 1:
      return out.subarray(0, int(out.length));
    case 2: {
      const view = new DataView(out.buffer);
      const n = view.getBigUint64(0, true);
      const choice = int(5);
      const next =
        choice === 0
          ? n + BigInt(pick([-9, -8, -1, 1, 8, 100]))
          : choice === 1
            ? BigInt(int(out.length + 16))
            : choice === 2
              ? 2n ** BigInt(int(64))
              : choice === 3
                ? BigInt(int(2 ** 31))
                : 0n;
      view.setBigUint64(0, BigInt.asUintN(64, next), true);
      return out;
    }
    case 3: {
      const at = int(out.length + 1);
      const insert = new Uint8Array(1 + int(16)).map(() => int(256));
      const grown = new Uint8Array(out.length + insert.length);
      grown.set(out.subarray(0, at));
      grown.set(insert, at);
      grown.set(out.subarray(at), at + insert.length);
      return grown;
    }
    case 4: {
      const at = int(out.length);
      const length = 1 + int(16);
      return new Uint8Array([...out.subarray(0, at), ...out.subarray(at + length)]);
    }
    case 5:
    case 6: {
      let edited = text;
      const edits = 1 + int(3);
      for (let i = 0; i < edits; i++) edited = editJson(edited);
      return assemble(edited, data);
    }
    case 7: {
      // Overwrite part of the header with JSON-ish characters.
      const chars = '{}[]":,0123456789 -.eE\\uF';
      const start = 8 + int(Math.max(1, text.length));
      const length = 1 + int(8);
      for (let i = start; i < Math.min(start + length, out.length); i++)
        out[i] = chars.charCodeAt(int(chars.length));
      return out;
    }
    case 8: {
      // Splice a random piece of the header text into another place.
      const a = int(text.length + 1);
      const b = int(text.length + 1);
      const piece = text.slice(Math.min(a, b), Math.max(a, b));
      const at = int(text.length + 1);
      return assemble(text.slice(0, at) + piece + text.slice(at), data);
    }
    default:
      // Grow or shrink the data buffer.
      return random() < 0.5
        ? assemble(text, new Uint8Array([...data, ...new Uint8Array(1 + int(9))]))
        : assemble(text, data.subarray(0, int(data.length + 1)));
  }
}

describe('fuzzing parseSafetensors with corrupted files', () => {
  it('gives a SafetensorsError or a consistent file for every one of 6000 corruptions', () => {
    const bases = seeds();
    const reasons = new Map<SafetensorsErrorReason, number>();
    let accepted = 0;
    const start = performance.now();
    const iterations = 6000;
    for (let i = 0; i < iterations; i++) {
      const base = bases[i % bases.length]!;
      let bytes = corrupt(base);
      if (random() < 0.2) bytes = corrupt(bytes);
      try {
        const file = parseSafetensors(bytes, { fileName: `fuzz-${i}.safetensors` });
        for (const [name, info] of file.tensors) {
          const t = file.readTensor(name);
          const numel = info.shape.reduce((a, b) => a * b, 1);
          if (t.data.length !== numel || t.shape.length !== info.shape.length) {
            throw new Error(
              `case ${i}: tensor ${name} has ${t.data.length} elements for shape ${info.shape}`,
            );
          }
          if ((t.dtype === 'f32') !== t.data instanceof Float32Array)
            throw new Error(`case ${i}: wrong array type`);
        }
        accepted++;
      } catch (error) {
        if (!(error instanceof SafetensorsError)) {
          throw new Error(`case ${i}: expected a SafetensorsError, got ${String(error)}`, { cause: error });
        }
        expect(error.message.startsWith(`fuzz-${i}.safetensors`)).toBe(true);
        reasons.set(error.reason, (reasons.get(error.reason) ?? 0) + 1);
      }
    }
    const elapsed = performance.now() - start;
    // The corruptions exercise many checks, and some still leave valid files.
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(iterations * 0.8);
    for (const reason of [
      'header-too-large',
      'header-out-of-range',
      'invalid-json',
      'invalid-entry',
      'unknown-dtype',
      'size-mismatch',
      'offset-out-of-range',
      'overlapping-offsets',
      'gap',
      'duplicate-name',
      'value-out-of-range',
    ] as const) {
      expect(reasons.get(reason), reason).toBeGreaterThan(0);
    }
    expect(elapsed).toBeLessThan(5000);
  });
});
