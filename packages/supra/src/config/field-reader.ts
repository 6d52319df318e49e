/**
 * Typed access to fields of a JSON config object, with errors that name the file and the field.
 * @internal
 * @packageDocumentation
 */
import { ConfigError } from '../errors.js';

/** Reads typed fields of `raw`, applying defaults for absent (or `null`) fields. @internal */
export class FieldReader {
  /** The JSON object. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The file name used in errors. */
  readonly fileName: string;
  /** Prefix of field names in errors (e.g. `'rope_scaling.'`). */
  readonly prefix: string;
  constructor(raw: Readonly<Record<string, unknown>>, fileName: string, prefix = '') {
    this.raw = raw;
    this.fileName = fileName;
    this.prefix = prefix;
  }

  private get(field: string, fallback: unknown): unknown {
    const value = this.raw[field];
    if (value === undefined || value === null) {
      if (fallback === undefined) throw new ConfigError(this.fileName, this.prefix + field, 'is required');
      return fallback;
    }
    return value;
  }

  /** A finite number. */
  number(field: string, fallback?: number): number {
    const value = this.get(field, fallback);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ConfigError(
        this.fileName,
        this.prefix + field,
        `must be a number, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  /** A number, or `null` when absent. */
  optionalNumber(field: string): number | null {
    const value = this.raw[field];
    return value === undefined || value === null ? null : this.number(field);
  }

  /** A positive integer. */
  positiveInteger(field: string, fallback?: number): number {
    const value = this.get(field, fallback);
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new ConfigError(
        this.fileName,
        this.prefix + field,
        `must be a positive integer, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  /** A boolean. */
  boolean(field: string, fallback?: boolean): boolean {
    const value = this.get(field, fallback);
    if (typeof value !== 'boolean') {
      throw new ConfigError(
        this.fileName,
        this.prefix + field,
        `must be true or false, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  /** A string. */
  string(field: string, fallback?: string): string {
    const value = this.get(field, fallback);
    if (typeof value !== 'string') {
      throw new ConfigError(
        this.fileName,
        this.prefix + field,
        `must be a string, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }
}
