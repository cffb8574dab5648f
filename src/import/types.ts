/**
 * What format readers produce: a stream of import items in Graph terms, independent of the store.
 *
 * A reader yields a profile draft before any indicator that names it (`profileKey` = the draft's `key`, which is
 * local to the file: a STIX id, a group name, the file name…); the importer resolves drafts to stored profiles
 * (by id, title or alias) and indicators to deterministic ids. Values that tigraph does not store are `skip`
 * items and malformed input is `reject` items, both with a position (a line, a bundle object index…) and a
 * reason, so nothing is dropped silently.
 */
import type { ArtifactJson } from './canonicalize.js';

export type IndicatorSourceName = 'microsoft' | 'osint' | 'public';
export const SOURCES: readonly IndicatorSourceName[] = ['microsoft', 'osint', 'public'];

export interface Content {
  readonly content: string;
  readonly format: 'text' | 'markdown' | 'html';
}

export interface ProfileDraft {
  /** Reader-local key that indicators refer to. */
  readonly key: string;
  /**
   * The profile's id as the source states it (a tigraph export's `x_tigraph_id`): matched first, and the id of
   * the profile when it is created. Absent → the slug of the title.
   */
  readonly id?: string;
  readonly title: string;
  readonly kind: 'actor' | 'tool';
  /** Curated aliases (STIX `aliases`, MISP galaxy synonyms, Microsoft's name mapping): matched (profile-book.ts). */
  readonly aliases?: readonly string[];
  /** Names harvested from free text (maltrail `# Aliases:`): stored as aliases, never matched (profile-book.ts). */
  readonly harvestedAliases?: readonly string[];
  readonly summary?: Content;
  readonly description?: Content;
  /** Epoch ms; absent → earliest first seen of the profile's indicators, else firstActiveFallback, else the import time. */
  readonly firstActive?: number;
  /**
   * A date the source gives the profile's record but not its activity (STIX `created`): the profile's
   * firstActiveDateTime only when neither firstActive nor any indicator says more, so that a profile is never
   * "active since the import day" when the source knows better.
   */
  readonly firstActiveFallback?: number;
  readonly countries?: readonly { readonly code: string; readonly label: string }[];
  readonly targets?: readonly string[];
  readonly tradecraft?: Content;
  /**
   * firstActive is authoritative (a tigraph export): the profile's indicators do not move it earlier. Without
   * it, a profile is never later than its earliest indicator.
   */
  readonly firstActiveExact?: boolean;
}

export interface IndicatorDraft {
  /** The `key` of a profile draft yielded before; undefined = an indicator without a profile. */
  readonly profileKey: string | undefined;
  readonly source: IndicatorSourceName;
  /** Epoch ms. */
  readonly firstSeen: number;
  readonly lastSeen: number | null;
  readonly artifact: ArtifactJson;
  /**
   * The indicator's id as the source states it (a tigraph export's `x_tigraph_id`), used only when the
   * indicator resolves to the profile with id `idProfile` ('' = no profile); otherwise, and when absent, the id
   * is derived from (profile, artifact).
   */
  readonly id?: string;
  readonly idProfile?: string;
  /**
   * The source lists exactly the indicators it means (a tigraph export, which already holds every derived host
   * indicator): no host indicator is derived from this URL (run-import.ts).
   */
  readonly exact?: boolean;
}

/**
 * Any other entity of threatIntelligence (a vulnerability, an article, a passive DNS record, a whois record, a
 * certificate…) as Graph JSON, the body a POST to its collection would send (deep inserts allowed): validated by
 * the model (read-entity.ts) and written by write-entities.ts, all of it or, when anything is invalid, none of it.
 */
export interface EntityDraft {
  /** The collection below threatIntelligence (SETS.…) whose entity type the JSON is read as. */
  readonly set: string;
  readonly json: Readonly<Record<string, unknown>>;
  /**
   * One observation (snapshot) of an entity that keeps its history: of the snapshots with this id, the latest
   * (`observed`, epoch ms) is the entity; the others become entities of the collection `historySet` with the id
   * `<id>-<observed as yyyymmddThhmmssZ>` (whoisRecord → whoisHistoryRecord).
   */
  readonly snapshot?: { readonly historySet: string; readonly observed: number };
  /**
   * Single-valued navigations of other entities to point at this one (host.whois): the entity named by set and id
   * keeps its other values, and is created (from `json`, a reference) when absent. Only applied when this
   * entity is the current snapshot.
   */
  readonly links?: readonly { readonly set: string; readonly json: Readonly<Record<string, unknown>>; readonly navigation: string }[];
  /** The entity is listed by this one (a collection navigation stored as the parent's key: vulnerability.articles). */
  readonly parent?: { readonly set: string; readonly id: string; readonly navigation: string };
  /** Written only when no entity with its id is stored (a STIX vulnerability never overwrites a CVE record's). */
  readonly onlyIfAbsent?: boolean;
}

