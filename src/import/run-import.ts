/**
 * The import engine: plans the inputs (plan-inputs.ts: files and formats), runs the format readers over them,
 * resolves profiles (profile-book.ts), turns indicators into pending records with deterministic ids and hands
 * them to the batch writer (write-batch.ts: batches, counting, the crash guarantee).
 *
 * - Indicator id = indicatorId(profileId, artifactId) (indicatorId('', artifactId) for an indicator without a
 *   profile), so re-importing, or importing the same IOC from another format, lands on the same row; the times
 *   merge by the model's merge rules (first seen = earliest, last seen = latest), in memory within a batch and in
 *   the store through `write(…, { merge: true })`.
 * - A URL indicator brings an indicator of its host (hostname or IP address: canonicalize.ts hostOfUrl) with the same
 *   profile, source and times, so `hosts/{host}` answers and the pivot on the host finds the profiles whose URLs
 *   are on it. The derived indicator is an ordinary indicator (an explicit one of the same host merges with it);
 *   the summary counts them (hostsFromUrls).
 * - The summary says, per input file, which profiles its indicators went into and the rule that matched
 *   (profile-book.ts MatchRule).
 * - Bulk loads: batches skip the lookups of keys the store cannot have (write-batch.ts): into empty tables, and
 *   into a store of at most PRELOAD_KEYS_MAX indicators when the input is large beside it (shouldPreloadKeys: the
 *   stored keys' digests are read once first, Store.keys). An input of at least DEFER_INDEXES_BYTES that is also
 *   at least about half as large as what the store holds drops the indicator and artifact tables' secondary
 *   indexes for the run and builds them at the end (Store.dropSecondaryIndexes), also when the run fails;
 *   `deferIndexes` 'always' / 'never' overrides. A killed run leaves them to the next start's migration. Such a
 *   load into a store of at least STAGE_MIN_STORED indicators, or of an input of about as many (shouldStage), also
 *   stages its batches (`stage`, WriteOptions.stage): on SQLite they become visible in parts of
 *   about 262k rows and at the end of the run, each table merged in key order (sqlite/bulk-staging.ts); a run
 *   killed before a merge leaves the store as the last one left it, and running it again completes it.
 * - `strict`: a first pass reads and validates everything without writing; any reject ends the import there,
 *   with nothing written. Otherwise rejected records are reported and the import goes on.
 */
import type { EntityType, EnumType, Model } from '../model/model.js';
import { indicatorId } from '../model/ids.js';
import { INDICATOR, PROFILE, SETS } from '../model/names.js';
import type { Store } from '../storage/store.js';
import type { ImportFormat } from './detect-format.js';
import { planInputs, readFileChunks } from './plan-inputs.js';
import { ProfileBook, type ProfileState, type Resolution } from './profile-book.js';
import { hostOfUrl } from './canonicalize.js';
import { readIocList } from './readers/ioc-list.js';
import { readMisp } from './readers/misp.js';
import { readMsticCsv } from './readers/mstic-csv.js';
import { readStix } from './readers/stix.js';
import { readCveJson } from './readers/cve-json.js';
import { readPdnsCof } from './readers/pdns-cof.js';
import { readRdap } from './readers/rdap.js';
import { readX509 } from './readers/x509.js';
import type { ImportItem, IndicatorSourceName, Reader } from './types.js';
import { basename } from 'node:path';
import type { FileSummary, ImportSummary, ReasonCount } from './import-summary.js';
import { ArtifactRecords } from './artifact-records.js';
import { BatchWriter } from './write-batch.js';
import { shouldDeferIndexes, shouldPreloadKeys, shouldStage, storedArtifactDigests, storedKeyDigests } from './bulk-load.js';
import { EntityWriter } from './write-entities.js';
import { tallyReason } from './reason-tally.js';
import { ImportStoreError, storeFailed } from './import-errors.js';

/**
 * A rejected profile draft's reason, short enough for the summary: the model's "Invalid value for property 'p' of
 * type 't': detail." becomes "invalid profile p: detail"; an id made from the name is reported as the name.
 */
function profileProblem(e: unknown, idFromName: boolean): string {
  const message = (e as Error).message;
  const m = /^Invalid value for property '([^']+)' of type '[^']+': (.*?)\.?$/.exec(message);
  if (!m) return `invalid profile: ${message}`;
  const property = idFromName && (m[1] === 'id' || m[1] === 'title') ? 'name' : m[1];
  return `invalid profile ${property}: ${m[2]}`;
}

