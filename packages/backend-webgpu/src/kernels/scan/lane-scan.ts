/**
 * A generic GPU scan over *lane-structured monoids*, the structure shared by every scan of the contract:
 * a state is a few scalar header fields (e.g. the running max and denominator of the attention monoid) plus
 * one value per lane (a column of a cumsum, a channel of the attention numerator), and combining two states
 * computes the header from the headers alone and each lane from its own lane values and the headers.
 *
 * A workgroup of 256 invocations is `S = 256 / CL` segments × `CL` lanes. A tile of `T = S · P` positions is
 * scanned by letting each invocation fold `P` consecutive positions of its lane sequentially (raking, the
 * leaves cached in registers), then scanning the `S` segment totals in workgroup memory (raking in runs of 16:
 * five barriers) (`P` is a meta value, so one compiled kernel serves every length; the monoid's WGSL can call
 * `tile_positions()` for `T`). Tiles are chained in one of two ways:
 *
 * - `'lookback'`: the single-pass chained scan with decoupled look-back (Merrill & Garland, "Single-pass
 *   Parallel Prefix Scan with Decoupled Look-back", 2016). Tiles take increasing ids from an atomic counter,
 *   publish their aggregate, walk back over predecessors' published aggregates until one publishes its
 *   inclusive prefix, then publish their own inclusive prefix. WGSL atomics are relaxed, so no flag can order
 *   a separate value: every published 32-bit word is split into two 16-bit halves, each stored with a marker
 *   bit in its own atomic word, and a state counts as published once all of its words are non-zero. A waiting
 *   workgroup that sees no progress after a bounded number of polls (`lookbackSpinLimit`) reduces the predecessor's tile itself and
 *   moves on (the "decoupled fallback" of Smith, Levien & Owens, 2025), so the kernel terminates even where
 *   workgroups are not guaranteed to run concurrently.
 * - `'reduce-then-scan'`: three dispatches with no inter-workgroup waiting at all — tile aggregates, a scan
 *   of the aggregates per problem (one workgroup each), and a rescan of every tile from its prefix.
 * - `'serial'`: one invocation per (problem, lane) walks the whole sequence — no tiles, no workgroup memory,
 *   no barriers. Pointless on a GPU; the right shape for software adapters (SwiftShader), which emulate a
 *   GPU on a few CPU cores and pay dearly for every workgroup barrier.
 *
 * A monoid plugs in WGSL for `identity`, `combine`, `leaf` (the state of one position of one lane) and `emit`
 * (writes outputs from the inclusive and exclusive prefix states of a position), plus optional workgroup-wide
 * `prologue`/`epilogue` hooks (e.g. staging a tile through workgroup memory for coalesced access).
 * @packageDocumentation
 */
import type { Arg, Bound } from '../../runtime/bindings.js';
import type { GpuContext, ScanStrategy } from '../../runtime/context.js';
import { MetaLayout, type MetaType } from '../../runtime/meta.js';
import { program } from '../../wgsl/program.js';

/** Default polls of a not-yet-published predecessor before a workgroup reduces that tile itself. */
export const DEFAULT_SPIN_LIMIT = 64;

/** WGSL pieces of a lane-structured monoid, generated once its bindings are known. */
export interface LaneMonoidWgsl {
  /**
   * Module-scope WGSL defining `fn identity() -> St`, `fn combine(a: St, b: St) -> St` (`a` comes first in
   * scan order), `fn leaf(prob: u32, lane: u32, p: u32, local: u32) -> St` and
   * `fn emit(prob: u32, lane: u32, p: u32, local: u32, incl: St, excl: St, item: St)`, where `p` is the
   * position in scan order, `local` its index in the tile and `item` its own (leaf) state. May also define `var<workgroup>` data and
   * `fn prologue(prob: u32, base: u32, lid: u32)` / `fn epilogue(prob: u32, base: u32, lid: u32)`, run by the
   * whole workgroup (uniform control flow) before a tile's leaves are read and after its outputs are emitted.
   */
  readonly module: string;
  readonly prologue?: boolean;
  readonly epilogue?: boolean;
}

