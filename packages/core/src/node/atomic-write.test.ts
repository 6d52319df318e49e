import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafetensorsError } from '../safetensors/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { writeSafetensorsFile } from './safetensors-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aaren-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates a file and leaves no temporary file', async () => {
    const path = join(dir, 'out.bin');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  it('replaces an existing file, keeping its permissions', async () => {
    const path = join(dir, 'out.txt');
    await writeFile(path, 'old', { mode: 0o600 });
    await writeFileAtomic(path, 'new content', { fsync: false });
    expect(await readFile(path, 'utf8')).toBe('new content');
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['out.txt']);
  });

  it('fails into a missing directory without creating anything', async () => {
    const path = join(dir, 'missing', 'out.bin');
    await expect(writeFileAtomic(path, new Uint8Array([1]))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('removes the temporary file when the rename fails, leaving the target as it was', async () => {
    // A non-empty directory cannot be replaced by a file: the rename fails after the data was written.
    const path = join(dir, 'target');
    await mkdir(path);
    await writeFile(join(path, 'keep.txt'), 'kept');
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['target']);
    expect(await readFile(join(path, 'keep.txt'), 'utf8')).toBe('kept');
  });

  it('leaves one complete version when writers race', async () => {
    const path = join(dir, 'race.bin');
    const versions = Array.from({ length: 12 }, (_, i) => new Uint8Array(50_000).fill(i));
    await Promise.all(versions.map((v) => writeFileAtomic(path, v, { fsync: false })));
    const content = await readFile(path);
    expect(content.length).toBe(50_000);
    expect(content.every((b) => b === content[0])).toBe(true);
    expect(await readdir(dir)).toEqual(['race.bin']);
  });
});

describe('writeSafetensorsFile atomicity', () => {
  it('leaves the original file untouched when serialization throws', async () => {
    const path = join(dir, 'model.safetensors');
    await writeSafetensorsFile(path, { w: { shape: [2], data: new Float32Array([1, 2]) } });
    const before = await readFile(path);
    const error = await writeSafetensorsFile(path, {
      w: { shape: [3], data: new Float32Array([1, 2]) },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetensorsError);
    expect(error).toMatchObject({ reason: 'size-mismatch', fileName: path, tensorName: 'w' });
    expect((await readFile(path)).equals(before)).toBe(true);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });
});
