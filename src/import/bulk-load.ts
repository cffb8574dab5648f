/**
 * How a large import is run (run-import.ts module comment, "Bulk loads"): whether it reads the stored indicator keys
 * first, and whether it builds the secondary indexes at the end.
 */
import type { EntityType } from '../model/model.js';
import type { Store } from '../storage/store.js';
import { DigestSet } from './digest-set.js';
import { digest } from './write-batch.js';

/** Inputs at least this large, into an empty store, are loaded with the secondary indexes built at the end. */
export const DEFER_INDEXES_BYTES = 32 * 1024 * 1024;
/** A low estimate of input bytes per indicator (a STIX indicator and its relationship: about 700), so that a
 * load is judged large relative to the store only when it surely is. */
const BYTES_PER_INDICATOR_ESTIMATE = 1000;
/** Stores with more indicators than this are not read for their key digests (about 23 bytes per key at most: 184 MB). */
const PRELOAD_KEYS_MAX = 8_000_000;

/**
 * Whether an import of `bytes` reads the digests of the `stored` indicator keys first (module comment): reading a
 * key in a keyset page costs several times less than looking it up among a batch's (measured: about 0.5 µs against
 * 5 µs on SQLite), so once the input holds about a quarter as many indicators as the store. Memory: about 23 bytes
 * per stored key at most (DigestSet).
 */
export function shouldPreloadKeys(bytes: number, stored: number): boolean {
  return stored > 0 && stored <= PRELOAD_KEYS_MAX && bytes / BYTES_PER_INDICATOR_ESTIMATE >= stored / 4;
}

/** The digests of the keys of `type`'s table: an empty set for an empty table, read when `preload`, else undefined. */
export async function storedKeyDigests(store: Store, type: EntityType, stored: number, preload: boolean): Promise<DigestSet | undefined> {
  if (stored > 0 && !preload) return undefined;
  const set = new DigestSet();
  if (stored > 0) for await (const page of store.keys(type)) for (const id of page) set.add(digest(id));
  return set;
}

/**
 * The digests of the artifact keys stored (BatchWriter.storedKeys.artifacts): an empty set when the artifact table
 * is empty, where the store appends new keys faster (Store.appendsNewKeys); else undefined. The table is counted
 * only when no indicator is `stored` (the count is cheap then); a store that holds artifacts is not read for their
 * keys, and its artifact writes keep the upsert.
 */
export async function storedArtifactDigests(store: Store, type: EntityType, stored: number): Promise<DigestSet | undefined> {
  if (!store.appendsNewKeys || stored > 0) return undefined;
  const artifacts = await store.count({ kind: 'count', type, parent: undefined, filter: undefined, search: undefined });
  return artifacts === 0 ? new DigestSet() : undefined;
}

/** Whether a load of `bytes` into a store holding `stored` indicators defers the secondary indexes (module comment). */
export function shouldDeferIndexes(mode: 'auto' | 'always' | 'never', bytes: number, stored: number): boolean {
  if (mode !== 'auto') return mode === 'always';
  return bytes >= DEFER_INDEXES_BYTES && bytes / BYTES_PER_INDICATOR_ESTIMATE >= stored / 2;
}

/**
 * Stores of at least this many indicators, and inputs of at least this many (estimated), get a load that defers
 * its indexes staged by default (shouldStage): there the tables' primary keys outgrow the writer's page cache and
 * writing batch by batch is what takes the time.
 */
export const STAGE_MIN_STORED = 500_000;

/**
 * Whether a load of `bytes` that defers its indexes, into a store holding `stored` indicators, stages its batches
 * (write-batch.ts "Staged"), on a store that stages. 'auto' once `stored`, or the input's indicators
 * (BYTES_PER_INDICATOR_ESTIMATE, a low estimate), reach STAGE_MIN_STORED. Measured on 2 cores, SQLite, one
 * invocation each: 1M into 1M took 53.5–57.1 s staged against 57.7–61.2 s unstaged (bench run of 2026-12-07,
 * with sqlite/bulk-staging.ts MERGE_CACHE_KIB: 56.2 against 69.1 s); 1M into an empty store 44.1–49.8 s staged
 * (mean of 6: 45.9 s) against 46.1–55.5 s (mean of 6: 50.2 s), and with MERGE_CACHE_KIB 38.5–51.2 s (mean of 4:
 * 45.8 s) at 247–262 MiB peak anonymous memory against 44.7–48.3 s (46.3 s) at 265–276 MiB: no slower, less
 * memory; 300k into 300k, where neither is reached, 15.9–19.5 against 16.6–17.7 s, and 17.2 against 14.0 s in
 * that bench run.
 */
export function shouldStage(mode: 'auto' | 'always' | 'never', stored: number, bytes: number): boolean {
  if (mode !== 'auto') return mode === 'always';
  return stored >= STAGE_MIN_STORED || bytes / BYTES_PER_INDICATOR_ESTIMATE >= STAGE_MIN_STORED;
}
