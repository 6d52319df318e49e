/** Unit of a throughput figure. */
export type ThroughputUnit = 'GB/s' | 'GFLOP/s' | 'Melem/s' | 'tokens/s' | 'ops/s';

/** A function timed by the harness. May be async (GPU work, ONNX Runtime sessions). */
export type BenchFn = () => unknown;

/** One timed implementation: ours or the baseline. */
export interface Timed {
  /** Label, e.g. `'attentionScan (cpu)'` or `'onnxruntime-node MatMul'`. */
  readonly name: string;
  /** The work to time; one call is one repetition. */
  readonly fn: BenchFn;
}

/** A benchmark case: our implementation and (optionally) a baseline timed in the same run. */
export interface BenchCase {
  /** Case name, e.g. `'matmul'`. */
  readonly name: string;
  /** Backend or engine that runs our implementation, e.g. `'cpu'`. */
  readonly backend: string;
  /** Problem size as a label, e.g. `512` or `'N=4096,d=64'`. */
  readonly size: string | number;
  /** Work per repetition in `unit` numerators (bytes for GB/s, flops for GFLOP/s, elements, tokens). */
  readonly work: number;
  /** Unit of the throughput figure. */
  readonly unit: ThroughputUnit;
  /** Our implementation. */
  readonly ours: BenchFn;
  /** Reference implementation timed in the same run; `ratio` = baseline time / our time (>1: we are faster). */
  readonly baseline?: Timed;
  /** Runs once before timing (allocations, compilation). */
  readonly setup?: () => unknown;
  /** Runs once after timing (free memory). */
  readonly teardown?: () => unknown;
  /** Extra fields copied into the JSON result (e.g. memory held by a state). */
  readonly extra?: () => Record<string, unknown>;
}

/** A benchmark file's default export: a named list of cases (built lazily so imports stay cheap). */
export interface BenchSuite {
  readonly name: string;
  readonly cases: () => BenchCase[] | Promise<BenchCase[]>;
}

/** One row of the JSON results. */
export interface BenchResult {
  readonly suite: string;
  readonly name: string;
  readonly backend: string;
  readonly size: string | number;
  /** Median milliseconds per repetition of ours. */
  readonly ms: number;
  readonly throughput: number;
  readonly unit: ThroughputUnit;
  readonly baseline: { readonly name: string; readonly ms: number; readonly throughput: number } | null;
  /** Baseline time / our time; > 1 means ours is faster. `null` without a baseline. */
  readonly ratio: number | null;
  readonly repetitions: number;
  readonly [key: string]: unknown;
}
