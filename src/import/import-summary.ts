/** What an import reports: counts, reasons with positions, and why it did not complete, as values. */
import type { ImportFormat } from './detect-format.js';
import type { EntityCounts } from './write-entities.js';

export interface ReasonCount {
  count: number;
  positions: string[];
}

/** Where one input file's indicators went: a profile, the rule that matched it, and how many indicators. */
export interface Placement {
  profileId: string;
  title: string;
  /** `new` (created by this file), `id`, `title`, `alias "…"` or `--profile` (profile-book.ts). */
  rule: string;
  indicators: number;
}

export interface FileSummary {
  path: string;
  format: ImportFormat | undefined;
  /** In the order the file named them. */
  profiles: Placement[];
  /** Indicators of the file without a profile. */
  withoutProfile: number;
}

export interface ImportSummary {
  files: FileSummary[];
  profiles: { created: number; updated: number; unchanged: number };
  indicators: { created: number; updated: number; unchanged: number; withoutProfile: number };
  /** Input records that merged into an indicator already pending in the same batch. */
  mergedInBatch: number;
  /** Host indicators derived from URL indicators (the URL's hostname or IP, same profile, source and times). */
  hostsFromUrls: number;
  /** Stored indicators without a profile that this import moved under the profile it named for their artifact. */
  orphansAdopted: number;
  /** Indicators without a profile not created because a stored indicator lists their artifact under a profile. */
  keptUnderProfile: number;
  skipped: Map<string, ReasonCount>;
  rejected: Map<string, ReasonCount>;
  batches: number;
  /** Stored keys whose digests were read before the first batch (shouldPreloadKeys), so that only these are looked up. */
  storedKeysRead: number;
  /** --strict found rejects: nothing was written. */
  aborted: boolean;
  /** Why the import did not complete as asked, as values (callers map them to messages; no string matching). */
  failures: Set<ImportFailure>;
  elapsedMs: number;
  /** Entities other than profiles and their indicators (vulnerabilities, articles, whois…), per entity type name. */
  entities: Map<string, EntityCounts>;
}

/** What can make an import fail: --strict found rejects, an input of no known format, an input not read to its end. */
export const IMPORT_FAILURES = ['strictAborted', 'profileInvalid', 'formatUnrecognized', 'readError'] as const;
export type ImportFailure = (typeof IMPORT_FAILURES)[number];
