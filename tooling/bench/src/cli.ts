/**
 * `aaren-bench [--filter REGEX] [--out DIR] [--quick] [files...]`: runs benchmark files (default: every
 * `packages/<name>/bench/*.bench.ts` and `tooling/*\/bench/*.bench.ts`), prints a table and writes one
 * JSON file per run to `bench-results/` (and `bench-results/latest.json`).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatRow, runSuite } from './run.js';
import type { BenchResult, BenchSuite } from './types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function findBenchFiles(): string[] {
  const files: string[] = [];
  for (const group of ['packages', 'tooling', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const pkg of readdirSync(groupDir)) {
      const dir = join(groupDir, pkg, 'bench');
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
    }
  }
  return files;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    filter: { type: 'string' },
    out: { type: 'string', default: join(root, 'bench-results') },
    quick: { type: 'boolean', default: false },
  },
});

/** Expands directories among the positional arguments to the `*.bench.ts` files they hold. */
function expand(paths: string[]): string[] {
  return paths.flatMap((p) => {
    const full = resolve(p);
    if (!statSync(full).isDirectory()) return [full];
    return readdirSync(full)
      .filter((f) => f.endsWith('.bench.ts'))
      .sort()
      .map((f) => join(full, f));
  });
}

const files = positionals.length > 0 ? expand(positionals) : findBenchFiles();
const filter = values.filter ? new RegExp(values.filter) : undefined;
const timing = values.quick
  ? { minTimeMs: 50, minReps: 1, warmup: 1 }
  : { minTimeMs: 400, minReps: 3, warmup: 1 };
if (values.quick) process.env.AAREN_BENCH_QUICK = '1'; // read by isQuickBench()

const all: BenchResult[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(file).href)) as { default: BenchSuite };
  console.log(`\n# ${relative(root, file)}`);
  const results = await runSuite(mod.default, {
    ...timing,
    filter,
    onResult: (r) => console.log(formatRow(r)),
  });
  all.push(...results);
}

const report = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  results: all,
};
mkdirSync(values.out!, { recursive: true });
const stamp = report.date.replace(/[:.]/g, '-');
const target = join(values.out!, `bench-${stamp}.json`);
const tmp = `${target}.${process.pid}.tmp`;
writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`);
renameSync(tmp, target);
writeFileSync(
  `${join(values.out!, 'latest.json')}.${process.pid}.tmp`,
  `${JSON.stringify(report, null, 2)}\n`,
);
renameSync(`${join(values.out!, 'latest.json')}.${process.pid}.tmp`, join(values.out!, 'latest.json'));
console.log(`\nwrote ${relative(process.cwd(), target)} (${all.length} results)`);
