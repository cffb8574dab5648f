/**
 * The import engine: runs format readers over the inputs, resolves profiles (profile-book.ts), turns
 * indicators into store records with deterministic ids, and writes them in batches.
 *
 * - Indicator id = indicatorId(profileId, artifactId) (indicatorId('', artifactId) for an indicator without a
 *   profile), so re-importing, or importing the same IOC from another format, lands on the same row; the
 *   times merge: first seen = earliest, last seen = latest (in memory within a batch, and in the store through
 *   `write(…, { merge: true })`).
 * - Batches: every `batchSize` distinct indicators, one `store.write` call = one transaction, holding the new
 *   artifacts, the profiles changed since the last batch and the indicators. An interrupted import leaves
 *   exactly the batches that committed; running it again completes it (ids are deterministic).
 * - Counting: per batch, one query fetches the batch's indicators that already exist and one the artifacts
 *   that already exist (so a stored artifact's richer properties are never overwritten by an imported
 *   one: indicators link to it by reference). An indicator is 'created' (new id), 'updated' (merged values
 *   differ) or 'unchanged' (nothing to write). An indicator repeated in later batches of the same import counts
 *   once per batch it appears in. Profiles are counted once each.
 * - `strict`: a first pass reads and validates everything without writing; any reject ends the import there,
 *   with nothing written. Otherwise rejected records are reported and the import goes on.
 */
import type { EntityType, EnumType, Model } from '../model/model.js';
import { readEntity } from '../odata/deserialize/read-entity.js';
import { indicatorId } from '../model/ids.js';
import { INDICATOR, SETS } from '../model/names.js';
import type { Store } from '../storage/store.js';
import type { EntityRecord, WriteRecord } from '../model/records.js';
import type { ArtifactJson } from './canonicalize.js';
import { detectFormat, expandInput, readFileChunks, type ImportFormat } from './detect-format.js';
import { ProfileBook, type ProfileState } from './profile-book.js';
import { byKeys } from './queries.js';
import { readIocList } from './readers/ioc-list.js';
import { readMisp } from './readers/misp.js';
import { readMsticCsv } from './readers/mstic-csv.js';
import { readStix } from './readers/stix.js';
import type { ImportItem, IndicatorSourceName, Reader } from './types.js';
import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import type { ImportSummary, ReasonCount } from './import-summary.js';
import { tallyReason } from './reason-tally.js';

export const READERS: Readonly<Record<ImportFormat, Reader>> = { stix: readStix, misp: readMisp, 'mstic-csv': readMsticCsv, 'ioc-list': readIocList };
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
  /** Display names for inputs (stdin's temporary file → '-'). */
  readonly displayNames?: ReadonlyMap<string, string>;
}


interface Pending {
  id: string;
  profile: ProfileState | undefined;
  source: number;
  firstSeen: number;
  lastSeen: number | null;
  artifact: ArtifactJson;
  position: string;
}

class Engine {
  readonly summary: ImportSummary;
  private readonly book: ProfileBook;
  private readonly indicatorType: EntityType;
  private readonly artifactType: EntityType;
  private readonly indicatorsNav;
  private readonly sourceEnum: EnumType;
  private readonly pending = new Map<string, Pending>();
  private readonly batchSize: number;
  private readonly maxPositions: number;
  private items = 0;
  private bytes = 0;
  private totalBytes = 0;
  private readonly started = Date.now();
  private lastProgress = 0;
  private readonly artifactTypes = new Map<string, EntityType>();

