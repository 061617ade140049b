/** A command line pewit cannot run (unknown flag, missing name): exit code 2 and the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
