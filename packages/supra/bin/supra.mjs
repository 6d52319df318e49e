#!/usr/bin/env node
// Runs the `supra` CLI from TypeScript sources (workspace packages resolve to src/ through the
// `@aaren/source` condition; tsx compiles on the fly), so it works right after `pnpm install`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');
const result = spawnSync(
  process.execPath,
  [
    '--conditions=@aaren/source',
    '--import',
    tsx,
    join(here, '..', 'src', 'cli.ts'),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
