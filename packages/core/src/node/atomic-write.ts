/**
 * Atomic file replacement: readers of the target see either the old content or the new, never a mix,
 * even if the process dies mid-write.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /**
   * Flush the data and the directory entry to disk before returning (default `true`). Turn off only for
   * scratch files: without it a power loss can leave an empty or partial target.
   */
  readonly fsync?: boolean;
}

/** The name of a temporary file beside `path`, unique per process and call. @internal */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

async function fsyncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Directories cannot be opened or synced on some platforms (Windows); the rename is still atomic.
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * Writes `data` to `path` atomically: the bytes go to a new temporary file in the same directory, which
 * is flushed to disk and then renamed over `path`; finally the directory is flushed where the platform
 * allows. An existing target keeps its permission bits. On any error the temporary file is removed, the
 * target is left as it was, and the error is rethrown.
 * @example await writeFileAtomic('checkpoint.safetensors', bytes);
 * @throws the underlying `fs` error (e.g. `ENOENT` when the directory does not exist).
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options?: WriteFileAtomicOptions,
): Promise<void> {
  const sync = options?.fsync ?? true;
  const temporary = temporaryPathFor(path);
  let mode = 0o666;
  try {
    mode = (await stat(path)).mode & 0o7777;
  } catch {
    // No existing target: default permissions (minus the umask).
  }
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx', mode);
    if (mode !== 0o666) await handle.chmod(mode);
    await handle.writeFile(data);
    if (sync) await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await unlink(temporary).catch(() => {});
    throw error;
  }
  if (sync) await fsyncDirectory(dirname(path));
}
