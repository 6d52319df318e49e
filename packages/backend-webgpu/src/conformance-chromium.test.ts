/**
 * The core conformance suite, unchanged, in headless Chromium (`--enable-unsafe-webgpu`, Debian's chromium
 * with SwiftShader on machines without a GPU) driven by playwright-core: the suite is bundled with esbuild
 * (with `vitest` replaced by a small in-page runner), served from 127.0.0.1 (a secure context, so
 * `navigator.gpu` exists), run in the page, and every in-page test becomes a test here. Without Chromium the
 * file is skipped, except under CI=true where that fails.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TestResult } from './browser/vitest-shim.js';

const here = dirname(fileURLToPath(import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PAGE_TIMEOUT_MS = 240_000;

/** Chromium flags: WebGPU on (it is gated behind a flag on Linux), no background traffic. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface PageRun {
  readonly skip?: string;
  readonly error?: string;
  readonly results?: TestResult[];
  readonly info?: Record<string, unknown>;
}

async function runInChromium(): Promise<PageRun> {
  if (!existsSync(executablePath)) return { skip: `no Chromium at ${executablePath} (set CHROMIUM_PATH)` };
  const bundle = await build({
    entryPoints: [join(here, 'browser', 'conformance-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@aaren/source'],
    alias: { vitest: join(here, 'browser', 'vitest-shim.ts') },
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const html = '<!doctype html><meta charset="utf-8"><script type="module" src="/suite.js"></script>';
  const server = createServer((req, res) => {
    const js = req.url === '/suite.js';
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
    res.end(js ? script : html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium
    .launch({ executablePath, args: CHROMIUM_ARGS })
    .catch((e: unknown) => e as Error);
  if (browser instanceof Error) {
    server.close();
    return { skip: `Chromium did not start: ${browser.message}` };
  }
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    const handle = await page.waitForFunction(
      () => {
        const w = globalThis as { __aarenResults?: unknown; __aarenError?: unknown };
        return w.__aarenResults ?? w.__aarenError ?? null;
      },
      null,
      { timeout: PAGE_TIMEOUT_MS, polling: 500 },
    );
    const value = (await handle.jsonValue()) as TestResult[] | string;
    const info =
      (await page.evaluate(() => (globalThis as { __aarenInfo?: Record<string, unknown> }).__aarenInfo)) ??
      {};
    if (typeof value === 'string') return { error: [value, ...errors].join('\n'), info };
    return { results: value, info };
  } catch (error) {
    return { error: String(error) };
  } finally {
    await browser.close();
    server.close();
  }
}

const run = await runInChromium();

describe('conformance suite in headless Chromium', () => {
  if (run.skip) {
    if (process.env.CI === 'true') {
      it('runs in CI (a missing browser is an error when CI=true)', () => {
        throw new Error(run.skip);
      });
    } else {
      it.skip(`skipped: ${run.skip}`, () => {});
    }
    return;
  }
  if (run.error || !run.results) {
    it('runs the suite in the page', () => {
      throw new Error(run.error ?? 'no results');
    });
    return;
  }
  const results = run.results;
  it(`ran every conformance test in the page (adapter ${JSON.stringify(run.info)})`, () => {
    expect(results.length).toBeGreaterThan(100);
    expect(results.filter((r) => r.status === 'skipped')).toEqual([]);
  });
  for (const r of results) {
    it(r.name, () => {
      if (r.status === 'failed') throw new Error(r.error);
    });
  }
});
