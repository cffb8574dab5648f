/**
 * The memory bound of an import batch (write-batch.ts; write-entities.ts the same for entity records). A batch holds
 * at most `--batch-size` indicators, and is also written once its pending indicators hold BATCH_BYTES of text
 * (pendingBytes; recordBytes for entities), so that rows of long values (URLs of kilobytes, or more) make batches
 * of fewer indicators rather than batches of more memory: every batch lives several times over until it commits (the pending indicators, their encoded rows, the copy posted to
 * SQLite's writer thread or sent to PostgreSQL). Measured on 2 cores, SQLite, 20,000 indicators with URLs of 20,000
 * characters (a 413 MB STIX bundle, 5,000 of them 100 MB): without the bound, 677–689 MiB peak anonymous memory,
 * 6.8–7.6 s; 16 MiB: 341 MiB, 6.4 s; 8 MiB: 254–260 MiB, 6.0–6.8 s; 4 MiB: 202 MiB, 7.5 s (more transactions).
 * 200,000 with URLs of 2,000 characters: 253 MiB, 26.6 s against 265 MiB, 28.2 s. The benchmark's batches (about
 * 0.7 MB of text each) never reach it. Entity records: 16,000 CVE records with descriptions of 20,000 characters
 * (20 files, 311 MB): 1,101 MiB at first, 682 MiB with this bound, 747 MiB with only write-entities.ts formDigest,
 * 260–279 MiB with both.
 */
import type { ArtifactJson } from './canonicalize.js';

export const BATCH_BYTES = 8 << 20;

/**
 * About the text of an object's properties: their names and string values, 8 for any other value, a nested one by
 * its JSON. One level deep: artifacts and entity records are flat but for a few structured properties.
 */
export function textBytes(values: Readonly<Record<string, unknown>>): number {
  let n = 0;
  for (const k in values) {
    const v = values[k];
    n += k.length + (typeof v === 'string' ? v.length : typeof v === 'object' && v !== null ? JSON.stringify(v).length : 8);
  }
  return n;
}

/** About the text one pending indicator holds: its id and position, and its artifact's (textBytes). */
export function pendingBytes(id: string, position: string, artifact: ArtifactJson): number {
  return id.length + position.length + textBytes(artifact);
}

/** About the text one entity draft's write records hold (textBytes of each record's values), and its position. */
export function recordBytes(position: string, writes: readonly { readonly record: { readonly values: Readonly<Record<string, unknown>> } }[]): number {
  let n = position.length;
  for (const w of writes) n += textBytes(w.record.values);
  return n;
}
