import { describe, expect, it } from 'vitest';
import { prepareEvents, prepareForecasting } from './prepare.js';
import { createSeries } from './series.js';

describe('prepareForecasting', () => {
  it('fits the scaler on training rows only and keeps targets inside each split', () => {
    const T = 200;
    const values = Float32Array.from({ length: T * 2 }, (_, i) => (i % 2 === 0 ? i : -i / 3));
    // A huge outlier in the test rows must not change the statistics.
    values[190 * 2] = 1e6;
    const series = createSeries(values, ['a', 'b'], { source: 'toy' });
    const data = prepareForecasting(series, { lookback: 10, horizon: 5, targets: ['b'] });
    let sum = 0;
    for (let t = 0; t < 140; t++) sum += values[t * 2]!;
    expect(data.scaler.mean[0]).toBeCloseTo(sum / 140, 6);
    expect(data.targetIndices).toEqual([1]);
    expect(data.train.count).toBe(140 - 15 + 1);
    expect(data.val.count).toBe(20 - 5 + 1);
    expect(data.test.count).toBe(40 - 5 + 1);
    expect(data.test.starts[0]! + 10).toBe(160);
    // Inputs are scaled with the training statistics.
    const x0 = data.train.inputs[0]!;
    expect(x0).toBeCloseTo((values[0]! - data.scaler.mean[0]!) / data.scaler.std[0]!, 5);
  });

  it('names the split that is too short', () => {
    const series = createSeries(new Float32Array(100), ['a'], { source: 'short.csv' });
    expect(() => prepareForecasting(series, { lookback: 10, horizon: 15 })).toThrow(
      'short.csv: the val split has 10 steps (+10 of context), too few for horizon 15 with lookback 10',
    );
  });
});

describe('prepareEvents', () => {
  it('chunks each split and fits the log-gap statistics on training events only', () => {
    const times = Float64Array.from({ length: 100 }, (_, k) => (k < 70 ? k : 70 + (k - 70) * 1000));
    const marks = Int32Array.from({ length: 100 }, (_, k) => k % 3);
    const data = prepareEvents(
      { times, marks, markCount: 3, markNames: ['a', 'b', 'c'], source: 's' },
      { length: 5, stride: 2 },
    );
    expect(data.logInterval).toEqual({ mean: 0, std: 1 });
    expect([data.train.count, data.val.count, data.test.count]).toEqual([33, 2, 4]);
    expect(data.val.starts[0]).toBe(70);
    expect(data.test.starts[0]).toBe(80);
  });
});
