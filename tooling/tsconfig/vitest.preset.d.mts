import type { ViteUserConfig } from 'vitest/config';
/** Conditions that point `@aaren/*` imports at `src/` instead of `dist/`. */
export declare const sourceConditions: string[];
/** Returns the Vitest config object shared by all packages. */
export declare function aarenVitestConfig(test?: ViteUserConfig['test']): ViteUserConfig;
