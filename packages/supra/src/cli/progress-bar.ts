/**
 * A one-line progress bar for terminals (redrawn in place on a TTY, one line per update otherwise).
 * @packageDocumentation
 */

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /** Where to draw. Default `process.stderr`. */
  readonly stream?: NodeJS.WriteStream;
  /** Bar width in characters. Default 24. */
  readonly width?: number;
  /** Least milliseconds between redraws (the last update always draws). Default 100. */
  readonly intervalMs?: number;
}

/** A progress bar: `update(done, info)` redraws it; `done()` ends the line. */
export interface ProgressBar {
  /** Redraws with `done` of `total` units and a free-form suffix. */
  update(done: number, info?: string): void;
  /** Finishes the line. */
  finish(info?: string): void;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Creates a bar labelled `label` for `total` units. */
export function createProgressBar(
  label: string,
  total: number,
  options: ProgressBarOptions = {},
): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const width = options.width ?? 24;
  const interval = options.intervalMs ?? 100;
  const started = Date.now();
  let lastDraw = 0;
  let lastLine = '';
  const render = (done: number, info = '') => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * width);
    const elapsed = Date.now() - started;
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : 0;
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${formatDuration(elapsed)} eta ${formatDuration(eta)}${info ? ` ${info}` : ''}`;
  };
  const draw = (line: string, final: boolean) => {
    if (stream.isTTY) stream.write(`\r${line}\u001b[K${final ? '\n' : ''}`);
    else if (line !== lastLine) stream.write(`${line}\n`);
    lastLine = line;
  };
  return {
    update(done, info) {
      const now = Date.now();
      if (now - lastDraw < interval && done < total) return;
      lastDraw = now;
      draw(render(done, info), false);
    },
    finish(info) {
      draw(render(total, info), true);
    },
  };
}