  constructor(
    private readonly options: ImportOptions,
    private readonly dry: boolean,
    readonly now: number,
  ) {
    const { model } = options;
    this.book = new ProfileBook(model, now);
    const set = model.entitySet(SETS.intelligenceProfileIndicators);
    if (!set) throw new Error(`import: the model has no ${SETS.intelligenceProfileIndicators} entity set`);
    this.indicatorType = set.entityType;
    this.artifactType = this.indicatorType.navigation('artifact')!.target;
    this.indicatorsNav = this.book.type.navigation('indicators')!;
    this.sourceEnum = this.indicatorType.property('source')!.type as EnumType;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.maxPositions = options.maxPositions ?? 10;
    this.summary = {
      files: [],
      profiles: { created: 0, updated: 0, unchanged: 0 },
      indicators: { created: 0, updated: 0, unchanged: 0, withoutProfile: 0 },
      mergedInBatch: 0,
      skipped: new Map(),
      rejected: new Map(),
      batches: 0,
      aborted: false,
      failures: new Set(),
      elapsedMs: 0,
    };
  }

  private note(map: Map<string, ReasonCount>, reason: string, position: string): void {
    tallyReason(map, reason, position, this.maxPositions);
  }

  reject(reason: string, position: string): void {
    this.note(this.summary.rejected, reason, position);
  }

  async run(): Promise<void> {
    const { options } = this;
    await this.book.load(options.store);
    const files: { path: string; format: ImportFormat | undefined }[] = [];
    for (const input of options.inputs) {
      const { files: paths, mispFeed } = await expandInput(input);
      for (const path of paths) files.push({ path, format: options.format ?? (mispFeed ? 'misp' : await detectFormat(path)) });
    }
    this.summary.files = files;
    if (files.some((f) => f.format === undefined)) this.summary.failures.add('formatUnrecognized');
    for (const f of files) this.totalBytes += (await stat(f.path)).size * (f.format === 'mstic-csv' ? 1 : 2);
    const multi = files.length > 1;
    let override: ProfileState | undefined;
    if (options.profile) {
      try {
        override = this.book.resolve({ key: '--profile', title: options.profile, kind: 'actor' });
      } catch (e) {
        this.reject(`invalid --profile: ${(e as Error).message}`, '--profile');
        return;
      }
    }
    for (const file of files) {
      const name = options.displayNames?.get(file.path) ?? (multi ? basename(file.path) : undefined);
      const at = (position: string): string => (name ? `${name} ${position}` : position);
      if (!file.format) {
        this.reject('format not recognized (use --format)', at('file'));
        continue;
      }
      const reader = READERS[file.format];
      this.book.beginFile();
      const keys = new Map<string, ProfileState>();
      const items: AsyncIterable<ImportItem> = reader({
        path: file.path,
        open: () => readFileChunks(file.path, (n) => (this.bytes += n)),
        source: options.source,
        now: this.now,
      });
      try {
        for await (const item of items) {
          this.items++;
          if (this.items % 1000 === 0) this.progress();
          switch (item.kind) {
            case 'skip':
              this.note(this.summary.skipped, item.reason, at(item.position));
              break;
            case 'reject':
              this.reject(item.reason, at(item.position));
              break;
            case 'profile':
              if (override) break;
              try {
                keys.set(item.profile.key, this.book.resolve(item.profile));
              } catch (e) {
                this.reject(`invalid profile: ${(e as Error).message}`, at(item.position));
              }
              break;
            case 'indicator': {
              const d = item.indicator;
              const profile = override ?? (d.profileKey !== undefined ? keys.get(d.profileKey) : undefined);
              if (!override && d.profileKey !== undefined && !profile) {
                this.reject('the indicator names a profile that was rejected', at(item.position));
                break;
              }
              if (!Number.isFinite(d.firstSeen) || (d.lastSeen !== null && !Number.isFinite(d.lastSeen))) {
                this.reject('invalid date', at(item.position));
                break;
              }
              await this.add({
                id: d.id !== undefined && d.idProfile === (profile?.id ?? '') ? d.id : indicatorId(profile?.id ?? '', d.artifact.id),
                profile,
                source: this.sourceEnum.memberByName(d.source)!.value,
                firstSeen: d.firstSeen,
                lastSeen: d.lastSeen,
                artifact: d.artifact,
                position: at(item.position),
              });
              break;
            }
          }
        }
      } catch (e) {
        // A reader failure (I/O error…) ends this file; what was read so far is kept.
        this.reject(`read error: ${(e as Error).message}`, at('file'));
        this.summary.failures.add('readError');
      }
    }
    await this.flush();
    this.progress(true);
    if (!this.dry) {
      for (const p of this.book.touched()) {
        if (!p.existed) this.summary.profiles.created++;
        else if (JSON.stringify(p.values) !== p.baseline) this.summary.profiles.updated++;
        else this.summary.profiles.unchanged++;
      }
    }
  }