export const READERS: Readonly<Record<ImportFormat, Reader>> = {
  stix: readStix,
  misp: readMisp,
  'mstic-csv': readMsticCsv,
  'ioc-list': readIocList,
  cve: readCveJson,
  'pdns-cof': readPdnsCof,
  rdap: readRdap,
  x509: readX509,
};
export const DEFAULT_BATCH_SIZE = 5000;

export interface ImportProgress {
  readonly items: number;
  readonly bytes: number;
  readonly totalBytes: number;
  readonly elapsedMs: number;
}

export interface ImportOptions {
  readonly store: Store;
  readonly model: Model;
  /** Files or directories. */
  readonly inputs: readonly string[];
  readonly format?: ImportFormat;
  readonly source?: IndicatorSourceName;
  /** Attach every indicator to this profile (matched or created by title). */
  readonly profile?: string;
  readonly strict?: boolean;
  readonly batchSize?: number;
  /** Import time (epoch ms). */
  readonly now?: number;
  /** Positions listed per reason in the summary. */
  readonly maxPositions?: number;
  readonly onProgress?: (p: ImportProgress) => void;
  /** After each input file: its summary, its index and the number of files. */
  readonly onFileDone?: (file: FileSummary, index: number, count: number) => void;
  /** Secondary indexes during the run: 'auto' (dropped for a large load into an empty store), 'always', 'never'. */
  readonly deferIndexes?: 'auto' | 'always' | 'never';
  /**
   * Whether a run that defers the indexes also stages its batches (write-batch.ts, "Staged"; shouldStage): 'auto'
   * (the default) into a store of STAGE_MIN_STORED indicators or an input of about as many, 'always', 'never'.
   * Staged, the reading runs at full speed, and so the heap is larger: 363–373 MiB peak anonymous memory at 1M into
   * 1M against 319–329 (measured before the merges' smaller page cache, sqlite/bulk-staging.ts MERGE_CACHE_KIB).
   */
  readonly stage?: 'auto' | 'always' | 'never';
  /** Reading the stored keys' digests first (shouldPreloadKeys): 'auto', 'always' (any non-empty store), 'never'. */
  readonly preloadKeys?: 'auto' | 'always' | 'never';
  /** Display names for inputs (stdin's temporary file → '-'). */
  readonly displayNames?: ReadonlyMap<string, string>;
  /** --host h[:port]: where the inputs were observed (X.509 certificates). */
  readonly host?: string;
}


/** What the items of one file share while it is read (Engine.readFile). */
interface FileContext {
  readonly override: ProfileState | undefined;
  readonly at: (position: string) => string;
  readonly report: FileSummary;
  readonly keys: Map<string, Resolution>;
  readonly placements: Map<string, FileSummary['profiles'][number]>;
  readonly place: (r: Resolution) => void;
}

const isItemList = (x: ImportItem | readonly ImportItem[]): x is readonly ImportItem[] => Array.isArray(x);

class Engine {
  readonly summary: ImportSummary;
  private readonly book: ProfileBook;
  private readonly sourceEnum: EnumType;
  private readonly writer: BatchWriter;
  private readonly entities: EntityWriter;
  private readonly maxPositions: number;
  private items = 0;
  private bytes = 0;
  private totalBytes = 0;
  private readonly started = Date.now();
  private lastProgress = 0;

  constructor(
    private readonly options: ImportOptions,
    private readonly dry: boolean,
    readonly now: number,
  ) {
    const { model } = options;
    this.book = new ProfileBook(model, now);
    const set = model.entitySet(SETS.intelligenceProfileIndicators);
    if (!set) throw new Error(`import: the model has no ${SETS.intelligenceProfileIndicators} entity set`);
    const indicatorType: EntityType = set.entityType;
    this.sourceEnum = indicatorType.property(INDICATOR.p.source)!.type as EnumType;
    this.maxPositions = options.maxPositions ?? 10;
    this.summary = {
      files: [],
      profiles: { created: 0, updated: 0, unchanged: 0 },
      indicators: { created: 0, updated: 0, unchanged: 0, withoutProfile: 0 },
      mergedInBatch: 0,
      hostsFromUrls: 0,
      orphansAdopted: 0,
      storedKeysRead: 0,
      keptUnderProfile: 0,
      skipped: new Map(),
      rejected: new Map(),
      batches: 0,
      aborted: false,
      failures: new Set(),
      elapsedMs: 0,
      entities: new Map(),
    };
    this.entities = new EntityWriter({
      store: options.store,
      model,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      dry,
      reject: (reason, position) => this.reject(reason, position),
    });
    this.summary.entities = this.entities.counts;
    this.writer = new BatchWriter({
      store: options.store,
      indicatorType,
      indicatorsNav: this.book.type.navigation(PROFILE.n.indicators)!,
      artifacts: new ArtifactRecords(model, indicatorType.navigation(INDICATOR.n.artifact)!.target),
      book: this.book,
      summary: this.summary,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      dry,
      reject: (reason, position) => this.reject(reason, position),
    });
  }

