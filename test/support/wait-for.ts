/**
 * Waits for a condition instead of sleeping a fixed time: polls `probe` until it returns a value other than
 * `undefined`/`false`, and fails with `what` and the last observation when the deadline passes. A probe that
 * throws counts as "not yet" (the error is kept for the failure message).
 */
export interface WaitOptions {
  /** Total time allowed, in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Pause between probes, in ms (default 25). */
  readonly intervalMs?: number;
  /** Describes the last observation for the failure message. */
  readonly describe?: () => string;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts++;
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const seen = options.describe ? `; last seen: ${options.describe()}` : '';
      const error = lastError ? `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms (${attempts} attempts) waiting for ${what}${seen}${error}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
