/**
 * Test helpers for Node: a fresh Dawn adapter per backend (an adapter can create one device only), and a
 * `describe` that skips without a GPU adapter — except under `CI=true`, where a missing adapter fails.
 * @packageDocumentation
 */
import { describe, it } from 'vitest';
import { requestNodeAdapter } from '../node.js';

/** Why WebGPU cannot run here, or `null` when an adapter exists. */
export const noAdapterReason: string | null = await requestNodeAdapter().then(
  () => null,
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);

/** `describe` for GPU tests: skipped without an adapter outside CI, failing without one in CI. */
export function describeGpu(name: string, body: () => void): void {
  if (noAdapterReason === null) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a WebGPU adapter (required when CI=true)', () => {
        throw new Error(`no WebGPU adapter in CI: ${noAdapterReason}`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${noAdapterReason})`, body);
  }
}