/** A scan to run. */
export interface LaneScanSpec {
  /** Kernel label (for errors and the pipeline cache). */
  readonly label: string;
  /** WGSL type of the lane field `l` of the state struct `St`. */
  readonly laneType: 'f32' | 'i32';
  /** Names of the f32 header fields of `St` (may be empty). */
  readonly header: readonly string[];
  /** Lanes per workgroup `CL` (a power of two, 1…64; a meta value, `lanes_n()` in WGSL). */
  readonly lanes: number;
  /** Largest number of positions per invocation `P` (a power of two; sizes the register cache). */
  readonly maxPositions: number;
  /** Largest number of positions per tile `T = S · P` (bounds workgroup memory the monoid sizes by it). */
  readonly maxTile: number;
  /** Independent scans. */
  readonly problems: number;
  /** Positions per scan. */
  readonly n: number;
  /** The monoid's buffers (the scan adds its own `work` buffer). */
  readonly args: Readonly<Record<string, Arg>>;
  /** The monoid's meta fields. */
  readonly fields: Readonly<Record<string, MetaType>>;
  /** Values of the monoid's meta fields, given the resolved bindings (for window offsets). */
  readonly values: (bound: Bound) => Record<string, number>;
  /**
   * The monoid's WGSL, given binding names and a meta accessor. With `serial` (the `'serial'` strategy) it must
   * not use `prologue`/`epilogue` or workgroup memory: each invocation scans one (problem, lane) alone.
   */
  readonly wgsl: (
    names: Readonly<Record<string, string>>,
    meta: (field: string) => string,
    serial: boolean,
  ) => LaneMonoidWgsl;
}

/** Geometry of a scan. */
export interface LaneScanGeometry {
  /** Segments per workgroup. */
  readonly segments: number;
  /** Positions per invocation. */
  readonly positions: number;
  /** Positions per tile. */
  readonly tile: number;
  /** Tiles per problem. */
  readonly tilesPerProblem: number;
  /** Words per state (`header + lanes`). */
  readonly words: number;
  /** Words of the work buffer the scan uses. */
  readonly workWords: number;
}

/** The geometry of `spec` with `strategy`. */
export function laneScanGeometry(spec: LaneScanSpec, strategy: ScanStrategy): LaneScanGeometry {
  const segments = 256 / spec.lanes;
  const wanted = Math.ceil(spec.n / segments);
  const positions = Math.max(
    1,
    Math.min(spec.maxPositions, spec.maxTile / segments, 2 ** Math.ceil(Math.log2(Math.max(1, wanted)))),
  );
  const tile = segments * positions;
  const tilesPerProblem = Math.max(1, Math.ceil(spec.n / tile));
  const words = spec.header.length + spec.lanes;
  const tiles = tilesPerProblem * spec.problems;
  const region = strategy === 'lookback' ? tiles * 2 * words * 2 : tiles * words * 2;
  return {
    segments,
    positions,
    tile,
    tilesPerProblem,
    words,
    workWords: tilesPerProblem > 1 ? 4 + region : 4,
  };
}

const FRAMEWORK_FIELDS = {
  n: 'u32',
  positions: 'u32',
  lanes: 'u32',
  segments: 'u32',
  tilesPerProblem: 'u32',
  problems: 'u32',
  workBase: 'u32',
  spinLimit: 'u32',
} as const satisfies Record<string, MetaType>;

type Pass = 'lookback' | 'reduce' | 'scan' | 'finish' | 'serial';

