/**
 * Kernel-level test harness: builds {@link TensorView}s of any layout on a backend, reads them back in
 * logical order, and checks outputs against references (including that nothing outside an output view
 * was written and that no input was modified).
 * @packageDocumentation
 */
import { it } from 'vitest';
import type { Backend, BackendBuffer, TensorView } from '../backend.js';
import type { DType, TensorData } from '../dtype.js';
import { allocTypedArray } from '../dtype.js';
import { expectAllClose, type Tolerance } from './all-close.js';
import { createTestRng, hashString, type RandomShapeOptions, randomShape, type TestRng } from './test-rng.js';
import type { ToleranceKey } from './tolerances.js';

/**
 * Physical layout of a view inside its buffer. The default (`{}`) is contiguous row-major at offset 0.
 * A view with `order`, `padding`, `broadcast` or `offset` is a window onto a larger tensor, as the op layer
 * makes for transposes, slices and broadcasts.
 */
export interface Layout {
  /** Physical order of the axes, outermost first (a permutation of `[0, rank)`); reversed = transposed. */
  readonly order?: readonly number[];
  /** Extra extent per axis in the underlying tensor, so the view is a slice of it. */
  readonly padding?: readonly number[];
  /** Axes read with stride 0 (broadcast: every index along the axis reads the same element). */
  readonly broadcast?: readonly boolean[];
  /** Element offset of index `[0, 0, ...]` in the buffer. */
  readonly offset?: number;
}

/** Strides, offset and buffer size of a view of `shape` with `layout`. */
export interface ResolvedLayout {
  readonly strides: number[];
  readonly offset: number;
  /** Smallest buffer size holding every element of the view. */
  readonly extent: number;
}

/** Resolves a {@link Layout} for `shape` into strides, offset and the buffer size it needs. */
export function resolveLayout(shape: readonly number[], layout: Layout = {}): ResolvedLayout {
  const rank = shape.length;
  const order = layout.order ?? shape.map((_, i) => i);
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let k = rank - 1; k >= 0; k--) {
    const a = order[k]!;
    if (layout.broadcast?.[a]) {
      strides[a] = 0;
    } else {
      strides[a] = s;
      s *= shape[a]! + (layout.padding?.[a] ?? 0);
    }
  }
  const offset = layout.offset ?? 0;
  return { strides, offset, extent: offset + s };
}

/** Calls `fn(flat, address)` for every element of a view in row-major logical order. */
export function forEachElement(
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  fn: (flat: number, address: number) => void,
): void {
  const rank = shape.length;
  let size = 1;
  for (const d of shape) size *= d;
  const index = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < size; flat++) {
    let address = offset;
    for (let k = 0; k < rank; k++) address += index[k]! * strides[k]!;
    fn(flat, address);
    for (let k = rank - 1; k >= 0; k--) {
      index[k]!++;
      if (index[k]! < shape[k]!) break;
      index[k] = 0;
    }
  }
}

/** Number of elements of `shape`. */
export function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Options of {@link randomLayout}. */
export interface RandomLayoutOptions {
  /** Allow stride-0 (broadcast) axes. Default `false`. */
  readonly broadcast?: boolean;
}

/**
 * A random non-contiguous layout for `shape`: with probability ½ each, a permuted axis order, padding
 * (the view is a slice), a nonzero offset and (when allowed) broadcast axes.
 */
export function randomLayout(
  rng: TestRng,
  shape: readonly number[],
  options: RandomLayoutOptions = {},
): Layout {
  const rank = shape.length;
  const order = rng.bool() ? rng.permutation(rank) : undefined;
  const padding = rng.bool() ? shape.map(() => rng.int(0, 2)) : undefined;
  const broadcast = options.broadcast && rng.bool() ? shape.map(() => rng.bool(0.3)) : undefined;
  const offset = rng.bool() ? rng.int(1, 5) : 0;
  return { order, padding, broadcast, offset };
}

/** Describes a layout in test messages, e.g. `strides [1, 3] offset 2`. */
export function describeView(view: TensorView): string {
  return `${view.dtype}[${view.shape.join(', ')}] strides [${view.strides.join(', ')}] offset ${view.offset}`;
}

/** Value of out-of-view elements of input buffers: NaN (f32) poisons any result that reads them. */
const INPUT_PADDING: Record<DType, number> = { f32: Number.NaN, i32: -1_234_567 };
/** Value every element of an output buffer holds before the kernel runs. */
const OUTPUT_SENTINEL: Record<DType, number> = { f32: -7777.25, i32: -7777 };
/** Elements appended after every view, so kernels that trust `buffer.size` instead of the shape fail. */
const SLACK = 3;

