/**
 * The `Backend` contract: the one interface every backend (CPU, WebGPU, ONNX, yours) implements.
 * This file holds types only, no implementation. A backend that implements {@link Backend} and passes
 * the conformance suite in `@aaren/core/testing` is a working backend for every package above core.
 *
 * Conventions shared by all kernels:
 * - Kernels never allocate their outputs: the op layer allocates `out` with {@link Backend.alloc}
 *   and passes it in. Every `out` is a contiguous row-major view (`offset` 0) unless a kernel says otherwise.
 * - Inputs are {@link TensorView}s. Kernels documented as *strided* accept any non-negative strides (a stride
 *   of 0 broadcasts an axis) and any offset; all other kernels receive inputs with row-major strides but
 *   possibly a nonzero `offset` (a slice of a larger buffer), flattened by the op layer to the small fixed
 *   ranks their signature gives (e.g. `[outer, n, inner]` for reductions).
 * - Extents may be 0 and `alloc(dtype, 0)` must work; a kernel with no output elements returns without
 *   touching memory, but outputs that still have elements are written (e.g. `attentionScan` with D = 0 writes
 *   the running max and denominator; `linearAttention` with N = 0 writes `finalState` = initial state).
 * - `reduce`, `argmax`, `cumsum` and `cummax` accept i32 as well as f32; for i32, the identities of max and
 *   min (empty max/min, the first element of an exclusive cummax) are −2³¹ and 2³¹ − 1. Overflowing f32
 *   results are ±∞. `matmul`, `softmax`, the norms, `rope` and the attention slots are f32 only.
 * - An output never aliases an input, except where a kernel says so (`rope` may run in place).
 * - Indices of `gather`/`scatterAdd` outside `[0, V)` are invalid input: a backend may throw (the CPU backend
 *   does) or, where checking would need a read-back (GPUs), write zeros / skip the row. The op layer does not
 *   check indices on the device.
 *   `pow` with a negative base and an integer exponent is real ((−2)³ = −8).
 * - f32 math follows IEEE semantics; kernels must not turn finite inputs into NaN where the
 *   mathematical result is finite (softmax of `[-Infinity, 0]` is `[0, 1]`, never NaN). NaN inputs
 *   propagate through `max`/`min`/`cummax`/softmax; `argmax` returns the index of the first NaN.
 * - i32 arithmetic wraps like C/WGSL: `mul` is a 32-bit multiply, `div` truncates toward zero, and
 *   division by zero gives 0. Converting f32 to i32 truncates toward zero, clamps to the i32 range and maps
 *   NaN to 0 (WGSL semantics).
 * @packageDocumentation
 */
import type { DType, TensorData } from './dtype.js';

/** Version of this contract. Bumped on any breaking change to a kernel signature. */
export const BACKEND_SPECIFICATION_VERSION = 'v1' as const;

/**
 * A block of device memory owned by one backend. Opaque to everything but the backend that made it;
 * backends extend it with their own fields.
 */
export interface BackendBuffer {
  /** Element type the buffer was allocated for. */
  readonly dtype: DType;
  /** Capacity in elements. */
  readonly size: number;
}

/**
 * A strided window onto a {@link BackendBuffer}: element `(i0, i1, ...)` lives at
 * `offset + Σ i_k·strides[k]` (in elements). Contiguous row-major views have
 * `strides = contiguousStrides(shape)` and `offset = 0`.
 */