  private progress(force = false): void {
    const t = Date.now();
    if (!this.options.onProgress || (!force && t - this.lastProgress < 200)) return;
    this.lastProgress = t;
    this.options.onProgress({ items: this.items, bytes: this.bytes, totalBytes: this.totalBytes, elapsedMs: t - this.started });
  }

  private async add(p: Pending): Promise<void> {
    if (p.profile) this.book.noteIndicator(p.profile, p.firstSeen);
    const cur = this.pending.get(p.id);
    if (cur) {
      this.summary.mergedInBatch++;
      cur.firstSeen = Math.min(cur.firstSeen, p.firstSeen);
      cur.lastSeen = maxNullable(cur.lastSeen, p.lastSeen);
      cur.source = p.source;
      return;
    }
    this.pending.set(p.id, p);
    if (this.pending.size >= this.batchSize) await this.flush();
  }

  private artifactTypeOf(odataType: string): EntityType {
    let t = this.artifactTypes.get(odataType);
    if (!t) {
      const name = odataType.replace(/^#/, '');
      t = this.options.model.subtypesOf(this.artifactType).find((x) => x.qualifiedName === name);
      if (!t) throw new Error(`unknown artifact type ${odataType}`);
      this.artifactTypes.set(odataType, t);
    }
    return t;
  }

  /**
   * The record of a canonical artifact as the readers make them ({@odata.type, id} or, for URLs, + kind and
   * value: strings produced by canonicalize.ts), built directly — the same record readEntity returns (every
   * other property null), without its per-property validation, which dominated the per-indicator cost. Any
   * other shape (a tigraph export's full artifact) goes through readEntity.
   */
  private plainArtifact(json: ArtifactJson): EntityRecord | undefined {
    for (const k in json) if (k !== '@odata.type' && k !== 'id' && k !== 'kind' && k !== 'value') return undefined;
    if (typeof json.id !== 'string' || (json['kind'] !== undefined && typeof json['kind'] !== 'string') || (json['value'] !== undefined && typeof json['value'] !== 'string')) return undefined;
    let type: EntityType;
    try {
      type = this.artifactTypeOf(json['@odata.type']);
    } catch {
      return undefined;
    }
    let props = this.plainProps.get(type);
    if (!props) this.plainProps.set(type, (props = type.properties.map((x) => ({ name: x.name, nullable: x.nullable }))));
    let known = 1;
    const values: Record<string, unknown> = {};
    for (const { name, nullable } of props) {
      const v = (json as Record<string, unknown>)[name];
      if (v === undefined && !nullable) return undefined; // readEntity names the missing property
      if (v !== undefined && name !== 'id') known++;
      values[name] = v ?? null;
    }
    // Every member but @odata.type must be a property of the type (else readEntity reports it).
    return known === Object.keys(json).length - 1 ? { kind: 'record', type, values, navigations: {} } : undefined;
  }

  private readonly plainProps = new Map<EntityType, { name: string; nullable: boolean }[]>();

  private async flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    const { store, model } = this.options;
    // Artifacts: validated by the model; written only when not stored yet.
    const artifacts = new Map<string, { record: EntityRecord | undefined; position: string }>();
    for (const p of batch) {
      if (artifacts.has(p.artifact.id)) continue;
      try {
        artifacts.set(p.artifact.id, { record: this.plainArtifact(p.artifact) ?? readEntity(model, this.artifactType, p.artifact, { partial: false }).record, position: p.position });
      } catch (e) {
        artifacts.set(p.artifact.id, { record: undefined, position: p.position });
        this.reject(`invalid artifact: ${(e as Error).message}`, p.position);
      }
    }
    const valid = batch.filter((p) => artifacts.get(p.artifact.id)!.record);
    if (this.dry) return;
    const dirtyProfiles = this.book.dirty();
    if (valid.length === 0 && dirtyProfiles.length === 0) return;

    const existingIndicators = new Map<string, EntityRecord>();
    const existingArtifacts = new Set<string>();
    const CHUNK = 2000;
    for (let i = 0; i < valid.length; i += CHUNK) {
      const ids = valid.slice(i, i + CHUNK).map((p) => p.id);
      for (const r of (await store.findMany(byKeys(this.indicatorType, ids))).records) existingIndicators.set(r.values['id'] as string, r);
    }
    const artifactIds = [...artifacts.keys()];
    for (let i = 0; i < artifactIds.length; i += CHUNK) {
      for (const r of (await store.findMany(byKeys(this.artifactType, artifactIds.slice(i, i + CHUNK)))).records) existingArtifacts.add(r.values['id'] as string);
    }

    const writes: WriteRecord[] = [];
    // New artifacts only, insert-if-absent: a stored artifact is never overwritten by an imported one.
    for (const [id, a] of artifacts) if (a.record && !existingArtifacts.has(id)) writes.push({ record: a.record, ifAbsent: true });
    for (const p of dirtyProfiles) {
      writes.push({ record: { kind: 'record', type: this.book.type, values: { ...p.values }, navigations: {} } });
      p.dirty = false;
    }
    const counts = this.summary.indicators;
    for (const p of valid) {
      const ex = existingIndicators.get(p.id);
      let firstSeen = p.firstSeen;
      let lastSeen = p.lastSeen;
      if (ex) {
        const exFirst = ex.values[INDICATOR.p.firstSeenDateTime] as number | null;
        const exLast = ex.values[INDICATOR.p.lastSeenDateTime] as number | null;
        if (typeof exFirst === 'number') firstSeen = Math.min(firstSeen, exFirst);
        lastSeen = maxNullable(lastSeen, exLast);
        const exArtifact = ex.navigations['artifact'];
        const exArtifactId = exArtifact ? (exArtifact.kind === 'ref' ? exArtifact.id : exArtifact.values['id']) : undefined;
        if (ex.values['source'] === p.source && exFirst === firstSeen && exLast === lastSeen && exArtifactId === p.artifact.id) {
          counts.unchanged++;
          continue;
        }
        counts.updated++;
      } else {
        counts.created++;
        if (!p.profile) counts.withoutProfile++;
      }
      const record: EntityRecord = {
        kind: 'record',
        type: this.indicatorType,
        values: { [INDICATOR.p.id]: p.id, [INDICATOR.p.source]: p.source, [INDICATOR.p.firstSeenDateTime]: firstSeen, [INDICATOR.p.lastSeenDateTime]: lastSeen },
        navigations: { artifact: { kind: 'ref', type: this.artifactTypeOf(p.artifact['@odata.type']), id: p.artifact.id } },
      };
      writes.push(p.profile ? { record, parent: { navigation: this.indicatorsNav, key: p.profile.id } } : { record });
    }
    if (writes.length === 0) return;
    await store.write(writes, { merge: true });
    this.summary.batches++;
  }
}

function maxNullable(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Runs an import; see the module comment for the semantics. */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const now = options.now ?? Date.now();
  const started = Date.now();
  if (options.strict) {
    const check = new Engine(options, true, now);
    await check.run();
    if (check.summary.rejected.size > 0) {
      check.summary.aborted = true;
      check.summary.failures.add('strictAborted');
      check.summary.elapsedMs = Date.now() - started;
      return check.summary;
    }
  }
  const engine = new Engine(options, false, now);
  await engine.run();
  engine.summary.elapsedMs = Date.now() - started;
  return engine.summary;
}
