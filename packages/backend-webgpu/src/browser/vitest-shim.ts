/**
 * A minimal stand-in for the parts of `vitest` the conformance suite of `@aaren/core/testing` uses
 * (`describe`, `it`, `beforeAll`, `afterAll`, `expect` with a few matchers), so that the unchanged suite runs
 * inside a browser page. The Chromium test bundles the suite with `vitest` aliased to this module, calls
 * {@link runRegistered} in the page and asserts on the results in Node.
 * @packageDocumentation
 */

type Hook = () => unknown;

interface Suite {
  readonly name: string;
  readonly skip: boolean;
  readonly children: (Suite | Test)[];
  readonly beforeAll: Hook[];
  readonly afterAll: Hook[];
}

interface Test {
  readonly name: string;
  readonly fn: Hook;
}

/** The outcome of one test. */
export interface TestResult {
  /** Suite names and the test name, joined with ' > '. */
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly error?: string;
  readonly ms: number;
}

const root: Suite = { name: '', skip: false, children: [], beforeAll: [], afterAll: [] };
let current: Suite = root;

function addSuite(name: string, body: () => void, skip: boolean): void {
  const suite: Suite = { name, skip, children: [], beforeAll: [], afterAll: [] };
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    body();
  } finally {
    current = parent;
  }
}

/** Registers a suite. */
export const describe = Object.assign((name: string, body: () => void) => addSuite(name, body, false), {
  skip: (name: string, body: () => void) => addSuite(name, body, true),
});

/** Registers a test. */
export const it = (name: string, fn: Hook): void => {
  current.children.push({ name, fn });
};
/** Alias of {@link it}. */
export const test = it;
/** Registers a hook run once before the current suite's tests. */
export const beforeAll = (fn: Hook): void => {
  current.beforeAll.push(fn);
};
/** Registers a hook run once after the current suite's tests. */
export const afterAll = (fn: Hook): void => {
  current.afterAll.push(fn);
};

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function show(x: unknown): string {
  try {
    return JSON.stringify(x, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  } catch {
    return String(x);
  }
}

/** Assertions: `toBe`, `toEqual`, `toBeInstanceOf`, `toBeGreaterThan`, `toBeLessThan`, `toBeCloseTo`. */
export function expect(actual: unknown, message?: string) {
  const fail = (what: string) => {
    throw new Error(`${message ? `${message}: ` : ''}expected ${show(actual)} ${what}`);
  };
  return {
    toBe(expected: unknown) {
      if (!Object.is(actual, expected)) fail(`to be ${show(expected)}`);
    },
    toEqual(expected: unknown) {
      if (!deepEqual(actual, expected)) fail(`to equal ${show(expected)}`);
    },
    toBeInstanceOf(type: abstract new (...args: never[]) => unknown) {
      if (!(actual instanceof type)) fail(`to be an instance of ${type.name}`);
    },
    toBeGreaterThan(n: number) {
      if (!((actual as number) > n)) fail(`to be greater than ${n}`);
    },
    toBeLessThan(n: number) {
      if (!((actual as number) < n)) fail(`to be less than ${n}`);
    },
    toBeCloseTo(n: number, digits = 2) {
      if (!(Math.abs((actual as number) - n) < 10 ** -digits / 2)) fail(`to be close to ${n}`);
    },
  };
}

async function runSuite(suite: Suite, path: string[], out: TestResult[], skip: boolean): Promise<void> {
  const names = suite.name ? [...path, suite.name] : path;
  const skipped = skip || suite.skip;
  let setupError: string | undefined;
  if (!skipped) {
    for (const hook of suite.beforeAll) {
      try {
        await hook();
      } catch (error) {
        setupError = `beforeAll failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
        break;
      }
    }
  }
  for (const child of suite.children) {
    if ('children' in child) {
      await runSuite(child, names, out, skipped);
      continue;
    }
    const name = [...names, child.name].join(' > ');
    if (skipped) {
      out.push({ name, status: 'skipped', ms: 0 });
      continue;
    }
    if (setupError) {
      out.push({ name, status: 'failed', error: setupError, ms: 0 });
      continue;
    }
    const start = performance.now();
    try {
      await child.fn();
      out.push({ name, status: 'passed', ms: performance.now() - start });
    } catch (error) {
      const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
      out.push({ name, status: 'failed', error: text, ms: performance.now() - start });
    }
  }
  if (!skipped) {
    for (const hook of suite.afterAll) {
      try {
        await hook();
      } catch (error) {
        out.push({ name: `${names.join(' > ')} > afterAll`, status: 'failed', error: String(error), ms: 0 });
      }
    }
  }
}

/** Runs every registered test in order and returns the results. */
export async function runRegistered(): Promise<TestResult[]> {
  const out: TestResult[] = [];
  await runSuite(root, [], out, false);
  return out;
}