  private note(map: Map<string, ReasonCount>, reason: string, position: string, value?: string): void {
    tallyReason(map, reason, position, this.maxPositions, value);
  }

  reject(reason: string, position: string, value?: string): void {
    this.note(this.summary.rejected, reason, position, value);
  }

  async run(): Promise<void> {
    const { options } = this;
    await this.book.load(options.store);
    const files = await planInputs(options.inputs, options.format);
    this.summary.files = files.map(({ path, format }) => ({ path: options.displayNames?.get(path) ?? basename(path), format, profiles: [], withoutProfile: 0 }));
    if (files.some((f) => f.format === undefined)) this.summary.failures.add('formatUnrecognized');
    for (const f of files) this.totalBytes += f.bytes * (f.format === 'mstic-csv' ? 1 : 2);
    const rebuild = this.dry ? undefined : await this.startBulk(files.reduce((n, f) => n + f.bytes, 0));
    try {
      await this.readFiles(files);
    } finally {
      // What the batches staged (startBulk), also when the run fails: the batches written are kept, as without
      // staging; the indexes are built again whether or not that merge fails.
      try {
        await this.options.store.mergeStaged();
      } finally {
        await rebuild?.();
      }
    }
  }

  /** Which tables start empty (for the writer) and, per `deferIndexes`, drops their secondary indexes. */
  private async startBulk(bytes: number): Promise<(() => Promise<void>) | undefined> {
    const { store } = this.options;
    const count = (type: EntityType): Promise<number> => store.count({ kind: 'count', type, parent: undefined, filter: undefined, search: undefined });
    const indicators = this.writer.indicatorType;
    const artifacts = this.writer.artifactType;
    const stored = await count(indicators);
    const preloadMode = this.options.preloadKeys ?? 'auto';
    const preload = preloadMode === 'auto' ? shouldPreloadKeys(bytes, stored) : preloadMode === 'always';
    this.writer.storedKeys = { indicators: await storedKeyDigests(store, indicators, stored, preload), artifacts: await storedArtifactDigests(store, artifacts, stored) };
    if (preload) this.summary.storedKeysRead = this.writer.storedKeys.indicators?.size ?? 0;
    const mode = this.options.deferIndexes ?? 'auto';
    // Large relative to the store: rebuilding the indexes over everything costs less than maintaining them for
    // the new rows (random keys touch every index page), once the input is about half of what is stored.
    if (!shouldDeferIndexes(mode, bytes, stored)) return undefined;
    // Into a large store, or large itself, such a load also stages its batches (write-batch.ts, "Staged").
    this.writer.stage = store.stagesWrites && shouldStage(this.options.stage ?? 'auto', stored, bytes);
    return store.dropSecondaryIndexes([indicators, artifacts]);
  }

  private async readFiles(files: Awaited<ReturnType<typeof planInputs>>): Promise<void> {
    const { options } = this;
    const multi = files.length > 1;
    let override: ProfileState | undefined;
    if (options.profile) {
      try {
        override = this.book.resolve({ key: '--profile', title: options.profile, kind: 'actor' }).state;
      } catch (e) {
        this.reject(`invalid --profile: ${(e as Error).message}`, '--profile');
        this.summary.failures.add('profileInvalid');
        return;
      }
    }
    for (const [i, file] of files.entries()) {
      const name = options.displayNames?.get(file.path) ?? (multi ? basename(file.path) : undefined);
      const at = (position: string): string => (name ? `${name} ${position}` : position);
      if (!file.format) {
        this.reject('format not recognized (use --format)', at('file'));
        continue;
      }
      await this.readFile(file.path, file.format, override, at, this.summary.files[i]!);
      if (!this.dry) options.onFileDone?.(this.summary.files[i]!, i, files.length);
    }
    await this.writer.finish();
    await this.entities.flush();
    this.summary.batches += this.entities.batches;
    this.progress(true);
    if (!this.dry) {
      for (const p of this.book.touched()) {
        if (!p.existed) this.summary.profiles.created++;
        else if (JSON.stringify(p.values) !== p.baseline) this.summary.profiles.updated++;
        else this.summary.profiles.unchanged++;
      }
    }
  }