/** The module-scope WGSL shared by every pass. */
function frameworkModule(spec: LaneScanSpec, work: string, m: (f: string) => string): string {
  const H = spec.header.length;
  const LT = spec.laneType;
  const fields = spec.header.map((h) => `${h}: f32, `).join('');
  const headerWord = spec.header.map((h, i) => `if (k == ${i}u) { return bitcast<u32>(s.${h}); }`).join(' ');
  const fromWords = (head: (i: number) => string, lane: string) =>
    `St(${spec.header.map((_, i) => `bitcast<f32>(${head(i)}), `).join('')}bitcast<${LT}>(${lane}))`;
  return `
struct St { ${fields}l: ${LT} }
fn header_word(s: St, k: u32) -> u32 { ${headerWord} return 0u; }
var<workgroup> seg_st: array<St, 256>;
var<workgroup> lb_words: array<u32, ${H + 64}>;
var<workgroup> lb_bad: atomic<u32>;
var<workgroup> lb_ready: u32;
var<workgroup> wg_tile: u32;
var<private> cache: array<St, ${spec.maxPositions}>;

fn thread_reduce(prob: u32, base: u32, seg: u32, lane: u32, keep: bool) -> St {
  var acc = identity();
  let n = ${m('n')};
  let P = ${m('positions')};
  for (var k = 0u; k < P; k++) {
    let local = seg * P + k;
    var v = identity();
    if (base + local < n) { v = leaf(prob, lane, base + local, local); }
    if (keep) { cache[k] = v; }
    acc = combine(acc, v);
  }
  return acc;
}

// Inclusive scan over the segments (lane by lane) with few barriers: segments are grouped into runs of
// RUN; one invocation per run and lane scans its run in place, the lane's first invocation scans the run
// totals, and every invocation adds its run's prefix. Afterwards seg_st[s * CL + lane] holds segment s's
// inclusive prefix.
var<workgroup> run_st: array<St, 256>;
fn segment_scan(lid: u32, seg: u32, own: St) -> St {
  let L = lanes_n();
  let lane = lid % L;
  let S = segments_n();
  let run = min(S, 16u);
  let runs = S / run;
  seg_st[lid] = own;
  workgroupBarrier();
  if (seg < runs) {
    var acc = identity();
    for (var j = 0u; j < run; j++) {
      let idx = (seg * run + j) * L + lane;
      acc = combine(acc, seg_st[idx]);
      seg_st[idx] = acc;
    }
    run_st[seg * L + lane] = acc;
  }
  workgroupBarrier();
  if (seg == 0u) {
    var acc = identity();
    for (var r = 0u; r < runs; r++) {
      let t = run_st[r * L + lane];
      run_st[r * L + lane] = acc;
      acc = combine(acc, t);
    }
  }
  workgroupBarrier();
  let v = combine(run_st[(seg / run) * L + lane], seg_st[lid]);
  workgroupBarrier();
  seg_st[lid] = v;
  workgroupBarrier();
  return v;
}

// Status words of tile 'idx' (kind 0: aggregate, 1: inclusive prefix): word k of the state (lanes first, then
// the header) is stored as two atomic words 0x10000 | half, so 0 means "not published yet".
fn words_n() -> u32 { return lanes_n() + ${H}u; }
fn status_base(idx: u32, kind: u32) -> u32 { return ${m('workBase')} + 4u + (idx * 2u + kind) * 2u * words_n(); }
fn publish(lid: u32, idx: u32, kind: u32, s: St) {
  let base = status_base(idx, kind);
  var word = 0u;
  var write = false;
  if (lid < lanes_n()) { word = bitcast<u32>(s.l); write = true; }
  else if (lid < words_n()) { word = header_word(s, lid - lanes_n()); write = true; }
  if (write) {
    atomicStore(&${work}[base + 2u * lid], 0x10000u | (word & 0xffffu));
    atomicStore(&${work}[base + 2u * lid + 1u], 0x10000u | (word >> 16u));
  }
}
fn read_status(lid: u32, idx: u32, kind: u32) -> bool {
  if (lid == 0u) { atomicStore(&lb_bad, 0u); }
  workgroupBarrier();
  if (lid < words_n()) {
    let base = status_base(idx, kind);
    let lo = atomicLoad(&${work}[base + 2u * lid]);
    let hi = atomicLoad(&${work}[base + 2u * lid + 1u]);
    if (lo == 0u || hi == 0u) { atomicOr(&lb_bad, 1u); }
    lb_words[lid] = (lo & 0xffffu) | (hi << 16u);
  }
  workgroupBarrier();
  if (lid == 0u) { lb_ready = select(1u, 0u, atomicLoad(&lb_bad) != 0u); }
  return workgroupUniformLoad(&lb_ready) == 1u;
}
fn lb_state(lane: u32) -> St { return ${fromWords((i) => `lb_words[lanes_n() + ${i}u]`, 'lb_words[lane]')}; }

// Plain state words of tile 'idx' in region 0 (aggregates) or 1 (exclusive prefixes): header, then lanes.
fn plain_base(idx: u32, region: u32) -> u32 {
  return ${m('workBase')} + 4u + (region * ${m('tilesPerProblem')} * ${m('problems')} + idx) * words_n();
}
fn load_plain(idx: u32, region: u32, lane: u32) -> St {
  let b = plain_base(idx, region);
  return ${fromWords((i) => `atomicLoad(&${work}[b + ${i}u])`, `atomicLoad(&${work}[b + ${H}u + lane])`)};
}
fn store_plain(idx: u32, region: u32, lane: u32, s: St, header: bool) {
  let b = plain_base(idx, region);
  atomicStore(&${work}[b + ${H}u + lane], bitcast<u32>(s.l));
  if (header) { for (var k = 0u; k < ${H}u; k++) { atomicStore(&${work}[b + k], header_word(s, k)); } }
}

fn emit_tile(prob: u32, base: u32, seg: u32, lane: u32, prefix: St) {
  let n = ${m('n')};
  let P = ${m('positions')};
  var run = prefix;
  for (var k = 0u; k < P; k++) {
    let local = seg * P + k;
    if (base + local < n) {
      let before = run;
      run = combine(run, cache[k]);
      emit(prob, lane, base + local, local, run, before, cache[k]);
    }
  }
}
`;
}