/** Source of a view's values: explicit logical values (row-major) or a generator called per element. */
export type ValueSource = ArrayLike<number> | (() => number);

/** An input view and the values it holds, in logical row-major order. */
export interface HostView {
  /** The view to pass to a kernel. */
  readonly view: TensorView;
  /** Its elements in logical row-major order (rounded to the dtype, as stored). */
  readonly values: Float64Array;
}

interface Tracked {
  readonly buffer: BackendBuffer;
  readonly initial: TensorData;
  readonly kind: 'input' | 'output';
  readonly views: TensorView[];
}

/** Options of {@link KernelHarness.output}. */
export interface OutputOptions {
  /** Layout of the output view (only kernels with *strided output* accept non-default layouts). */
  readonly layout?: Layout;
  /** Initial values inside the view (e.g. for `scatterAdd`, which accumulates); default the sentinel. */
  readonly init?: ValueSource;
}

/**
 * Allocates, fills and reads back views on one backend for one test, tracking every buffer it made so that
 * {@link KernelHarness.dispose} frees them all.
 */
export class KernelHarness {
  /** The backend under test. */
  readonly backend: Backend;
  private readonly tracked: Tracked[] = [];

  /** A harness allocating on `backend`. */
  constructor(backend: Backend) {
    this.backend = backend;
  }

  private place(
    dtype: DType,
    shape: readonly number[],
    layout: Layout,
    fill: number,
    source: ValueSource | undefined,
  ): { view: TensorView; data: TensorData; values: Float64Array } {
    const { strides, offset, extent } = resolveLayout(shape, layout);
    const data = allocTypedArray(dtype, extent + SLACK);
    data.fill(fill);
    const assigned = new Uint8Array(data.length);
    const size = sizeOfShape(shape);
    if (source !== undefined && typeof source !== 'function' && source.length !== size) {
      throw new Error(`harness: ${source.length} values given for shape [${shape.join(', ')}]`);
    }
    const scratch = allocTypedArray(dtype, 1);
    forEachElement(shape, strides, offset, (flat, address) => {
      if (source === undefined) return;
      if (typeof source === 'function') {
        if (!assigned[address]) data[address] = source();
      } else {
        scratch[0] = source[flat]!;
        if (assigned[address] && !Object.is(data[address], scratch[0])) {
          throw new Error('harness: explicit values are not constant along a broadcast axis');
        }
        data[address] = scratch[0]!;
      }
      assigned[address] = 1;
    });
    const buffer = this.backend.alloc(dtype, data.length);
    this.backend.write(buffer, data);
    const view: TensorView = { buffer, dtype, shape: [...shape], strides, offset };
    const values = new Float64Array(size);
    forEachElement(shape, strides, offset, (flat, address) => {
      values[flat] = data[address]!;
    });
    return { view, data, values };
  }

  /**
   * An input view of `shape` holding `source` (rounded to `dtype`). Elements of the buffer outside the view
   * hold NaN (f32) or a junk integer, so a kernel that reads outside its view produces a wrong result.
   */
  input(dtype: DType, shape: readonly number[], source: ValueSource, layout: Layout = {}): HostView {
    const placed = this.place(dtype, shape, layout, INPUT_PADDING[dtype], source);
    this.tracked.push({
      buffer: placed.view.buffer,
      initial: placed.data,
      kind: 'input',
      views: [placed.view],
    });
    return { view: placed.view, values: placed.values };
  }

  /**
   * An output view of `shape`. Every element of its buffer starts as a sentinel (or `init` inside the view);
   * {@link KernelHarness.expectView} checks that elements outside the view keep their initial values.
   */
  output(dtype: DType, shape: readonly number[], options: OutputOptions = {}): TensorView {
    const placed = this.place(dtype, shape, options.layout ?? {}, OUTPUT_SENTINEL[dtype], options.init);
    this.tracked.push({
      buffer: placed.view.buffer,
      initial: placed.data,
      kind: 'output',
      views: [placed.view],
    });
    return placed.view;
  }

  /** Reads a view back in logical row-major order. */
  async read(view: TensorView): Promise<Float64Array> {
    const data = await this.backend.read(view.buffer);
    if (data.length !== view.buffer.size) {
      throw new Error(`read() returned ${data.length} elements for a buffer of size ${view.buffer.size}`);
    }
    const values = new Float64Array(sizeOfShape(view.shape));
    forEachElement(view.shape, view.strides, view.offset, (flat, address) => {
      values[flat] = data[address]!;
    });
    return values;
  }

