/**
 * `@aaren/core/testing`: the backend conformance suite and the numeric test helpers shared by every package.
 *
 * A backend package runs the suite from one test file:
 * ```ts
 * import { describeBackend } from '@aaren/core/testing';
 * describeBackend('mine', () => createMyBackend());
 * ```
 * Requires `vitest` (a peer dependency of this entry point).
 * @packageDocumentation
 */
export {
  type AllCloseOptions,
  type AllCloseReport,
  allClose,
  type ExpectAllCloseOptions,
  expectAllClose,
  isClose,
  type Tolerance,
  unravelIndex,
} from './all-close.js';
export { type DescribeBackendOptions, describeBackend, isCi, skipDecision } from './describe-backend.js';
export {
  checkGradients,
  type GradientCheckOptions,
  type GradientCheckReport,
  type GradientCheckWorst,
} from './gradcheck.js';
export {
  caseLayout,
  describeView,
  forEachElement,
  type HostView,
  KernelHarness,
  kernelTest,
  type Layout,
  type OutputOptions,
  type RandomLayoutOptions,
  type ResolvedLayout,
  randomLayout,
  resolveLayout,
  type SuiteContext,
  type ValueSource,
  withRandomShapes,
} from './harness.js';
export * as reference from './reference/index.js';
export { createTestRng, hashString, type RandomShapeOptions, randomShape, type TestRng } from './test-rng.js';
export {
  DEFAULT_TOLERANCES,
  EXACT,
  resolveTolerances,
  type ToleranceKey,
  type ToleranceOverrides,
} from './tolerances.js';