export type ImportItem =
  | { readonly kind: 'profile'; readonly position: string; readonly profile: ProfileDraft }
  | { readonly kind: 'entity'; readonly position: string; readonly entity: EntityDraft }
  | { readonly kind: 'indicator'; readonly position: string; readonly indicator: IndicatorDraft }
  | { readonly kind: 'skip'; readonly position: string; readonly reason: string; readonly value?: string }
  | { readonly kind: 'reject'; readonly position: string; readonly reason: string; readonly value?: string };

export interface ReaderContext {
  readonly path: string;
  /** The file's bytes; may be called more than once (two-pass readers). */
  open(): AsyncIterable<Buffer>;
  /** --source: overrides whatever the input says. */
  readonly source: IndicatorSourceName | undefined;
  /** The import's start time (epoch ms): first seen of undated values. */
  readonly now: number;
  /** --host h[:port]: where the input was observed (X.509 certificates → a hostSslCertificate observation). */
  readonly host?: string;
}

/** A reader yields items one by one or, where it has many at once (a chunk's worth), as an array. */
export type Reader = (ctx: ReaderContext) => AsyncIterable<ImportItem | readonly ImportItem[]>;

const CANONICAL_ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d{1,3})?Z$/;
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The earliest and latest instants imported (0001-01-01T00:00:00Z, 9999-12-31T23:59:59.999Z): Edm.DateTimeOffset's years. */
export const MIN_TIME_MS = -62135596800000;
export const MAX_TIME_MS = 253402300799999;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether the fields name a real instant: Date.parse and Date.UTC roll impossible ones over (February 30 → March 1,
 * 10:75 → 11:15, 24:00 → the next day), and an impossible date in a feed is an error, not a neighbouring day.
 */
export function realDateTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  return day <= (month === 2 && isLeap(year) ? 29 : DAYS[month - 1]!);
}

/** `ms` when it lies within the years imported (MIN_TIME_MS…MAX_TIME_MS), else undefined. */
export const inTimeRange = (ms: number): number | undefined => (Number.isFinite(ms) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS ? ms : undefined);

const fieldsReal = (m: RegExpExecArray): boolean => realDateTime(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));

/** ISO 8601 / RFC 3339 timestamp → epoch ms, or undefined (also for impossible dates and times: realDateTime). */
export function parseIsoTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  // The form nearly every feed writes (STIX requires it): Date.parse reads it exactly, with no rewriting.
  const canonical = CANONICAL_ISO.exec(value);
  if (canonical) return fieldsReal(canonical) ? inTimeRange(Date.parse(value)) : undefined;
  const m = ISO_LIKE.exec(value.trim());
  if (!m || !fieldsReal(m)) return undefined;
  let v = value.trim().replace(' ', 'T');
  // Date.parse keeps at most millisecond precision but rejects more than 3 fraction digits on some inputs.
  v = v.replace(/(\.\d{3})\d+/, '$1');
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) v += 'Z';
  return inTimeRange(Date.parse(v));
}

/**
 * `M/D/YYYY` (Microsoft's US-style CSV dates, optionally with `h:mm[:ss]` and AM/PM) or ISO 8601 → epoch ms at UTC
 * midnight / the given time; undefined for impossible dates and times (realDateTime; with AM/PM the hour is 1–12).
 */
export function parseCsvDate(value: string): number | undefined {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?\s*$/i.exec(value);
  if (m) {
    const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    let hour = m[4] ? Number(m[4]) : 0;
    if (m[7]) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (m[7].toUpperCase() === 'PM' ? 12 : 0);
    }
    const [minute, second] = [m[5] ? Number(m[5]) : 0, m[6] ? Number(m[6]) : 0];
    if (!realDateTime(year, month, day, hour, minute, second)) return undefined;
    // Date.UTC reads years 0–99 as 1900–1999: the year is set on its own.
    const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
    return inTimeRange(d.setUTCFullYear(year));
  }
  return parseIsoTime(value);
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** ISO 3166-1 alpha-2 code → English name (the code itself when unknown). */
export function countryLabel(code: string): string {
  try {
    return regionNames.of(code.toUpperCase()) ?? code.toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

/** A member's value as a reject shows it: strings as they are, anything else as JSON. */
export const valueText = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

export const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Distinct non-empty strings (case-insensitive), trimmed, minus `exclude`. */
export function distinctNames(values: readonly unknown[], exclude: readonly string[] = []): string[] {
  const seen = new Set(exclude.map((e) => e.toLowerCase()));
  const out: string[] = [];
  for (const v of values) {
    if (!isNonEmptyString(v)) continue;
    const t = v.trim();
    if (seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}
