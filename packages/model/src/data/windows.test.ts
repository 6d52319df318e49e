import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { DataOptionError } from './errors.js';
import { StandardScaler } from './scaler.js';
import { createSeries, selectColumns, sliceSeries, tableToSeries } from './series.js';
import { chronologicalSplit } from './split.js';
import { slidingWindows, windowCount } from './windows.js';

function randomSeries(T: number, C: number, seed = 1) {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 10 - 3;
  const values = Float32Array.from({ length: T * C }, next);
  return createSeries(
    values,
    Array.from({ length: C }, (_, c) => `c${c}`),
    { source: 'random' },
  );
}

describe('slidingWindows', () => {
  it('equals plain loops for every stride, range and target choice', () => {
    const series = randomSeries(50, 3);
    for (const [L, H, stride, start, end, targets] of [
      [5, 2, 1, 0, 50, [0, 1, 2]],
      [7, 3, 2, 4, 45, [2]],
      [1, 1, 5, 0, 50, [1, 0]],
      [10, 40, 1, 0, 50, [0]],
    ] as const) {
      const w = slidingWindows(series, { lookback: L, horizon: H, stride, range: { start, end }, targets });
      const expected: { x: number[]; y: number[] }[] = [];
      for (let s = start; s + L + H <= end; s += stride) {
        const x: number[] = [];
        const y: number[] = [];
        for (let t = s; t < s + L; t++) for (let c = 0; c < 3; c++) x.push(series.values[t * 3 + c]!);
        for (let t = s + L; t < s + L + H; t++) for (const c of targets) y.push(series.values[t * 3 + c]!);
        expected.push({ x, y });
      }
      expect(w.count).toBe(expected.length);
      expect(windowCount(end - start, L, H, stride)).toBe(expected.length);
      expect(Array.from(w.inputs)).toEqual(expected.flatMap((e) => e.x));
      expect(Array.from(w.targets)).toEqual(expected.flatMap((e) => e.y));
      expect(w.starts[0]).toBe(start);
    }
  });

  it('accepts target names and rejects bad options', () => {
    const series = randomSeries(20, 2);
    expect(slidingWindows(series, { lookback: 3, horizon: 2, targets: ['c1'] }).targetIndices).toEqual([1]);
    expect(() => slidingWindows(series, { lookback: 3, horizon: 2, targets: ['zz'] })).toThrow(
      /no target column "zz"/,
    );
    expect(() => slidingWindows(series, { lookback: 15, horizon: 6 })).toThrow(DataOptionError);
    expect(() => slidingWindows(series, { lookback: 0, horizon: 6 })).toThrow(
      /lookback must be a positive integer/,
    );
    expect(() => slidingWindows(series, { lookback: 2, horizon: 2, range: { start: 5, end: 30 } })).toThrow(
      /outside/,
    );
  });
});

describe('chronologicalSplit', () => {
  it('matches the Informer/Autoformer borders', () => {
    for (const T of [1461, 7305, 8759, 1000, 17]) {
      for (const L of [0, 5]) {
        const split = chronologicalSplit(T, { lookback: L });
        const nTrain = Math.floor(T * 0.7);
        const nTest = Math.floor(T * 0.2);
        const nVal = T - nTrain - nTest;
        expect(split.train).toEqual({ start: 0, end: nTrain, ownStart: 0 });
        expect(split.val).toEqual({ start: nTrain - L, end: nTrain + nVal, ownStart: nTrain });
        expect(split.test).toEqual({ start: T - nTest - L, end: T, ownStart: T - nTest });
      }
    }
    expect(chronologicalSplit(1000, { lookback: 96 }).val).toEqual({ start: 604, end: 800, ownStart: 700 });
  });

  it('keeps targets inside their split', () => {
    const series = randomSeries(300, 1);
    const split = chronologicalSplit(300, { lookback: 12 });
    const w = slidingWindows(series, { lookback: 12, horizon: 5, range: split.test });
    for (const s of w.starts) expect(s + 12).toBeGreaterThanOrEqual(split.test.ownStart);
  });

  it('rejects bad fractions', () => {
    expect(() => chronologicalSplit(100, { train: 0.8, val: 0.1, test: 0.2 })).toThrow(/sum to 1/);
    expect(() => chronologicalSplit(10, { lookback: 8 })).toThrow(/longer than the 7 training steps/);
  });
});

describe('StandardScaler', () => {
  it('is fitted on the training rows only', () => {
    const series = randomSeries(100, 2);
    // Make the test part wildly different: the statistics must not move.
    const shifted = Float32Array.from(series.values);
    for (let i = 70 * 2; i < shifted.length; i++) shifted[i] = shifted[i]! * 100 + 1e4;
    const a = StandardScaler.fit(series, { start: 0, end: 70 });
    const b = StandardScaler.fit(createSeries(shifted, series.columns), chronologicalSplit(100).train);
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
    expect(Array.from(a.std)).toEqual(Array.from(b.std));
    for (let c = 0; c < 2; c++) {
      let sum = 0;
      for (let t = 0; t < 70; t++) sum += series.values[t * 2 + c]!;
      const mean = sum / 70;
      let sq = 0;
      for (let t = 0; t < 70; t++) sq += (series.values[t * 2 + c]! - mean) ** 2;
      expect(a.mean[c]).toBeCloseTo(mean, 10);
      expect(a.std[c]).toBeCloseTo(Math.sqrt(sq / 70), 10);
    }
    const scaled = a.transform(series);
    for (let t = 0; t < 100; t++) {
      for (let c = 0; c < 2; c++) {
        expect(scaled.values[t * 2 + c]).toBeCloseTo((series.values[t * 2 + c]! - a.mean[c]!) / a.std[c]!, 5);
      }
    }
    const back = a.inverseTransform(scaled);
    back.values.forEach((v, i) => {
      expect(v).toBeCloseTo(series.values[i]!, 4);
    });
  });

  it('scales selected channels, survives JSON and handles constant channels', () => {
    const series = createSeries(Float32Array.from([1, 5, 2, 5, 3, 5]), ['a', 'b']);
    const scaler = StandardScaler.fit(series);
    expect(Array.from(scaler.std)).toEqual([Math.sqrt(2 / 3), 1]);
    const restored = StandardScaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
    expect(Array.from(restored.transformValues(Float32Array.from([5, 5]), [1, 1]))).toEqual([0, 0]);
    expect(Array.from(restored.inverseTransformValues(Float32Array.from([0]), [0]))).toEqual([2]);
    expect(() => scaler.transformValues(Float32Array.from([1]), [2])).toThrow(
      /outside the 2 fitted channels/,
    );
  });
});

describe('series helpers', () => {
  it('builds series from tables and slices and selects columns', () => {
    const table = parseCsv('date,a,b,w\n2020-01-01,1,2,x\n2020-01-02,3,4,y\n2020-01-03,5,6,z\n', {
      fileName: 's.csv',
    });
    const series = tableToSeries(table, { timeColumn: 'date' });
    expect(series.columns).toEqual(['a', 'b']);
    expect(Array.from(series.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(series.timestamps?.[2]).toBe(Date.UTC(2020, 0, 3));
    expect(Array.from(sliceSeries(series, 1, 3).values)).toEqual([3, 4, 5, 6]);
    expect(Array.from(selectColumns(series, ['b']).values)).toEqual([2, 4, 6]);
    expect(() => tableToSeries(table, { columns: ['w'] })).toThrow(
      "s.csv, row 2, column 'w': 'x' is not a number",
    );
    expect(() => createSeries(new Float32Array(5), ['a', 'b'])).toThrow(/do not fill rows/);
  });
});
