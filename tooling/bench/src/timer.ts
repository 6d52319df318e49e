import type { BenchFn } from './types.js';

/** Options of {@link timeIt}. */
export interface TimeOptions {
  /** Minimum total timed duration in ms (default 300). */
  readonly minTimeMs?: number;
  /** Minimum repetitions (default 3). */
  readonly minReps?: number;
  /** Maximum repetitions (default 1000). */
  readonly maxReps?: number;
  /** Untimed warm-up repetitions (default 1). */
  readonly warmup?: number;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Times `fn`: warm-up calls, then repetitions until both `minReps` and `minTimeMs` are reached.
 * Returns the median milliseconds per call and the repetition count.
 */
export async function timeIt(fn: BenchFn, options: TimeOptions = {}): Promise<{ ms: number; reps: number }> {
  const minTime = options.minTimeMs ?? 300;
  const minReps = options.minReps ?? 3;
  const maxReps = options.maxReps ?? 1000;
  for (let i = 0; i < (options.warmup ?? 1); i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < maxReps && (samples.length < minReps || performance.now() - start < minTime)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { ms: median(samples), reps: samples.length };
}
