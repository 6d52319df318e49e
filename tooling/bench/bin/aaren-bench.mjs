#!/usr/bin/env node
// Runs the benchmark CLI from TypeScript sources: workspace packages resolve to src/ through the
// `@aaren/source` condition, and tsx compiles on the fly, so `pnpm bench` needs no prior build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsx = require.resolve('tsx');
const cli = join(here, '..', 'src', 'cli.ts');
const result = spawnSync(
  process.execPath,
  ['--conditions=@aaren/source', '--import', tsx, cli, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
