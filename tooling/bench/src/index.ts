/**
 * `@aaren/bench`: the workspace benchmark harness. A benchmark file (`bench/*.bench.ts` in any package)
 * default-exports a {@link BenchSuite}; `pnpm bench` finds them, times each case and its baseline in the
 * same run, prints a table and writes JSON to `bench-results/`.
 * @packageDocumentation
 */
export { fillUniform, isQuickBench, uniformFloat32, uniformFloat64 } from './data.js';
export { formatRow, runSuite, throughputOf } from './run.js';
export { median, type TimeOptions, timeIt } from './timer.js';
export type { BenchCase, BenchFn, BenchResult, BenchSuite, ThroughputUnit, Timed } from './types.js';

import type { BenchSuite } from './types.js';

/** Identity helper that types a benchmark file's default export. */
export function defineSuite(suite: BenchSuite): BenchSuite {
  return suite;
}
