/**
 * Shared shape of the row kernels (softmax, norms): a row is reduced either by one invocation (short rows,
 * no workgroup memory or barriers) or by a workgroup of {@link ROW_WORKGROUP} invocations with a tree
 * reduction in workgroup memory (long rows). {@link rowPlan} picks the mode and provides the WGSL pieces.
 * @packageDocumentation
 */

/** Invocations per workgroup of the row kernels. */
export const ROW_WORKGROUP = 64;

/** Rows of at most this many elements are handled by one invocation each. */
export const THREAD_ROW_MAX = 64;

/** The WGSL pieces and dispatch size of one row kernel. */
export interface RowPlan {
  /** Module-scope WGSL defining `reduce_sum(lid, v)` and `reduce_max(lid, v)`. */
  readonly module: string;
  /** WGSL statements defining `row` (returning early past the last row when rows are per invocation). */
  readonly row: (rows: string) => string;
  /** `for` header iterating `i` over the row's elements `0..n`. */
  readonly loop: (n: string) => string;
  /** Workgroups to dispatch for `rows` rows. */
  readonly workgroups: (rows: number) => number;
}

const TREE = `
var<workgroup> red: array<f32, ${ROW_WORKGROUP}>;
fn reduce_sum(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${ROW_WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
fn reduce_max(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${ROW_WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = max_nan(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
`;

const SINGLE = `
fn reduce_sum(lid: u32, v: f32) -> f32 { return v; }
fn reduce_max(lid: u32, v: f32) -> f32 { return v; }
`;

/** The row plan for rows of `n` elements (`barrierFree`: one invocation per row at any length). */
export function rowPlan(n: number, barrierFree: boolean): RowPlan {
  if (barrierFree || n <= THREAD_ROW_MAX) {
    return {
      module: SINGLE,
      row: (rows) => `let row = wg * ${ROW_WORKGROUP}u + lid;\n  if (row >= ${rows}) { return; }`,
      loop: (count) => `for (var i = 0u; i < ${count}; i++)`,
      workgroups: (rows) => Math.ceil(rows / ROW_WORKGROUP),
    };
  }
  return {
    module: TREE,
    row: () => 'let row = wg;',
    loop: (count) => `for (var i = lid; i < ${count}; i += ${ROW_WORKGROUP}u)`,
    workgroups: (rows) => rows,
  };
}
