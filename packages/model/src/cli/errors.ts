/**
 * Errors of the `aaren` command line.
 * @packageDocumentation
 */
import { AarenError } from '@aaren/core';

/** A command line that cannot be run (unknown command or option, missing value...): exit code 2. */
export class CliUsageError extends AarenError {
  constructor(message: string) {
    super('E_CLI_USAGE', message);
  }
}
