/**
 * `describeBackend`: the backend conformance suite, registered as Vitest `describe` blocks.
 * @packageDocumentation
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Backend, Kernels } from '../backend.js';
import type { SuiteContext } from './harness.js';
import { binarySuite, copySuite, fillSuite, unarySuite, whereSuite } from './suites/elementwise.js';
import { gatherSuite, ropeSuite, scatterAddSuite } from './suites/indexing.js';
import { matmulSuite } from './suites/matmul.js';
import { memorySuite } from './suites/memory.js';
import { groupNormSuite, layerNormSuite, rmsNormSuite, softmaxSuite } from './suites/normalization.js';
import { argmaxSuite, cummaxSuite, cumsumSuite, reduceSuite } from './suites/reduction.js';
import {
  attentionScanBackwardSuite,
  attentionScanSuite,
  linearAttentionBackwardSuite,
  linearAttentionSuite,
} from './suites/scan.js';
import { resolveTolerances, type ToleranceOverrides } from './tolerances.js';

/** Options of {@link describeBackend}. */
export interface DescribeBackendOptions {
  /**
   * Why the suite cannot run here (e.g. `'no WebGPU adapter'`), or `false`/omitted to run it. Outside CI the
   * suite is then skipped and the reason printed; with `CI=true` a skip reason makes the suite fail, so a
   * backend can never silently go untested in CI.
   */
  readonly skip?: string | false;
  /** Looser (or tighter) tolerances per class, merged over `DEFAULT_TOLERANCES`. */
  readonly tolerance?: ToleranceOverrides;
  /** Base seed of every test's random data. Default `0x5eed`. */
  readonly seed?: number;
}

/** The tests of each kernel. A kernel of the contract without tests here is a compile error. */
const KERNEL_SUITES: Record<keyof Kernels, (ctx: SuiteContext) => void> = {
  unary: unarySuite,
  binary: binarySuite,
  where: whereSuite,
  fill: fillSuite,
  copy: copySuite,
  matmul: matmulSuite,
  reduce: reduceSuite,
  argmax: argmaxSuite,
  softmax: softmaxSuite,
  layerNorm: layerNormSuite,
  rmsNorm: rmsNormSuite,
  groupNorm: groupNormSuite,
  gather: gatherSuite,
  scatterAdd: scatterAddSuite,
  rope: ropeSuite,
  cumsum: cumsumSuite,
  cummax: cummaxSuite,
  attentionScan: attentionScanSuite,
  attentionScanBackward: attentionScanBackwardSuite,
  linearAttention: linearAttentionSuite,
  linearAttentionBackward: linearAttentionBackwardSuite,
};

/** Whether the tests run in CI (`CI=true` in the environment; false where there is no `process`). */
export function isCi(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.CI === 'true';
}

/**
 * What {@link describeBackend} does with `skip`: `'run'` without a reason, `'skip'` with one outside CI, and
 * `'fail'` with one in CI (a device that is missing in CI is an error, never a silent skip).
 */
export function skipDecision(skip: string | false | undefined, ci: boolean): 'run' | 'skip' | 'fail' {
  if (!skip) return 'run';
  return ci ? 'fail' : 'skip';
}

/**
 * Registers the backend conformance suite: call it at the top level of a Vitest test file.
 *
 * It creates the backend once with `factory` (in `beforeAll`; disposed in `afterAll`) and tests, at the
 * kernel level, every kernel of {@link Kernels} and the memory functions of {@link Backend}: buffers are
 * allocated and written through the backend, passed as {@link TensorView}s of many layouts (contiguous,
 * at an offset, transposed, sliced, broadcast with stride 0, size-0 and size-1 axes), read back with
 * `read`, and compared with float64 reference implementations (`@aaren/core/testing`'s `reference/`)
 * within the tolerances of `DEFAULT_TOLERANCES` (see that table). Each test also checks that kernels write
 * nothing outside their output views and never modify their inputs. Random data come from a fixed seed,
 * so a failure reproduces exactly.
 *
 * Skipping: when `options.skip` is a reason string and `CI` is not `'true'`, the suite is skipped and the
 * reason printed with `console.warn`. When `CI=true`, a skip reason registers one failing test instead,
 * so that a backend (a GPU without a device, say) can never silently skip in CI.
 *
 * @param name - Name of the top-level `describe` block, e.g. `'cpu'` or `'webgpu (dawn)'`.
 * @param factory - Creates the backend under test; a rejection fails every test.
 * @param options - Skip reason, tolerance overrides and seed.
 * @example
 * ```ts
 * // packages/backend-webgpu/src/conformance.test.ts
 * import { describeBackend } from '@aaren/core/testing';
 * const adapter = await navigator.gpu?.requestAdapter();
 * describeBackend('webgpu', () => createWebGPUBackend({ adapter }), {
 *   skip: adapter ? false : 'no WebGPU adapter on this machine',
 *   tolerance: { transcendental: { rtol: 1e-4 } },
 * });
 * ```
 */
export function describeBackend(
  name: string,
  factory: () => Backend | Promise<Backend>,
  options: DescribeBackendOptions = {},
): void {
  const { skip } = options;
  const decision = skipDecision(skip, isCi());
  if (decision !== 'run') {
    if (decision === 'fail') {
      describe(name, () => {
        it('runs in CI (a skip reason is an error when CI=true)', () => {
          throw new Error(
            `backend conformance suite '${name}' may not be skipped in CI (CI=true); reason given: ${skip}`,
          );
        });
      });
    } else {
      console.warn(`[aaren conformance] skipping backend '${name}': ${skip}`);
      describe.skip(`${name} (skipped: ${skip})`, () => {
        it('conformance suite', () => {});
      });
    }
    return;
  }

  const tolerances = resolveTolerances(options.tolerance);
  describe(name, () => {
    let backend: Backend | undefined;
    beforeAll(async () => {
      backend = await factory();
    });
    afterAll(() => {
      backend?.dispose();
      backend = undefined;
    });
    const ctx: SuiteContext = {
      backend: () => {
        if (!backend) throw new Error(`conformance suite '${name}': the backend was not created`);
        return backend;
      },
      tol: (key) => tolerances[key],
      seed: options.seed ?? 0x5eed,
    };
    describe('memory', () => memorySuite(ctx));
    for (const [kernel, suite] of Object.entries(KERNEL_SUITES)) {
      describe(kernel, () => suite(ctx));
    }
  });
}