export interface TensorView {
  readonly buffer: BackendBuffer;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Elementwise functions of one argument. Integer tensors support `neg`, `abs` and `sign`. */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'rsqrt'
  | 'reciprocal'
  | 'square'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  /** Heaviside step: 1 where x > 0, else 0 (the derivative of relu). */
  | 'step'
  /** GELU with the exact erf form, `x·Φ(x)`. */
  | 'gelu'
  /** GELU with the tanh approximation used by GPT-2 (`gelu_new`). */
  | 'geluTanh'
  | 'silu'
  | 'softplus'
  | 'erf';

/** Elementwise functions of two arguments. Comparisons return 1 or 0 in the output dtype. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'equal'
  | 'notEqual'
  | 'less'
  | 'lessEqual'
  | 'greater'
  | 'greaterEqual';

/** Reductions along one axis. */
export type ReduceOp = 'sum' | 'max' | 'min';

/** Options of {@link Kernels.matmul}. */
export interface MatmulOptions {
  /** Read `a` as `[batch, K, M]` and use its transpose. */
  readonly transposeA: boolean;
  /** Read `b` as `[batch, N, K]` and use its transpose. */
  readonly transposeB: boolean;
}

/** Options of the cumulative kernels. */
export interface CumulativeOptions {
  /** Scan from the end of the axis towards its start. */
  readonly reverse: boolean;
  /** Exclusive scan: element i combines elements strictly before i (the identity at the first). */
  readonly exclusive: boolean;
}

/** Options of {@link Kernels.rope}. */
export interface RopeOptions {
  /**
   * Pairing of the rotated features. `false` (Llama/Hugging Face "rotate_half"): feature i pairs with
   * i + D/2. `true` (GPT-J, original RoFormer): feature 2i pairs with 2i+1.
   */
  readonly interleaved: boolean;
  /** Rotate by −θ instead of θ (the inverse rotation; used by the backward pass). */
  readonly inverse: boolean;
}

/**
 * The fixed kernel set. A missing kernel is a compile error in a backend that claims to implement
 * {@link Backend}. Shapes below are the shapes of the views passed in.
 */
export interface Kernels {
  /** *Strided.* `out[i] = op(x[i])`. `x.shape` equals `out.shape`. */
  unary(op: UnaryOp, x: TensorView, out: TensorView): void;
  /**
   * *Strided.* `out[i] = op(a[i], b[i])`. `a` and `b` are already broadcast to `out.shape` by the op layer
   * (broadcast axes have stride 0). Comparison ops write 1/0.
   */
  binary(op: BinaryOp, a: TensorView, b: TensorView, out: TensorView): void;
  /** *Strided.* `out[i] = cond[i] != 0 ? a[i] : b[i]`; all inputs broadcast to `out.shape`. */
  where(cond: TensorView, a: TensorView, b: TensorView, out: TensorView): void;
  /** *Strided output.* Sets every element of `out` (which may be strided) to `value`. */
  fill(out: TensorView, value: number): void;
  /**
   * *Strided input and output.* `out[i] = x[i]`, converting dtype when they differ (f32→i32 truncates
   * toward zero). The single layout kernel: transpose, slice, concat, pad, broadcast and contiguous copies
   * are all `copy` between views.
   */
  copy(x: TensorView, out: TensorView): void;
  /**
   * Batched matrix product `out[b] = op(a[b]) · op(b[b])` with `a: [batch, M, K]` (or `[batch, K, M]` when
   * transposed), `b: [batch, K, N]` (or `[batch, N, K]`), `out: [batch, M, N]`. Batch extents are equal.
   * The batch stride of `a` or `b` may be 0 (one matrix shared by every batch element); other strides are
   * contiguous. `K = 0` writes zeros.
   */
  matmul(a: TensorView, b: TensorView, out: TensorView, options: MatmulOptions): void;
  /**
   * Reduces the middle axis of `x: [outer, n, inner]` into `out: [outer, inner]`. Empty sum is 0, empty max −∞
   * and empty min +∞ (i32: −2³¹ and 2³¹ − 1).
   */
  reduce(op: ReduceOp, x: TensorView, out: TensorView): void;
  /**
   * Index (i32) of the first maximum along the middle axis of `x: [outer, n, inner]` → `out: [outer, inner]`.
   * `n` is at least 1 (the op layer rejects empty axes).
   */
  argmax(x: TensorView, out: TensorView): void;
  /**
   * Softmax (or log-softmax when `log`) over the last axis of `x: [rows, n]`, stable for ±∞ and huge logits.
   * A row that is all −∞ gives zeros (softmax) or −∞ (log-softmax), never NaN.
   */
  softmax(x: TensorView, out: TensorView, log: boolean): void;
  /**
   * Layer norm over the last axis of `x: [rows, n]`: `(x − mean) / sqrt(var + eps) · gamma + beta`
   * (biased variance). `gamma`/`beta` are `[n]` or `null` (1 and 0).
   */
  layerNorm(
    x: TensorView,
    gamma: TensorView | null,
    beta: TensorView | null,
    eps: number,
    out: TensorView,
  ): void;
  /** RMS norm over the last axis of `x: [rows, n]`: `x / sqrt(mean(x²) + eps) · gamma`. */
  rmsNorm(x: TensorView, gamma: TensorView | null, eps: number, out: TensorView): void;
  /**
   * Group norm of `x: [rows, C]`: the C channels split into `groups` contiguous groups, each normalised
   * like layer norm, then `· gamma[c] + beta[c]` (`[C]` or `null`).
   */
  groupNorm(
    x: TensorView,
    groups: number,
    gamma: TensorView | null,
    beta: TensorView | null,
    eps: number,
    out: TensorView,
  ): void;
  /** Embedding lookup: `out[i, :] = table[indices[i], :]`, `table: [V, D]`, `indices: [n]` (i32), `out: [n, D]`. */
  gather(table: TensorView, indices: TensorView, out: TensorView): void;
  /** Accumulates `out[indices[i], :] += src[i, :]` with `src: [n, D]`, `out: [V, D]` (not cleared first). */
  scatterAdd(indices: TensorView, src: TensorView, out: TensorView): void;
  /**
   * Rotary position embedding of `x: [rows, T, D]` with angle tables `cos, sin: [T, D/2]`
   * (pair j rotated by angle θ_{t,j}). See {@link RopeOptions} for the pairing.
   */
  rope(x: TensorView, cos: TensorView, sin: TensorView, out: TensorView, options: RopeOptions): void;
  /** Cumulative sum along the middle axis of `x: [outer, n, inner]`. */
  cumsum(x: TensorView, out: TensorView, options: CumulativeOptions): void;
  /** Cumulative max along the middle axis of `x: [outer, n, inner]` (identity −∞). */
  cummax(x: TensorView, out: TensorView, options: CumulativeOptions): void;
  /**
   * Attention scan slot (Aaren, arXiv 2405.13956 §3): for each row r of `scores: [R, N]` and
   * `values: [R, N, D]`, writes every prefix output `out[r, k] = Σ_{i≤k} e^{s_i − m_k} v_i / w_k`, the running
   * max `maxOut[r, k] = m_k = max_{i≤k} s_i` and the running denominator `denomOut[r, k] = w_k = Σ_{i≤k} e^{s_i − m_k}`.
   * Scores of −∞ mark masked tokens; a prefix with no unmasked token yields `out = 0`, `m = −∞`, `w = 0`.
   */
  attentionScan(
    scores: TensorView,
    values: TensorView,
    out: TensorView,
    maxOut: TensorView,
    denomOut: TensorView,
  ): void;
  /**
   * Backward of {@link Kernels.attentionScan}: given the forward's inputs and outputs and `gradOut: [R, N, D]`,
   * writes `gradScores: [R, N]` and `gradValues: [R, N, D]` in O(N·D) per row (reverse scans, no N×N).
   */
  attentionScanBackward(
    scores: TensorView,
    values: TensorView,
    out: TensorView,
    maxOut: TensorView,
    denomOut: TensorView,
    gradOut: TensorView,
    gradScores: TensorView,
    gradValues: TensorView,
  ): void;
  /**
   * Linear-attention slot (SUPRA, arXiv 2405.06640 eq. 4 with decay): for each row r,
   * `S_t = γ_r S_{t−1} + k_tᵀ v_t`, `out_t = q_t S_t`, with `q, k: [R, N, Dk]`, `v: [R, N, Dv]`, `decay: [R]`,
   * `initialState: [R, Dk, Dv]` or `null` (zeros), `out: [R, N, Dv]`, `finalState: [R, Dk, Dv]` or `null`.
   * Feature maps are applied by the caller; a normaliser is this kernel with `v = 1`.
   */
  linearAttention(
    q: TensorView,
    k: TensorView,
    v: TensorView,
    decay: TensorView,
    initialState: TensorView | null,
    out: TensorView,
    finalState: TensorView | null,
  ): void;
  /**
   * Backward of {@link Kernels.linearAttention} (with zero initial state) given `gradOut: [R, N, Dv]`:
   * writes `gradQ`, `gradK: [R, N, Dk]` and `gradV: [R, N, Dv]`.
   */
  linearAttentionBackward(
    q: TensorView,
    k: TensorView,
    v: TensorView,
    decay: TensorView,
    gradOut: TensorView,
    gradQ: TensorView,
    gradK: TensorView,
    gradV: TensorView,
  ): void;
}

/** Counts of device memory a backend currently holds for live buffers. */
export interface MemoryInfo {
  /** Buffers allocated and not yet freed. */
  readonly liveBuffers: number;
  /** Bytes held by those buffers. */
  readonly liveBytes: number;
}

/**
 * A compute backend: memory management plus the {@link Kernels}. Created by the user
 * (`cpuBackend()`, `await createWebGPUBackend(...)`) and passed to tensor constructors; tensors remember it.
 */
export interface Backend {
  /** Contract version the backend implements. */
  readonly specificationVersion: typeof BACKEND_SPECIFICATION_VERSION;
  /** Short unique name, e.g. `'cpu'`, `'webgpu'`. */
  readonly name: string;
  /** Allocates an uninitialised buffer of `size` elements. */
  alloc(dtype: DType, size: number): BackendBuffer;
  /** Copies `data` into `buffer` starting at element `offset`. */
  write(buffer: BackendBuffer, data: TensorData, offset?: number): void;
  /** Reads `size` elements starting at `offset` (defaults: the whole buffer). */
  read(buffer: BackendBuffer, offset?: number, size?: number): Promise<TensorData>;
  /** Synchronous read, for backends whose memory is host memory. `undefined` when unsupported. */
  readonly readSync?: (buffer: BackendBuffer, offset?: number, size?: number) => TensorData;
  /** Releases a buffer. Freeing twice is a no-op; using a freed buffer is an error the backend may report. */
  free(buffer: BackendBuffer): void;
  /** Live buffers and bytes; used by leak tests and memory benchmarks. */
  memoryInfo(): MemoryInfo;
  /** The kernel table. */
  readonly kernels: Kernels;
  /** Waits until all submitted work is done (GPU backends); resolves at once on CPU. */
  sync(): Promise<void>;
  /** Frees every resource the backend holds. The backend must not be used afterwards. */
  dispose(): void;
}
