/**
 * Entry of the `supra` command (see `src/cli/main.ts`).
 * @packageDocumentation
 */
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2));
