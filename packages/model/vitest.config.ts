import { aarenVitestConfig } from '@aaren/tsconfig/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig(aarenVitestConfig());
