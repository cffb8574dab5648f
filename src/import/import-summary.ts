/** What an import reports: counts, reasons with positions, and why it did not complete, as values. */
import type { ImportFormat } from './detect-format.js';

export interface ReasonCount {
  count: number;
  positions: string[];
}

export interface ImportSummary {
  files: { path: string; format: ImportFormat | undefined }[];
  profiles: { created: number; updated: number; unchanged: number };
  indicators: { created: number; updated: number; unchanged: number; withoutProfile: number };
  /** Input records that merged into an indicator already pending in the same batch. */
  mergedInBatch: number;
  skipped: Map<string, ReasonCount>;
  rejected: Map<string, ReasonCount>;
  batches: number;
  /** --strict found rejects: nothing was written. */
  aborted: boolean;
  /** Why the import did not complete as asked, as values (callers map them to messages; no string matching). */
  failures: Set<ImportFailure>;
  elapsedMs: number;
}

/** What can make an import fail: --strict found rejects, an input of no known format, an input not read to its end. */
export const IMPORT_FAILURES = ['strictAborted', 'formatUnrecognized', 'readError'] as const;
export type ImportFailure = (typeof IMPORT_FAILURES)[number];
