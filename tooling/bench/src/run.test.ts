import { describe, expect, it, vi } from 'vitest';
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
    // A fake clock makes the timings exact: each call of a case advances it by that case's cost.
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    const costs = (ms: number) => () => {
      now += ms;
    };
    try {
      const suite = defineSuite({
        name: 'demo',
        cases: () => [
          {
            name: 'fast',
            backend: 'cpu',
            size: 1,
            work: 1e9,
            unit: 'GB/s',
            ours: costs(2),
            baseline: { name: 'slow', fn: costs(8) },
          },
          { name: 'skipped', backend: 'cpu', size: 1, work: 1, unit: 'ops/s', ours: costs(1) },
        ],
      });
      const rows = await runSuite(suite, { minReps: 3, minTimeMs: 0, filter: /fast/ });
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row.baseline?.name).toBe('slow');
      expect(row.ms).toBe(2);
      expect(row.baseline?.ms).toBe(8);
      expect(row.ratio).toBe(4);
      expect(row.throughput).toBeCloseTo(500, 9); // 1e9 bytes in 2 ms = 500 GB/s
    } finally {
      clock.mockRestore();
    }
  });
});
