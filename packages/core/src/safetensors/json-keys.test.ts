import { describe, expect, it } from 'vitest';
import { findDuplicateKey } from './json-keys.js';

describe('findDuplicateKey', () => {
  it('returns null when keys are unique', () => {
    expect(findDuplicateKey('{"a":1,"b":{"a":2,"b":[{"a":3},{"a":4}]},"c":"a"}')).toBeNull();
    expect(findDuplicateKey('[]')).toBeNull();
    expect(findDuplicateKey('  {}  ')).toBeNull();
  });

  it('finds top-level duplicates, also when spelled with escapes', () => {
    expect(findDuplicateKey('{"a":1,"b":2,"a":3}')).toEqual(['a']);
    expect(findDuplicateKey('{"a":1,"\\u0061":3}')).toEqual(['a']);
    expect(findDuplicateKey('{"x\\"y":1, "x\\"y" :2}')).toEqual(['x"y']);
  });

  it('ignores strings that are values, and equal keys in different objects', () => {
    expect(findDuplicateKey('{"a":"b","b":"a"}')).toBeNull();
    expect(findDuplicateKey('{"a":{"k":1},"b":{"k":1}}')).toBeNull();
    expect(findDuplicateKey('{"a":["k","k"],"k":1}')).toBeNull();
  });

  it('returns the path of nested duplicates, skipping arrays', () => {
    expect(findDuplicateKey('{"t":{"dtype":"F32","dtype":"F16"}}')).toEqual(['t', 'dtype']);
    expect(findDuplicateKey('{"t":[{"k":1,"k":2}]}')).toEqual(['t', 'k']);
  });

  it('terminates on malformed text', () => {
    for (const text of ['{"a', '{"a":1,"a', '"\\', '}}}]]]', '{{{{', '{"a":"\\', '{,,,"a","a"']) {
      expect(() => findDuplicateKey(text)).not.toThrow();
    }
  });
});
