/**
 * `runCli(argv)`: the `aaren` command line as a function (the bin calls it; tests call it with captured
 * streams). Usage and data errors print one clear message and return exit code 2; other errors 1.
 * @packageDocumentation
 */
import { AarenError } from '@aaren/core';
import { DataError } from '../data/errors.js';
import { parseCommandLine, USAGE } from './args.js';
import { datasetsCommand } from './datasets-command.js';
import { CliUsageError } from './errors.js';
import { evalCommand } from './eval-command.js';
import { forecastCommand } from './forecast-command.js';
import { type CliIo, println, processIo } from './io.js';
import { streamCommand } from './stream-command.js';
import { trainCommand } from './train-command.js';

/**
 * Runs `aaren <command> [options]` and resolves to the exit code (0 ok, 1 runtime error, 2 usage or data error).
 * @example process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const { command, values } = parseCommandLine(argv);
    if (command === 'help' || values.help === true) {
      println(io.stdout, USAGE);
      return 0;
    }
    switch (command) {
      case 'train':
        return await trainCommand(values, io);
      case 'eval':
        return await evalCommand(values, io);
      case 'forecast':
        return await forecastCommand(values, io);
      case 'stream':
        return await streamCommand(values, io);
      case 'datasets':
        return await datasetsCommand(values, io);
    }
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof DataError) {
      println(io.stderr, `aaren: ${error.message}`);
      if (error instanceof CliUsageError) println(io.stderr, "run 'aaren --help' for usage");
      return 2;
    }
    if (error instanceof AarenError) {
      println(io.stderr, `aaren: ${error.name}: ${error.message}`);
      return 2;
    }
    println(io.stderr, `aaren: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