  /** One file through its reader: profiles resolved, indicators handed to the batch writer. */
  private async readFile(path: string, format: ImportFormat, override: ProfileState | undefined, at: (position: string) => string, report: FileSummary): Promise<void> {
    this.book.beginFile();
    const keys = new Map<string, Resolution>();
    const placements = new Map<string, FileSummary['profiles'][number]>();
    const place = (r: Resolution): void => {
      if (!placements.has(r.state.id)) {
        const p = { profileId: r.state.id, title: String(r.state.values['title'] ?? ''), rule: r.rule, indicators: 0 };
        placements.set(r.state.id, p);
        report.profiles.push(p);
      }
    };
    if (override) place({ state: override, rule: '--profile' });
    const items = READERS[format]({
      path,
      open: () => readFileChunks(path, (n) => (this.bytes += n)),
      source: this.options.source,
      now: this.now,
      ...(this.options.host !== undefined ? { host: this.options.host } : {}),
    });
    const file: FileContext = { override, at, report, keys, placements, place };
    try {
      for await (const got of items) {
        // What handle() waits for is the store's work: its failure stops the import (ImportStoreError).
        for (const item of isItemList(got) ? got : [got]) {
          const wait = this.handle(item, file);
          if (wait) await wait.catch(storeFailed);
        }
      }
    } catch (e) {
      if (e instanceof ImportStoreError) throw e;
      // A reader failure (I/O error…) ends this file; what was read so far is kept.
      this.reject(`read error: ${(e as Error).message}`, at('file'));
      this.summary.failures.add('readError');
    }
  }

  /** One item of a file; a promise only when it has to wait (a batch write, an entity). */
  private handle(item: ImportItem, file: FileContext): Promise<void> | undefined {
    const { override, at, report, keys, placements, place } = file;
    this.items++;
    if (this.items % 1000 === 0) this.progress();
    switch (item.kind) {
      case 'skip':
        this.note(this.summary.skipped, item.reason, at(item.position), item.value);
        return undefined;
      case 'reject':
        this.reject(item.reason, at(item.position), item.value);
        return undefined;
      case 'entity':
        // Entities may refer to what indicator batches write (an article's artifacts): those commit first.
        return this.writer.settle().then(() => this.entities.add(item.entity, at(item.position)));
      case 'profile':
        if (override) return undefined;
        try {
          const r = this.book.resolve(item.profile);
          keys.set(item.profile.key, r);
          place(r);
        } catch (e) {
          this.reject(profileProblem(e, item.profile.id === undefined), at(item.position));
        }
        return undefined;
      case 'indicator': {
        const d = item.indicator;
        const profile = override ?? (d.profileKey !== undefined ? keys.get(d.profileKey)?.state : undefined);
        if (!override && d.profileKey !== undefined && !profile) {
          this.reject('the indicator names a profile that was rejected', at(item.position));
          return undefined;
        }
        if (!Number.isFinite(d.firstSeen) || (d.lastSeen !== null && !Number.isFinite(d.lastSeen))) {
          this.reject('invalid date', at(item.position));
          return undefined;
        }
        if (profile) this.book.noteIndicator(profile, d.firstSeen);
        if (profile) placements.get(profile.id)!.indicators++;
        else report.withoutProfile++;
        const position = at(item.position);
        const source = this.sourceEnum.memberByName(d.source)!.value;
        const profileId = profile?.id ?? '';
        const id = d.id !== undefined && d.idProfile === profileId ? d.id : indicatorId(profileId, d.artifact.id);
        const first = this.writer.add({ profile, source, firstSeen: d.firstSeen, lastSeen: d.lastSeen, position, id, artifact: d.artifact });
        const host = d.exact ? undefined : hostOfUrl(d.artifact);
        if (!host) return first;
        this.summary.hostsFromUrls++;
        const derived = { profile, source, firstSeen: d.firstSeen, lastSeen: d.lastSeen, position, id: indicatorId(profileId, host.id), artifact: host };
        return first ? first.then(() => this.writer.add(derived)) : this.writer.add(derived);
      }
    }
  }

  private progress(force = false): void {
    const t = Date.now();
    if (!this.options.onProgress || (!force && t - this.lastProgress < 200)) return;
    this.lastProgress = t;
    this.options.onProgress({ items: this.items, bytes: this.bytes, totalBytes: this.totalBytes, elapsedMs: t - this.started });
  }
}

/** Runs an import; see the module comment for the semantics. */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const now = options.now ?? Date.now();
  const started = Date.now();
  if (options.strict) {
    const check = new Engine(options, true, now);
    await check.run().catch(storeFailed);
    if (check.summary.rejected.size > 0) {
      check.summary.aborted = true;
      check.summary.failures.add('strictAborted');
      check.summary.elapsedMs = Date.now() - started;
      return check.summary;
    }
  }
  const engine = new Engine(options, false, now);
  await engine.run().catch(storeFailed);
  engine.summary.elapsedMs = Date.now() - started;
  return engine.summary;
}