  /**
   * Reads `view` and checks it against `expected` (logical row-major, rounded to the view's dtype) within
   * `tol`, then checks that every element of the buffer outside the view still holds its initial value.
   */
  async expectView(
    view: TensorView,
    expected: ArrayLike<number>,
    tol: Tolerance,
    label: string,
  ): Promise<Float64Array> {
    const data = await this.backend.read(view.buffer);
    const actual = new Float64Array(sizeOfShape(view.shape));
    const inside = new Uint8Array(data.length);
    forEachElement(view.shape, view.strides, view.offset, (flat, address) => {
      actual[flat] = data[address]!;
      inside[address] = 1;
    });
    // The exact result rounded to the output dtype is what a correct kernel stores (f32 overflow is ±∞).
    const rounded = Float64Array.from(expected, (e) => (view.dtype === 'f32' ? Math.fround(e) : e));
    expectAllClose(actual, rounded, { ...tol, shape: view.shape }, `${label} (${describeView(view)})`);
    const entry = this.tracked.find((t) => t.buffer === view.buffer);
    if (entry) {
      for (let i = 0; i < data.length; i++) {
        if (!inside[i] && !Object.is(data[i], entry.initial[i])) {
          throw new Error(
            `${label}: the kernel wrote buffer element ${i}, outside the output view ${describeView(view)} ` +
              `(was ${entry.initial[i]}, now ${data[i]})`,
          );
        }
      }
    }
    return actual;
  }

  /** Checks that no input buffer was modified by the kernels run so far. */
  async expectInputsUnchanged(): Promise<void> {
    for (const t of this.tracked) {
      if (t.kind !== 'input') continue;
      const data = await this.backend.read(t.buffer);
      for (let i = 0; i < data.length; i++) {
        if (!Object.is(data[i], t.initial[i])) {
          throw new Error(
            `a kernel modified its input ${describeView(t.views[0]!)} at buffer element ${i} ` +
              `(was ${t.initial[i]}, now ${data[i]})`,
          );
        }
      }
    }
  }

  /** Frees every buffer this harness allocated. */
  dispose(): void {
    for (const t of this.tracked) this.backend.free(t.buffer);
    this.tracked.length = 0;
  }
}

/** What every kernel suite receives from `describeBackend`. */
export interface SuiteContext {
  /** The backend under test (created in `beforeAll`). */
  readonly backend: () => Backend;
  /** The tolerance of a class, with the caller's overrides applied. */
  readonly tol: (key: ToleranceKey) => Tolerance;
  /** Base seed; each test derives its own stream from it and its name. */
  readonly seed: number;
}

/**
 * Registers one kernel test: runs `body` with a fresh harness and a PRNG seeded from the suite seed and
 * `kernel/title`, then checks that no input was modified and frees every buffer.
 */
export function kernelTest(
  ctx: SuiteContext,
  kernel: string,
  title: string,
  body: (h: KernelHarness, rng: TestRng) => Promise<void> | void,
): void {
  it(title, async () => {
    const h = new KernelHarness(ctx.backend());
    try {
      await body(h, createTestRng(hashString(`${kernel}/${title}`, ctx.seed)));
      await h.expectInputsUnchanged();
    } finally {
      h.dispose();
    }
  });
}

/**
 * The layout of case `c` of a strided-kernel test: 0 contiguous, 1 transposed (reversed axis order) at an
 * offset, 2 a padded slice at an offset with axis 0 broadcast (when allowed), from 3 on random.
 */
export function caseLayout(
  rng: TestRng,
  shape: readonly number[],
  c: number,
  options: RandomLayoutOptions = {},
): Layout {
  const rank = shape.length;
  if (c === 0) return {};
  if (c === 1) return { order: shape.map((_, i) => rank - 1 - i), offset: 2 };
  if (c === 2) {
    return {
      padding: shape.map(() => 1),
      offset: 1,
      broadcast: options.broadcast ? shape.map((_, i) => i === 0) : undefined,
    };
  }
  return randomLayout(rng, shape, options);
}

/**
 * The fixed edge-case problems `fixed` followed by `count` random ones of the same rank, drawn with
 * {@link randomShape} and mapped through `map` (e.g. to make an extent even).
 */
export function withRandomShapes<T extends readonly number[]>(
  fixed: readonly T[],
  rng: TestRng,
  count: number,
  options: RandomShapeOptions = {},
  map: (shape: number[]) => T = (shape) => shape as unknown as T,
): T[] {
  const rank = fixed[0]?.length ?? 0;
  return [...fixed, ...Array.from({ length: count }, () => map(randomShape(rng, rank, options)))];
}
