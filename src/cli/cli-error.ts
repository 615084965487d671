/** A usage error: printed as one line naming the bad argument, exit code 2. */
export class CliError extends Error {
  override name = 'CliError';
}
