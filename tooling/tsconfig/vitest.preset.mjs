// Shared Vitest settings for every workspace package: resolve workspace imports to their TypeScript
// sources (the `@aaren/source` export condition) so tests never need a prior build.
import { defaultClientConditions, defaultServerConditions } from 'vite';

/** Conditions that point `@aaren/*` imports at `src/` instead of `dist/`. */
export const sourceConditions = ['@aaren/source'];

/**
 * Returns the Vitest config object shared by all packages.
 * @param {import('vitest/config').ViteUserConfig['test']} [test] extra test options merged over the defaults
 */
export function aarenVitestConfig(test = {}) {
  return {
    resolve: { conditions: [...sourceConditions, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [...sourceConditions, ...defaultServerConditions] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      ...test,
    },
  };
}
