import { type TimeOptions, timeIt } from './timer.js';
import type { BenchResult, BenchSuite } from './types.js';

/** Throughput in the case's unit for `work` done in `ms` milliseconds (giga-units for GB/s and GFLOP/s). */
export function throughputOf(work: number, ms: number, unit: BenchResult['unit']): number {
  const perSecond = work / (ms / 1000);
  return unit === 'GB/s' || unit === 'GFLOP/s'
    ? perSecond / 1e9
    : unit === 'Melem/s'
      ? perSecond / 1e6
      : perSecond;
}

/** Runs every case of `suite`, timing ours and the baseline back to back, and returns the result rows. */
export async function runSuite(
  suite: BenchSuite,
  options: TimeOptions & { filter?: RegExp; onResult?: (r: BenchResult) => void } = {},
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const c of await suite.cases()) {
    if (options.filter && !options.filter.test(`${suite.name}/${c.name}`)) continue;
    await c.setup?.();
    try {
      const ours = await timeIt(c.ours, options);
      const base = c.baseline ? await timeIt(c.baseline.fn, options) : null;
      const result: BenchResult = {
        suite: suite.name,
        name: c.name,
        backend: c.backend,
        size: c.size,
        ms: ours.ms,
        throughput: throughputOf(c.work, ours.ms, c.unit),
        unit: c.unit,
        baseline:
          c.baseline && base
            ? { name: c.baseline.name, ms: base.ms, throughput: throughputOf(c.work, base.ms, c.unit) }
            : null,
        ratio: base ? base.ms / ours.ms : null,
        repetitions: ours.reps,
        ...(c.extra?.() ?? {}),
      };
      results.push(result);
      options.onResult?.(result);
    } finally {
      await c.teardown?.();
    }
  }
  return results;
}

/** Formats one result as a table row. */
export function formatRow(r: BenchResult): string {
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3));
  const base = r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.throughput)} ${r.unit}` : '-';
  const ratio = r.ratio === null ? '' : `  ×${fmt(r.ratio)}`;
  return `${`${r.suite}/${r.name}`.padEnd(44)} ${String(r.size).padEnd(18)} ${fmt(r.ms).padStart(9)} ms ${fmt(r.throughput).padStart(9)} ${r.unit.padEnd(8)} | ${base}${ratio}`;
}
