/**
 * Entry point of the `aaren` bin: runs {@link runCli} on the process arguments and exits with its code.
 * @packageDocumentation
 */
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2));
