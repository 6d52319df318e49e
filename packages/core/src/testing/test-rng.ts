/**
 * A small seeded pseudo-random generator for tests: reproducible across runs, platforms and backends.
 * @packageDocumentation
 */

/** A seeded generator of test data. Every method advances the same underlying stream. */
export interface TestRng {
  /** Uniform float in `[0, 1)`. */
  next(): number;
  /** Uniform float in `[lo, hi)`. */
  uniform(lo?: number, hi?: number): number;
  /** Normal sample (Box–Muller) with the given mean and standard deviation. */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in `[min, max]`, both ends included. */
  int(min: number, max: number): number;
  /** `true` with probability `p`. */
  bool(p?: number): boolean;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A uniformly random permutation of `[0, n)`. */
  permutation(n: number): number[];
  /** `n` uniform floats in `[lo, hi)`, each rounded to f32. */
  floats(n: number, lo?: number, hi?: number): Float32Array;
  /** `n` normal samples, each rounded to f32. */
  normals(n: number, mean?: number, std?: number): Float32Array;
  /** `n` uniform integers in `[min, max]`. */
  ints(n: number, min: number, max: number): Int32Array;
}

/** A 32-bit FNV-1a hash of `text`; used to derive per-test seeds from a base seed and a test name. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Creates a {@link TestRng} from a 32-bit seed (mulberry32). Equal seeds give equal streams.
 * @example
 * ```ts
 * const rng = createTestRng(42);
 * const x = rng.floats(16, -1, 1);
 * ```
 */
export function createTestRng(seed: number): TestRng {
  let state = seed >>> 0;
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const uniform = (lo = 0, hi = 1): number => lo + (hi - lo) * next();
  const normal = (mean = 0, std = 1): number => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    uniform,
    normal,
    int,
    bool: (p = 0.5) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick: empty array');
      return items[int(0, items.length - 1)]!;
    },
    permutation(n: number): number[] {
      const p = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = int(0, i);
        const t = p[i]!;
        p[i] = p[j]!;
        p[j] = t;
      }
      return p;
    },
    floats(n: number, lo = 0, hi = 1): Float32Array {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = uniform(lo, hi);
      return out;
    },
    normals(n: number, mean = 0, std = 1): Float32Array {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = normal(mean, std);
      return out;
    },
    ints(n: number, min: number, max: number): Int32Array {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = int(min, max);
      return out;
    },
  };
}

/** Options of {@link randomShape}. */
export interface RandomShapeOptions {
  /** Allow extents of 0 (drawn with probability 0.1 per axis). Default `false`. */
  readonly allowZero?: boolean;
  /** Largest extent drawn. Default 5. */
  readonly maxExtent?: number;
}

/**
 * A random shape of `rank` axes for property-style tests. Edge extents are over-represented: each axis is
 * 0 with probability 0.1 (only with `allowZero`), 1 with probability 0.2, else uniform in `[2, maxExtent]`.
 */
export function randomShape(rng: TestRng, rank: number, options: RandomShapeOptions = {}): number[] {
  const maxExtent = options.maxExtent ?? 5;
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const u = rng.next();
    if (options.allowZero && u < 0.1) shape.push(0);
    else if (u < 0.3 || maxExtent < 2) shape.push(Math.min(1, maxExtent));
    else shape.push(rng.int(2, maxExtent));
  }
  return shape;
}