/** The body of `main` for one pass. */
function passBody(pass: Pass, work: string, m: (f: string) => string, hooks: LaneMonoidWgsl): string {
  const prologue = (prob: string, base: string) =>
    hooks.prologue ? `prologue(${prob}, ${base}, lid);\n  workgroupBarrier();` : '';
  const epilogue = hooks.epilogue ? 'workgroupBarrier();\n  epilogue(prob, base, lid);' : '';
  const setup = `
  let seg = lid / lanes_n();
  let lane = lid % lanes_n();
  let tpp = ${m('tilesPerProblem')};`;
  // Own tile: reduce (leaves cached), scan the segments, read the tile aggregate and segment prefix.
  const ownTile = `
  ${prologue('prob', 'base')}
  let own = thread_reduce(prob, base, seg, lane, true);
  _ = segment_scan(lid, seg, own);
  let agg = seg_st[(segments_n() - 1u) * lanes_n() + lane];
  var excl = identity();
  if (seg > 0u) { excl = seg_st[lid - lanes_n()]; }
  workgroupBarrier();`;
  switch (pass) {
    case 'serial':
      return `
  let t = wg * 256u + lid;
  let prob = t / lanes_n();
  let lane = t % lanes_n();
  if (prob >= ${m('problems')}) { return; }
  let n = ${m('n')};
  var run = identity();
  for (var p = 0u; p < n; p++) {
    let item = leaf(prob, lane, p, 0u);
    let before = run;
    run = combine(run, item);
    emit(prob, lane, p, 0u, run, before, item);
  }`;
    case 'lookback':
      return `${setup}
  if (lid == 0u) { wg_tile = atomicAdd(&${work}[${m('workBase')}], 1u); }
  let tile = workgroupUniformLoad(&wg_tile);
  let prob = tile / tpp;
  let t = tile % tpp;
  let base = t * tile_positions();
  ${ownTile}
  var prefix = identity();
  if (t == 0u) {
    publish(lid, tile, 1u, agg);
  } else {
    publish(lid, tile, 0u, agg);
    var j = t - 1u;
    var spins = 0u;
    let limit = ${m('spinLimit')};
    loop {
      let row = prob * tpp + j;
      // A spin limit of 0 never reads predecessors: every tile reduces them itself (tests the fallback).
      if (limit > 0u && read_status(lid, row, 1u)) {
        prefix = combine(lb_state(lane), prefix);
        break;
      }
      if (limit > 0u && read_status(lid, row, 0u)) {
        prefix = combine(lb_state(lane), prefix);
        j = j - 1u;
        spins = 0u;
        continue;
      }
      spins = spins + 1u;
      if (spins >= limit) {
        // Decoupled fallback: reduce the predecessor's tile here instead of waiting for it.
        ${prologue('prob', 'j * tile_positions()')}
        let part = thread_reduce(prob, j * tile_positions(), seg, lane, false);
        _ = segment_scan(lid, seg, part);
        prefix = combine(seg_st[(segments_n() - 1u) * lanes_n() + lane], prefix);
        workgroupBarrier();
        if (j == 0u) { break; }
        j = j - 1u;
        spins = 0u;
      }
    }
    publish(lid, tile, 1u, combine(prefix, agg));
  }
  emit_tile(prob, base, seg, lane, combine(prefix, excl));
  ${epilogue}`;
    case 'reduce':
      return `${setup}
  let prob = wg / tpp;
  let base = (wg % tpp) * tile_positions();
  ${ownTile}
  if (seg == 0u) { store_plain(wg, 0u, lane, agg, lane == 0u); }`;
    case 'scan':
      return `${setup}
  let prob = wg;
  let q = (tpp + segments_n() - 1u) / segments_n();
  var acc = identity();
  for (var i = 0u; i < q; i++) {
    let t = seg * q + i;
    if (t < tpp) { acc = combine(acc, load_plain(prob * tpp + t, 0u, lane)); }
  }
  _ = segment_scan(lid, seg, acc);
  var run = identity();
  if (seg > 0u) { run = seg_st[lid - lanes_n()]; }
  for (var i = 0u; i < q; i++) {
    let t = seg * q + i;
    if (t < tpp) {
      let a = load_plain(prob * tpp + t, 0u, lane);
      store_plain(prob * tpp + t, 1u, lane, run, lane == 0u);
      run = combine(run, a);
    }
  }`;
    case 'finish':
      return `${setup}
  let prob = wg / tpp;
  let base = (wg % tpp) * tile_positions();
  ${ownTile}
  var prefix = identity();
  if (tpp > 1u) { prefix = load_plain(wg, 1u, lane); }
  emit_tile(prob, base, seg, lane, combine(prefix, excl));
  ${epilogue}`;
  }
}

