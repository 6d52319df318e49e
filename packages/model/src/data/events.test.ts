import { describe, expect, it } from 'vitest';
import { earthquakesFromGeoJson, eventChunks, logIntervalStats } from './events.js';

const feature = (time: number, mag: number | null) => ({ properties: { time, mag } });

describe('earthquakesFromGeoJson', () => {
  it('sorts by time and bins magnitudes', () => {
    const seq = earthquakesFromGeoJson({
      features: [feature(5000, 2.5), feature(1000, 0.4), feature(3000, 4.1), feature(3000, 1)],
    });
    expect(Array.from(seq.times)).toEqual([0, 2, 2, 4]);
    expect(Array.from(seq.marks)).toEqual([0, 3, 1, 2]);
    expect(seq.origin).toBe(1000);
  });

  it('names the feature with a missing magnitude', () => {
    expect(() =>
      earthquakesFromGeoJson({ features: [feature(1, 1), feature(2, null)] }, { fileName: 'q.json' }),
    ).toThrow("q.json, row 2, column 'properties.mag': feature 1 has no numeric magnitude");
    expect(() => earthquakesFromGeoJson({ type: 'x' })).toThrow(/FeatureCollection/);
  });
});

describe('eventChunks', () => {
  const times = Float64Array.from([0, 1, 3, 6, 10, 15, 21, 28]);
  const marks = Int32Array.from([0, 1, 0, 2, 1, 1, 0, 2]);
  const seq = { times, marks, markCount: 3, markNames: ['a', 'b', 'c'], source: 's' };

  it('equals plain loops, with times measured from the event before each chunk', () => {
    const c = eventChunks(seq, { length: 3, stride: 2 });
    const expectedMarks: number[] = [];
    const expectedTimes: number[] = [];
    const starts: number[] = [];
    for (let s = 1; s + 3 <= 8; s += 2) {
      starts.push(s);
      for (let k = 0; k < 3; k++) {
        expectedMarks.push(marks[s + k]!);
        expectedTimes.push(times[s + k]! - times[s - 1]!);
      }
    }
    expect(c.count).toBe(starts.length);
    expect(Array.from(c.starts)).toEqual(starts);
    expect(Array.from(c.marks)).toEqual(expectedMarks);
    expect(Array.from(c.times)).toEqual(expectedTimes);
    expect(eventChunks(seq, { length: 2, range: { start: 4, end: 8 } }).starts).toEqual(
      Int32Array.from([4, 6]),
    );
    expect(() => eventChunks(seq, { length: 8 })).toThrow(/7 events are too few for a chunk of 8/);
  });

  it('computes log-gap statistics over a range only', () => {
    const stats = logIntervalStats(seq, { start: 0, end: 4 });
    const logs = [1, 2, 3].map(Math.log);
    const mean = logs.reduce((a, b) => a + b) / 3;
    expect(stats.mean).toBeCloseTo(mean, 12);
    expect(stats.std).toBeCloseTo(Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / 3), 12);
  });
});
