/**
 * How far the V8 heap of a `tigraph import` may grow between full collections. V8 sizes the next old-generation
 * limit from the live size times a growing factor of up to 4 when the program allocates fast; a bulk import
 * allocates fast and promotes every batch's short-lived objects (they outlive two scavenges while the batch
 * fills), so at 1M indicators the main heap grew to 150–190 MB for 40–50 MB live. A factor of 2
 * (`--heap-growing-percent=100`, V8's own flag, read at each limit computation, so it takes effect when set at
 * run time; it is process-wide, so the writer thread's heap follows it too) kept the peak anonymous memory of the
 * 1M-indicator benchmark at 290–300 MiB instead of 373–376 MiB (300k: 229–252 instead of 306–340), for more
 * frequent full collections: 2–8% more wall time (300k: 7.7–8.2 s against 7.3–7.4 s; 1M: 27.8–28.9 against
 * 25.7–26.4 s). A factor of 1.5 saved another 15–25 MiB but cost 15% at 300k (the collections of a still small
 * heap, on both threads).
 *
 * A --heap-growing-percent the user gave node on its command line wins (node does not take it in NODE_OPTIONS).
 */
import v8 from 'node:v8';

export const IMPORT_HEAP_GROWING_PERCENT = 100;

/** node takes V8 flags with one dash or two, `-` or `_` between words. */
const FLAG = /^--?heap[-_]growing[-_]percent(=|$)/;

/** Whether node's own command-line flags (`process.execArgv`) already set the heap growing percent. */
export function userSetHeapGrowth(execArgv: readonly string[]): boolean {
  return execArgv.some((a) => FLAG.test(a));
}

/** Sets the import's heap growing percent unless the user set one; true when set. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (userSetHeapGrowth(execArgv)) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`);
  return true;
}
