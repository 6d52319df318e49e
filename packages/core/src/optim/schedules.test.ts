import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { constantSchedule, cosineDecay, linearWarmup, stepDecay, warmupCosine } from './schedules.js';

/** Hugging Face transformers `get_cosine_schedule_with_warmup` (num_cycles = 0.5), its formula verbatim. */
function hfCosineWithWarmup(baseLr: number, warmup: number, total: number, step: number): number {
  const numCycles = 0.5;
  let factor: number;
  if (step < warmup) factor = step / Math.max(1, warmup);
  else {
    const progress = (step - warmup) / Math.max(1, total - warmup);
    factor = Math.max(0, 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress)));
  }
  return baseLr * factor;
}

describe('schedules', () => {
  it('warmupCosine equals Hugging Face get_cosine_schedule_with_warmup for minLr = 0', () => {
    for (const [warmup, total] of [
      [10, 100],
      [0, 50],
      [1, 2],
      [7, 7],
    ] as const) {
      const sched = warmupCosine({ warmupSteps: warmup, totalSteps: total, peakLr: 3e-4 });
      for (let s = 0; s <= total; s++) {
        expect(sched(s)).toBeCloseTo(hfCosineWithWarmup(3e-4, warmup, total, s), 18);
      }
    }
  });

  it('warmupCosine: warm-up from 0 to peak, cosine to minLr, then flat', () => {
    const sched = warmupCosine({ warmupSteps: 4, totalSteps: 14, peakLr: 1, minLr: 0.1 });
    expect(sched(0)).toBe(0);
    expect(sched(2)).toBe(0.5);
    expect(sched(4)).toBe(1);
    expect(sched(9)).toBeCloseTo(0.55, 15);
    expect(sched(14)).toBeCloseTo(0.1, 15);
    expect(sched(1000)).toBeCloseTo(0.1, 15);
    for (let s = 5; s <= 14; s++) expect(sched(s)).toBeLessThan(sched(s - 1));
    // Hugging Face get_cosine_with_min_lr_schedule_with_warmup: factor·(1 − r) + r with r = minLr/peak.
    const hf = (s: number) => {
      const f = hfCosineWithWarmup(1, 4, 14, s);
      return s < 4 ? f : f * (1 - 0.1) + 0.1;
    };
    for (let s = 4; s <= 14; s++) expect(sched(s)).toBeCloseTo(hf(s), 14);
  });

  it('cosineDecay, linearWarmup, constantSchedule, stepDecay', () => {
    const cos = cosineDecay({ totalSteps: 10, peakLr: 2, minLr: 0 });
    expect(cos(0)).toBe(2);
    expect(cos(5)).toBeCloseTo(1, 15);
    expect(cos(10)).toBeCloseTo(0, 15);
    const warm = linearWarmup({ warmupSteps: 5, peakLr: 1e-3 });
    expect([0, 1, 5, 100].map(warm)).toEqual([0, 2e-4, 1e-3, 1e-3]);
    expect(constantSchedule(0.3)(12345)).toBe(0.3);
    const sd = stepDecay({ initialLr: 1, stepSize: 3, gamma: 0.5 });
    expect([0, 2, 3, 5, 6, 9].map(sd)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
  });

  it('validates arguments', () => {
    expect(() => warmupCosine({ warmupSteps: 10, totalSteps: 5, peakLr: 1 })).toThrow(InvalidArgumentError);
    expect(() => warmupCosine({ warmupSteps: 1, totalSteps: 5, peakLr: 1, minLr: 2 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => stepDecay({ initialLr: 1, stepSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => constantSchedule(-1)).toThrow(InvalidArgumentError);
    expect(() => constantSchedule(1)(-1)).toThrow(InvalidArgumentError);
  });
});
