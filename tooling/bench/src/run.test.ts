import { describe, expect, it } from 'vitest';
import { defineSuite, median, runSuite, throughputOf, timeIt } from './index.js';

describe('timer', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('repeats until both the minimum count and time are reached', async () => {
    let calls = 0;
    const { reps } = await timeIt(() => void calls++, { minReps: 5, minTimeMs: 0, warmup: 2 });
    expect(reps).toBe(5);
    expect(calls).toBe(7);
  });
});

describe('runSuite', () => {
  it('converts work to giga-units and reports the baseline ratio measured in the same run', async () => {
    expect(throughputOf(2e9, 1000, 'GFLOP/s')).toBeCloseTo(2, 12);
    expect(throughputOf(1e6, 500, 'tokens/s')).toBeCloseTo(2e6, 6);
    const busy = (ms: number) => () => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const suite = defineSuite({
      name: 'demo',
      cases: () => [
        {
          name: 'fast',
          backend: 'cpu',
          size: 1,
          work: 1e9,
          unit: 'GB/s',
          ours: busy(2),
          baseline: { name: 'slow', fn: busy(8) },
        },
        { name: 'skipped', backend: 'cpu', size: 1, work: 1, unit: 'ops/s', ours: busy(1) },
      ],
    });
    const rows = await runSuite(suite, { minReps: 3, minTimeMs: 0, filter: /fast/ });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.baseline?.name).toBe('slow');
    // Our case busy-waits 2 ms and the baseline 8 ms: the ratio is about 4 (scheduling noise allowed).
    expect(row.ratio).toBeGreaterThan(2.5);
    expect(row.ratio).toBeLessThan(6);
    expect(row.throughput).toBeCloseTo(1e9 / (row.ms / 1000) / 1e9, 9);
  });
});
