import { describe, expect, it } from 'vitest';
import {
  createClassificationData,
  digitsFromTable,
  sampleClassification,
  shuffleSplit,
  subsetClassification,
} from './classification.js';
import { parseCsv } from './csv.js';

describe('classification data', () => {
  const data = createClassificationData({
    inputs: Float32Array.from({ length: 20 * 3 * 2 }, (_, k) => k),
    labels: Int32Array.from({ length: 20 }, (_, k) => k % 4),
    steps: 3,
    features: 2,
    classes: 4,
    source: 'toy',
  });

  it('subsets, splits and samples without losing or duplicating items', () => {
    const sub = subsetClassification(data, [5, 0]);
    expect(Array.from(sub.inputs)).toEqual([30, 31, 32, 33, 34, 35, 0, 1, 2, 3, 4, 5]);
    expect(Array.from(sub.labels)).toEqual([1, 0]);
    const { train, val, test } = shuffleSplit(data, { val: 0.1, test: 0.25, seed: 4 });
    expect([train.count, val.count, test.count]).toEqual([13, 2, 5]);
    const firsts = [train, val, test].flatMap((d) =>
      Array.from({ length: d.count }, (_, i) => d.inputs[i * 6]! / 6),
    );
    expect(firsts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, k) => k));
    expect(Array.from(shuffleSplit(data, { seed: 4 }).test.labels)).toEqual(
      Array.from(shuffleSplit(data, { seed: 4 }).test.labels),
    );
    expect(sampleClassification(data, 7, 1).count).toBe(7);
  });

  it('rejects labels out of range and digits rows of the wrong width', () => {
    expect(() =>
      createClassificationData({
        inputs: new Float32Array(2),
        labels: Int32Array.from([0, 5]),
        steps: 1,
        features: 1,
        classes: 3,
        source: 'bad.csv',
      }),
    ).toThrow('bad.csv, row 2: label 5 is outside [0, 3)');
    expect(() => digitsFromTable(parseCsv('1,2,3\n', { header: false, fileName: 'd.csv' }))).toThrow(
      /65 fields/,
    );
    const row = Array.from({ length: 64 }, () => '0');
    row[3] = '17';
    expect(() =>
      digitsFromTable(parseCsv(`${row.join(',')},1\n`, { header: false, fileName: 'd.csv' })),
    ).toThrow('d.csv, row 1, column 4: pixel 17 is outside 0..16');
  });
});
