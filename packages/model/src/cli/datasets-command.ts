/**
 * `aaren datasets`: lists the built-in datasets, where they come from, and whether they are installed.
 * @packageDocumentation
 */
import { DATASET_NAMES, DATASETS, isDatasetInstalled } from '../data/node/registry.js';
import type { ParsedOptions } from './args.js';
import { type CliIo, println } from './io.js';

/** Runs `aaren datasets`. Returns the exit code. */
export async function datasetsCommand(values: ParsedOptions, io: CliIo): Promise<number> {
  const rows = await Promise.all(
    DATASET_NAMES.map(async (name) => ({ ...DATASETS[name], installed: await isDatasetInstalled(name) })),
  );
  if (values.json === true) {
    println(io.stdout, JSON.stringify(rows, null, 2));
    return 0;
  }
  for (const r of rows) {
    println(io.stdout, `${r.name.padEnd(24)} ${r.task.padEnd(15)} ${r.installed ? 'installed' : 'missing'}`);
    println(io.stdout, `    ${r.description}`);
    println(io.stdout, `    source: ${r.source}; licence: ${r.licence}`);
    if (!r.installed) println(io.stdout, `    install: ${r.install}`);
  }
  return 0;
}
