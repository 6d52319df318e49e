/**
 * Assembly of a complete WGSL compute shader from a kernel's parts: the meta block, the storage bindings,
 * shared helper functions, and a `main` that computes the linear workgroup index of a (possibly 3-D, possibly
 * split) grid: meta word 0 holds the total workgroup count and word 3 the first index of this dispatch.
 * @packageDocumentation
 */
import type { Bound } from '../runtime/bindings.js';
import type { MetaLayout } from '../runtime/meta.js';
import { metaDeclaration } from '../runtime/meta.js';
import { COMMON_WGSL } from './common.js';

/** Parts of a kernel's shader. */
export interface ProgramParts {
  /** Resolved bindings (declarations are emitted from it). */
  readonly bound: Bound;
  /** The kernel's meta layout. */
  readonly meta: MetaLayout<string>;
  /** Invocations per workgroup (1-D). */
  readonly workgroupSize: number;
  /**
   * Body of `main`. In scope: `wg` (linear workgroup index, below the dispatched count), `lid` (local
   * invocation index) and every helper of {@link COMMON_WGSL}.
   */
  readonly body: string;
  /** Module-scope declarations (functions, `var<workgroup>`, constants) placed before `main`. */
  readonly module?: string;
}

/** The WGSL source of a kernel. */
export function program(parts: ProgramParts): string {
  return `${metaDeclaration(parts.meta.words)}${parts.bound.declarations}${COMMON_WGSL}
${parts.module ?? ''}
@compute @workgroup_size(${parts.workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let wg = mu(3u) + wid.x + nwg.x * (wid.y + nwg.y * wid.z);
  if (wg >= mu(0u)) { return; }
${parts.body}
}
`;
}
