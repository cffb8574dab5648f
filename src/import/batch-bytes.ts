/**
 * The memory bound of an import batch (write-batch.ts). A batch holds at most `--batch-size` indicators, and is
 * also written once its pending indicators hold BATCH_BYTES of text (pendingBytes), so that rows of long values
 * (URLs of kilobytes, or more) make batches of fewer indicators rather than batches of more memory: every batch
 * lives several times over until it commits (the pending indicators, their encoded rows, the copy posted to
 * SQLite's writer thread or sent to PostgreSQL). Measured on 2 cores, SQLite, 20,000 indicators with URLs of 20,000
 * characters (a 413 MB STIX bundle, 5,000 of them 100 MB): without the bound, 677–689 MiB peak anonymous memory,
 * 6.8–7.6 s; 16 MiB: 341 MiB, 6.4 s; 8 MiB: 254–260 MiB, 6.0–6.8 s; 4 MiB: 202 MiB, 7.5 s (more transactions).
 * 200,000 with URLs of 2,000 characters: 253 MiB, 26.6 s against 265 MiB, 28.2 s. The benchmark's batches (about
 * 0.7 MB of text each) never reach it.
 */
import type { ArtifactJson } from './canonicalize.js';

export const BATCH_BYTES = 8 << 20;

/**
 * About the text one pending indicator holds: its id and position, and its artifact's property names and string
 * values (8 for any other value, a nested one by its JSON). One level deep: artifacts are flat but for a few
 * structured properties.
 */
export function pendingBytes(id: string, position: string, artifact: ArtifactJson): number {
  let n = id.length + position.length;
  for (const k in artifact) {
    const v = artifact[k];
    n += k.length + (typeof v === 'string' ? v.length : typeof v === 'object' && v !== null ? JSON.stringify(v).length : 8);
  }
  return n;
}
