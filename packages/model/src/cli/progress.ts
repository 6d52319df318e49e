/**
 * A small progress renderer for the command line: a redrawn bar on a TTY, plain lines (at most one per
 * `interval` and always the last) when the output is a file or a pipe, such as a CI log.
 * @packageDocumentation
 */

/** Where progress is written: `process.stderr` or anything with `write` (and `isTTY`/`columns` when a terminal). */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** Whether the stream is a terminal (bars are redrawn in place only then). */
  readonly isTTY?: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Number of units of work (steps, batches). */
  readonly total: number;
  /** Text before the bar, e.g. `'epoch 3/10'`. */
  readonly label?: string;
  /** Output stream (default `process.stderr`). */
  readonly stream?: ProgressStream;
  /** Milliseconds between plain lines when not a TTY (default 2000); redraws on a TTY are limited to 10/s. */
  readonly interval?: number;
  /** Clock in milliseconds (default `performance.now`), injectable for tests. */
  readonly now?: () => number;
}

/** A running progress display. */
export interface Progress {
  /** Advances by `n` units (default 1) and sets the trailing text (e.g. `'loss 0.123'`). */
  tick(n?: number, info?: string): void;
  /** Sets the trailing text without advancing. */
  info(text: string): void;
  /** Completes the display with a final line (`info` replaces the trailing text). */
  done(info?: string): void;
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Starts a progress display.
 * @example
 * const bar = createProgress({ total: batches, label: `epoch ${e}` });
 * for (...) bar.tick(1, `loss ${loss.toFixed(4)}`);
 * bar.done();
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const interval = options.interval ?? 2000;
  const total = Math.max(0, options.total);
  const label = options.label ? `${options.label} ` : '';
  const start = now();
  let current = 0;
  let trailing = '';
  let lastDraw = Number.NEGATIVE_INFINITY;
  let finished = false;

  const line = (final: boolean): string => {
    const elapsed = now() - start;
    const fraction = total > 0 ? Math.min(1, current / total) : 1;
    const eta = final
      ? `in ${formatDuration(elapsed)}`
      : `eta ${formatDuration((elapsed / Math.max(current, 1e-9)) * (total - current))}`;
    const counts = `${String(current).padStart(String(total).length)}/${total}`;
    const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
    const tail = `${pct} ${counts} ${eta}${trailing ? `  ${trailing}` : ''}`;
    if (!tty) return `${label}${tail}`;
    const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - label.length - tail.length - 4));
    const filled = Math.round(fraction * width);
    return `${label}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tail}`;
  };

  const draw = (final: boolean): void => {
    const t = now();
    if (!final && t - lastDraw < (tty ? 100 : interval)) return;
    lastDraw = t;
    if (tty) stream.write(`\r\x1b[2K${line(final)}${final ? '\n' : ''}`);
    else stream.write(`${line(final)}\n`);
  };

  return {
    tick(n = 1, info?: string) {
      if (finished) return;
      current += n;
      if (info !== undefined) trailing = info;
      draw(false);
    },
    info(text: string) {
      trailing = text;
    },
    done(info?: string) {
      if (finished) return;
      finished = true;
      if (info !== undefined) trailing = info;
      current = Math.max(current, total);
      draw(true);
    },
  };
}
