import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from './args.js';
import type { CliIo } from './io.js';
import { runCli } from './main.js';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    out: () => out,
    err: () => err,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aaren-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the aaren bin', () => {
  const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'aaren.mjs');
  it('runs from sources and exits 0 on --help, 2 on a usage error', () => {
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('aaren stream');
    const bad = spawnSync(process.execPath, [bin, 'train', '--epochs', '0', '-d', 'digits'], {
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--epochs must be an integer >= 1');
  });
});

describe('argument parsing', () => {
  it('reads commands and options, rejecting unknown ones', () => {
    expect(parseCommandLine(['train', '-d', 'digits', '--epochs', '3']).values).toMatchObject({
      dataset: 'digits',
      epochs: '3',
    });
    expect(parseCommandLine([]).command).toBe('help');
    expect(() => parseCommandLine(['fly'])).toThrow("unknown command 'fly'");
    expect(() => parseCommandLine(['eval', '--nope'])).toThrow(/Unknown option '--nope'/);
    expect(() => parseCommandLine(['eval', 'extra'])).toThrow("unexpected argument 'extra'");
  });
});

describe('runCli', () => {
  it('prints usage', async () => {
    const c = capture();
    expect(await runCli(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('aaren train');
  });

  it('exits with code 2 and one clear message on usage and data errors', async () => {
    const cases: [string[], RegExp][] = [
      [['train'], /give exactly one of --dataset NAME and --csv FILE/],
      [['train', '--dataset', 'nope'], /unknown dataset 'nope'; built-in datasets are seattle-weather/],
      [['train', '--dataset', 'digits', '--epochs', 'x'], /--epochs must be an integer >= 1, got 'x'/],
      [['train', '--dataset', 'digits', '--model', 'lstm'], /--model must be one of aaren, transformer/],
      [['eval'], /--checkpoint is required/],
      [['eval', '--checkpoint', join(dir, 'missing')], /run.json not found/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await runCli(argv, c.io)).toBe(2);
      expect(c.err()).toMatch(message);
    }
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'date,a,b\n2020-01-01,1,2\n2020-01-02,3,oops\n');
    const c = capture();
    expect(await runCli(['train', '--csv', bad], c.io)).toBe(2);
    expect(c.err()).toContain("bad.csv, row 3, column 'b': 'oops' is not a number");
  });

  it('lists datasets', async () => {
    const c = capture();
    expect(await runCli(['datasets', '--json'], c.io)).toBe(0);
    const rows = JSON.parse(c.out()) as { name: string; installed: boolean }[];
    expect(rows.map((r) => r.name)).toContain('us-births');
    expect(rows.find((r) => r.name === 'seattle-weather')?.installed).toBe(true);
  });

  it('trains on a real dataset, then evaluates, forecasts and streams the checkpoint', async () => {
    const out = join(dir, 'weather');
    const c = capture();
    const code = await runCli(
      [
        'train',
        '-d',
        'seattle-weather',
        '--horizon',
        '8',
        '--lookback',
        '16',
        '--train-stride',
        '8',
        '--epochs',
        '2',
        '--d-model',
        '8',
        '--heads',
        '2',
        '--layers',
        '1',
        '--out',
        out,
        '--json',
      ],
      c.io,
    );
    expect(c.err()).toMatch(/epoch 2\/2 100%/);
    expect(code).toBe(0);
    const printed = JSON.parse(c.out()) as { test: { mse: number; mae: number } };
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as {
      test: { mse: number };
    };
    expect(metrics.test.mse).toBeCloseTo(printed.test.mse, 10);
    const run = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as { scaler: { mean: number[] } };
    expect(run.scaler.mean).toHaveLength(4);

    const e = capture();
    expect(await runCli(['eval', '-c', out, '--json'], e.io)).toBe(0);
    expect((JSON.parse(e.out()) as { mse: number }).mse).toBeCloseTo(printed.test.mse, 5);

    const f = capture();
    expect(await runCli(['forecast', '-c', out], f.io)).toBe(0);
    const lines = f.out().trim().split('\n');
    expect(lines[0]).toBe('time,precipitation,temp_max,temp_min,wind');
    expect(lines).toHaveLength(9);
    expect(lines[1]!.startsWith('2016-01-01,')).toBe(true);

    const s = capture();
    expect(await runCli(['stream', '-c', out, '--every', '4'], s.io)).toBe(0);
    const sizes = [...s.out().matchAll(/state +(\d+) B/g)].map((m) => Number(m[1]));
    expect(sizes).toHaveLength(4);
    expect(new Set(sizes).size).toBe(1);
    const diff = Number(/max \|streamed − parallel\| forecast after 16 steps: (\S+)/.exec(s.out())?.[1]);
    expect(diff).toBeLessThan(1e-4);
  });

  it('trains the Transformer from a CSV file with chosen columns; its KV cache grows while streaming', async () => {
    const csv = join(dir, 'small.csv');
    const rows = ['date,x,y,label'];
    for (let t = 0; t < 300; t++) {
      const day = new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10);
      rows.push(`${day},${Math.sin(t / 5).toFixed(4)},${Math.cos(t / 7).toFixed(4)},"a, b"`);
    }
    await writeFile(csv, `${rows.join('\n')}\n`);
    const out = join(dir, 'csv-run');
    const c = capture();
    expect(
      await runCli(
        [
          'train',
          '--csv',
          csv,
          '--columns',
          'x,y',
          '-m',
          'transformer',
          '--lookback',
          '12',
          '--horizon',
          '4',
          '--epochs',
          '1',
          '--d-model',
          '8',
          '--heads',
          '2',
          '--layers',
          '1',
          '--out',
          out,
        ],
        c.io,
      ),
    ).toBe(0);
    const s = capture();
    expect(await runCli(['stream', '-c', out, '--every', '3'], s.io)).toBe(0);
    const sizes = [...s.out().matchAll(/state +(\d+) B/g)].map((m) => Number(m[1]));
    expect(sizes).toEqual([1, 2, 3, 4].map((k) => k * sizes[0]!));
    const f = capture();
    expect(await runCli(['forecast', '-c', out, '--csv', csv], f.io)).toBe(0);
    expect(f.out().split('\n')[0]).toBe('time,x,y');
  });
});