/**
 * Runs the scan of `spec` with `strategy`, using `work` (a scratch buffer of at least
 * `workBase + laneScanGeometry(spec, strategy).workWords` words, whose scan region this call clears).
 */
export function runLaneScan(
  ctx: GpuContext,
  spec: LaneScanSpec,
  strategy: ScanStrategy,
  work: GPUBuffer,
  workBase: number,
): void {
  if (spec.problems === 0 || spec.n === 0) return;
  const geo = laneScanGeometry(spec, strategy);
  const tiles = geo.tilesPerProblem * spec.problems;
  const meta = new MetaLayout({ ...FRAMEWORK_FIELDS, ...spec.fields } as Record<string, MetaType>);
  const bound = ctx.bind(spec.label, { ...spec.args, work: ctx.scratchArg(work, 'atomic<u32>') });
  const get = (f: string) => meta.get(f);
  const serial = strategy === 'serial';
  const hooks = spec.wgsl(bound.names, get, serial);
  if (serial && (hooks.prologue || hooks.epilogue)) {
    throw new Error(`${spec.label}: a serial scan cannot use workgroup prologue/epilogue hooks`);
  }
  const workName = bound.names.work!;
  const constants = `fn lanes_n() -> u32 { return ${get('lanes')}; }
fn segments_n() -> u32 { return ${get('segments')}; }
fn tile_positions() -> u32 { return ${get('positions')} * segments_n(); }
`;
  const module = `${constants}${hooks.module}\n${frameworkModule(spec, workName, get)}`;
  const values = {
    ...spec.values(bound),
    n: spec.n,
    positions: geo.positions,
    lanes: spec.lanes,
    segments: geo.segments,
    tilesPerProblem: geo.tilesPerProblem,
    problems: spec.problems,
    workBase: workBase - bound.base.work!,
    spinLimit: ctx.spinLimit,
  };
  const run = (pass: Pass, workgroups: number) => {
    const source = program({
      bound,
      meta,
      workgroupSize: 256,
      module,
      body: passBody(pass, workName, get, hooks),
    });
    ctx.dispatch(`${spec.label}.${pass}`, bound, source, meta.pack(values), workgroups);
  };
  if (serial) {
    run('serial', Math.ceil((spec.problems * spec.lanes) / 256));
  } else if (geo.tilesPerProblem === 1) {
    run('finish', tiles);
  } else if (strategy === 'lookback') {
    ctx.clear(work, workBase * 4, geo.workWords * 4);
    run('lookback', tiles);
  } else {
    run('reduce', tiles);
    run('scan', spec.problems);
    run('finish', tiles);
  }
}
