/** A combination of flags that cannot work: the message alone (no help text) and exit code 2. */
export function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}
