/**
 * Reading JSON files with errors that name the file.
 * @internal
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';

/** Parses the JSON file at `path`; `undefined` when it does not exist and `optional` is set. @internal */
export async function readJsonFile(path: string, optional = false): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (optional && (cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(path, '(file)', `cannot be read: ${why}`);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(path, '(file)', `is not valid JSON: ${why}`);
  }
}
