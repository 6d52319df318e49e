import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (s: string) => chunks.push(s) } };
}

describe('createProgress', () => {
  it('writes plain lines at most once per interval when not a TTY, and always the last', () => {
    const { chunks, stream } = sink(false);
    let t = 0;
    const bar = createProgress({ total: 10, label: 'epoch 1/2', stream, interval: 1000, now: () => t });
    for (let i = 0; i < 10; i++) {
      t += 300;
      bar.tick(1, `loss ${(1 / (i + 1)).toFixed(2)}`);
    }
    bar.done('loss 0.10');
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r'))).toBe(true);
    expect(chunks.length).toBeLessThanOrEqual(5);
    expect(chunks.at(-1)).toBe('epoch 1/2 100% 10/10 in 3s  loss 0.10\n');
    expect(chunks[0]).toMatch(/^epoch 1\/2 {2}10% {2}1\/10 eta 3s {2}loss 1.00\n$/);
  });

  it('redraws one line in place on a TTY', () => {
    const { chunks, stream } = sink(true);
    let t = 0;
    const bar = createProgress({ total: 4, stream, now: () => t });
    for (let i = 0; i < 4; i++) {
      t += 200;
      bar.tick();
    }
    bar.done();
    expect(chunks.every((c) => c.startsWith('\r\x1b[2K'))).toBe(true);
    expect(chunks.at(-1)).toMatch(/\[#+\] 100% 4\/4 in 1s\n$/);
    expect(chunks.slice(0, -1).every((c) => !c.endsWith('\n'))).toBe(true);
    bar.tick();
    expect(chunks).toHaveLength(5);
  });
});
