/**
 * Tolerance overrides of the conformance suite for this backend (see the package README for the reasons).
 * @packageDocumentation
 */
import type { ToleranceOverrides } from '@aaren/core/testing';

/** Tolerances passed to `describeBackend` in Node and in Chromium. */
export const WEBGPU_TOLERANCES: ToleranceOverrides = {};
