/**
 * Where the CLI writes: results to `stdout`, progress and messages to `stderr` (injectable for tests).
 * @packageDocumentation
 */
import type { ProgressStream } from './progress.js';

/** Output streams of a CLI run. */
export interface CliIo {
  /** Results (tables, CSV, JSON). */
  readonly stdout: ProgressStream;
  /** Progress bars and messages. */
  readonly stderr: ProgressStream;
}

/** The process's streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr };
}

/** Writes one line. */
export function println(stream: ProgressStream, text = ''): void {
  stream.write(`${text}\n`);
}

/** Formats a metrics object as `name value` pairs with 4 significant decimals. */
export function formatMetrics(metrics: Readonly<Record<string, number>>): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k} ${Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4)}`)
    .join('  ');
}
