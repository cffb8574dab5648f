/**
 * Batch writing for the importer: collects distinct indicators (repeats within a batch merge by the model's
 * merge rules), and every `batchSize` of them (fewer once they hold BATCH_BYTES of text: batch-bytes.ts) makes one
 * `store.write` call = one transaction holding the new artifacts, the profiles changed since the last batch and
 * the indicators. An interrupted import leaves exactly
 * the batches that committed; running it again completes it (ids are deterministic).
 *
 * Counting: per batch, one query fetches the batch's indicators that already exist. Artifacts are not looked up:
 * those of the indicators a batch writes are written insert-if-absent, so a stored artifact's richer properties are never overwritten by an imported
 * one (indicators link to it by reference) and a repeated one costs the store one key probe. An indicator is 'created' (new id), 'updated' (merged values differ) or 'unchanged'
 * (nothing to write). In a dry run (strict mode's first pass) artifacts are validated and nothing is written.
 * 'unchanged' and 'updated' are only for indicators stored before the run: an indicator that an earlier batch of
 * the same run wrote (an input repeated further down the file) counts as a merged duplicate, like a repeat within
 * a batch, so created = the distinct new indicators and a re-import's unchanged = what it finds stored. The run's
 * ids are remembered as 52-bit digests (in a DigestSet: at most 16 bytes each, not the id strings: 1M indicators cost at most 32 MB); two ids
 * sharing a digest (about 1 in 10,000 at 1M ids) would miscount one repeat, never change what is written.
 *
 * Orphans (indicators without a profile, id indicatorId('', artifact)): an artifact is listed with a profile or
 * without one, never both. When a batch lists an artifact under a profile, the stored orphan of that artifact is
 * adopted: its first and last seen merge into the profile's indicator and it is deleted in the same transaction
 * (summary.orphansAdopted); an orphan pending in the same batch merges the same way. An indicator without a
 * profile whose artifact a stored indicator already lists under a profile is not created
 * (summary.keptUnderProfile). So importing a file without --profile and then with it, or a truncated STIX bundle
 * and then the intact one, ends as the second import alone would.
 *
 * No read-before-write for keys the store cannot have: when the engine knows the digests of every key stored when
 * the run started (BatchWriter.storedKeys: empty sets for empty tables, else read once with Store.keys for a large
 * import), only ids whose digest is among those or among this run's own are looked up (staged: only those). A row another
 * process writes meanwhile with the same key is still merged by the write (an upsert), only counted as created.
 *
 * New keys: an indicator counted as created (not found, or known not to be stored, and not handled before in this
 * run) is written `expectNew` (WriteRecord), and so is an artifact when storedKeys.artifacts is known (the store
 * appends new keys faster, Store.appendsNewKeys, and its artifact table was empty) and no earlier batch wrote it.
 * The store may then append the row without an upsert; a key that is there after all (another process's write)
 * is upserted as without the mark.
 *
 * Staged (`stage`, a bulk load: run-import.ts): the batches are staged writes (WriteOptions.stage), which no read
 * sees until the store merges them, at the end of the run or when a lookup may concern this run's own rows: the
 * stored orphans of artifacts a batch lists under a profile, once this run wrote orphans; the profile indicators of
 * a batch's orphans' artifacts, once it wrote profile indicators. The indicator lookups need no merge: an id an
 * earlier batch of the run handled is not looked up but counted as merged and written as it is (the store's upsert
 * merges its seen times with the row's), so they find only rows stored before the run.
 *
 * Pipelined: a batch's write is posted and not awaited; the next batches are read meanwhile. A flush waits until
 * fewer than `store.writesInFlight` writes are pending before it posts its own (`store.stagedWritesInFlight` when
 * staged): up to 4 on a SQLite file with a writer thread (8 staged, 12 into an empty store: the thread may be
 * merging, and the batches wait serialized in its queue meanwhile, sqlite-writer.ts), which runs them in order
 * and makes every read wait for the writes posted before it; 2 on PostgreSQL, where a read does not see a write
 * still running (Store.readsSeeWritesInFlight), so a batch that must look anything up (ids this run or the store
 * may hold, orphans) first waits for every posted write. Either way each batch's lookups see every batch before it. The
 * reading and the writing run on two cores; a short stall of either (a GC pause, a checkpoint) no longer stops the
 * other. When a write fails, the writes
 * posted after it may still commit (each whole); the run ends with the error, and re-running completes it.
 *
 * Harvested aliases (profile-book.ts) are recorded before the batch that stores them, so a crash can leave a
 * harvested mark without its alias (harmless) but never an alias without its mark.
 */
import type { EntityType, NavigationProperty, StructuralProperty } from '../model/model.js';
import { mergeByRule, type MergeRule } from '../model/merge-values.js';
import { INDICATOR } from '../model/names.js';
import type { EntityRecord, WriteRecord } from '../model/records.js';
import type { Store } from '../storage/store.js';
import type { ArtifactJson } from './canonicalize.js';
import type { ArtifactRecords } from './artifact-records.js';
import type { ImportSummary } from './import-summary.js';
import type { ProfileBook, ProfileState } from './profile-book.js';
import { byKeys, byNavigationKeys } from './queries.js';
import { indicatorId } from '../model/ids.js';
import { DigestSet } from './digest-set.js';
import { BATCH_BYTES, pendingBytes } from './batch-bytes.js';

/** The id of the artifact a stored indicator points at. */
function artifactIdOf(r: EntityRecord): string {
  const a = r.navigations[INDICATOR.n.artifact];
  return a ? String(a.kind === 'ref' ? a.id : a.values['id']) : '';
}

export interface PendingIndicator {
  id: string;
  profile: ProfileState | undefined;
  source: number;
  firstSeen: number;
  lastSeen: number | null;
  artifact: ArtifactJson;
  position: string;
}

export interface BatchWriterOptions {
  readonly store: Store;
  readonly indicatorType: EntityType;
  readonly indicatorsNav: NavigationProperty;
  readonly artifacts: ArtifactRecords;
  readonly book: ProfileBook;
  readonly summary: ImportSummary;
  readonly batchSize: number;
  readonly dry: boolean;
  readonly reject: (reason: string, position: string) => void;
}

/** The digests of the keys stored when the import started; undefined when not known. */
export interface StoredKeys {
  /** Undefined: every id is looked up. */
  indicators: DigestSet | undefined;
  /**
   * Read only where the store appends new keys faster (Store.appendsNewKeys), and only for an empty table (an empty
   * set); undefined: no artifact write is marked new (module comment, "New keys").
   */
  artifacts?: DigestSet | undefined;
}

const LOOKUP_CHUNK = 2000;

/**
 * A 52-bit digest of an id, exact as a JavaScript number: two 32-bit FNV-1a hashes with different offsets over the
 * UTF-16 code units (a cryptographic hash costs a native call per id, a quarter of a bulk load's CPU). Not
 * adversarial-safe, and need not be: a collision only costs one lookup or miscounts one repeat.
 */
export function digest(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x100000 + (b >>> 12);
}

function ruleOf(p: StructuralProperty | undefined): MergeRule {
  if (!p?.mergeRule) throw new Error(`import: the model declares no merge rule for ${p?.name ?? 'a seen time'}`);
  return p.mergeRule;
}

export class BatchWriter {
  private readonly pending = new Map<string, PendingIndicator>();
  /** Digests of the indicator ids earlier batches of this run handled. */
  private readonly seen = new DigestSet();
  /** Digests of the artifact ids earlier batches of this run wrote (kept while storedKeys.artifacts is known). */
  private readonly artifactsSeen = new DigestSet();
  /** An earlier batch of this run wrote an indicator without a profile. */
  private wroteOrphans = false;
  /** Set by the engine before the first batch. */
  storedKeys: StoredKeys = { indicators: undefined };
  /**
   * The batches are staged writes (WriteOptions.stage; set by the engine for a bulk load): no read sees them until
   * the store merges them, so a lookup that may concern this run's own rows merges them first (module comment).
   */
  stage = false;
  /** An earlier batch of this run wrote an indicator listed by a profile. */
  private wroteProfiled = false;
  private readonly batchSize: number;
  /** pendingBytes of the pending indicators: at BATCH_BYTES the batch is written, however few they are. */
  private heldBytes = 0;
  private readonly firstRule: MergeRule;
  private readonly lastRule: MergeRule;
  /** The batch writes posted and not awaited yet, oldest first (at most store.writesInFlight). */
  private readonly inflight: Promise<void>[] = [];

  get indicatorType(): EntityType {
    return this.o.indicatorType;
  }

  get artifactType(): EntityType {
    return this.o.artifacts.artifactType;
  }

  constructor(private readonly o: BatchWriterOptions) {
    this.firstRule = ruleOf(o.indicatorType.property(INDICATOR.p.firstSeenDateTime));
    this.lastRule = ruleOf(o.indicatorType.property(INDICATOR.p.lastSeenDateTime));
    this.batchSize = o.batchSize;
  }

  /** Adds an indicator; a promise only when that filled a batch (the batch is being written). */
  add(p: PendingIndicator): Promise<void> | undefined {
    const cur = this.pending.get(p.id);
    if (cur) {
      this.o.summary.mergedInBatch++;
      cur.firstSeen = mergeByRule(this.firstRule, cur.firstSeen, p.firstSeen)!;
      cur.lastSeen = mergeByRule(this.lastRule, cur.lastSeen, p.lastSeen);
      cur.source = p.source;
      return undefined;
    }
    this.pending.set(p.id, p);
    this.heldBytes += pendingBytes(p.id, p.position, p.artifact);
    return this.pending.size >= this.batchSize || this.heldBytes >= BATCH_BYTES ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.heldBytes = 0;
    const { store, artifacts: records, book, summary } = this.o;
    // Artifacts: validated by the model; written insert-if-absent.
    const artifacts = new Map<string, EntityRecord | undefined>();
    for (const p of batch) {
      if (artifacts.has(p.artifact.id)) continue;
      try {
        artifacts.set(p.artifact.id, records.recordOf(p.artifact));
      } catch (e) {
        artifacts.set(p.artifact.id, undefined);
        this.o.reject(`invalid artifact: ${(e as Error).message}`, p.position);
      }
    }
    const valid = batch.filter((p) => artifacts.get(p.artifact.id));
    if (this.o.dry) return;
    await this.settle((this.stage ? store.stagedWritesInFlight(this.storedKeys.indicators?.size === 0) : store.writesInFlight) - 1);
    // And by bytes (rows of long values): down to one write in flight beside this one, so reading still overlaps.
    while (this.inflight.length > 1 && store.writeQueueFull(this.stage)) await this.inflight.shift();
    const dirtyProfiles = book.dirty();
    if (valid.length === 0 && dirtyProfiles.length === 0) return;

    const harvested = book.takeHarvested();
    await store.noteHarvestedAliases(harvested.add, harvested.remove);
    const adopt = await this.adoptOrphans(valid);
    // Each id's digest once: it decides the lookup (into an empty store) and is remembered after the write.
    const hashes = adopt.kept.map((p) => digest(p.id));
    const stored = this.storedKeys;
    // Staged, an id this run handled before is not looked up (its row may be staged: indicatorRecord).
    const lookUp = (h: number): boolean => stored.indicators!.has(h) || (!this.stage && this.seen.has(h));
    const indicatorIds = stored.indicators ? adopt.kept.filter((_, i) => lookUp(hashes[i]!)).map((p) => p.id) : adopt.kept.map((p) => p.id);
    const existingIndicators = await this.existing(this.o.indicatorType, indicatorIds);
    const indicatorWrites: WriteRecord[] = [];
    // The artifacts of the indicators written (an unchanged indicator's is stored with it), insert-if-absent: a
    // stored artifact is never overwritten by an imported one.
    const artifactWrites = new Map<string, WriteRecord>();
    for (const [i, p] of adopt.kept.entries()) {
      const h = hashes[i]!;
      const repeat = this.seen.has(h);
      const ex = existingIndicators.get(p.id);
      const record = this.indicatorRecord(p, ex, repeat);
      this.seen.add(h);
      if (!record) continue;
      if (!p.profile) this.wroteOrphans = true;
      else this.wroteProfiled = true;
      // New: neither stored (looked up, or known not to be) nor handled by an earlier batch of this run.
      const fresh = !ex && !repeat ? { expectNew: true } : {};
      indicatorWrites.push(p.profile ? { record, parent: { navigation: this.o.indicatorsNav, key: p.profile.id }, ...fresh } : { record, ...fresh });
      if (!artifactWrites.has(p.artifact.id)) artifactWrites.set(p.artifact.id, { record: artifacts.get(p.artifact.id)!, ifAbsent: true, ...(this.newArtifact(p.artifact.id) ? { expectNew: true } : {}) });
    }
    const writes: WriteRecord[] = [...artifactWrites.values()];
    for (const p of dirtyProfiles) {
      writes.push({ record: { kind: 'record', type: book.type, values: { ...p.values }, navigations: {} } });
      p.dirty = false;
    }
    for (const w of indicatorWrites) writes.push(w);
    if (writes.length === 0 && adopt.removed.length === 0) return;
    const written = store.write(writes, { merge: true, remove: { type: this.o.indicatorType, keys: adopt.removed }, ...(this.stage ? { stage: true } : {}) });
    // Its failure is thrown by the next settle(); until then it must not count as unhandled.
    written.catch(() => undefined);
    this.inflight.push(written);
    summary.batches++;
  }

  /** Whether artifact `id` is surely not stored (storedKeys.artifacts known, and no earlier batch wrote it); remembered. */
  private newArtifact(id: string): boolean {
    const stored = this.storedKeys.artifacts;
    if (!stored) return false;
    const d = digest(id);
    const fresh = !stored.has(d) && !this.artifactsSeen.has(d);
    this.artifactsSeen.add(d);
    return fresh;
  }

  /** Whether the key of digest `d` may be stored: it was when the run started, or this run wrote it. */
  private maybeStored(d: number, stored: DigestSet | undefined, seen: DigestSet): boolean {
    return !stored || stored.has(d) || seen.has(d);
  }

  /** Before a lookup: the posted writes, where the store's reads would not see them (Store.readsSeeWritesInFlight). */
  private async beforeRead(): Promise<void> {
    if (!this.o.store.readsSeeWritesInFlight) await this.settle(0);
  }

  /** Waits until at most `pending` batch writes are still posted and not awaited (throws the first error). */
  async settle(pending = 0): Promise<void> {
    while (this.inflight.length > pending) await this.inflight.shift();
  }

  /** Writes what is pending and waits until every batch has committed. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
  }

  /**
   * The orphan rules (module comment): merges stored and pending orphans into the profile indicators of their
   * artifact, and drops orphans whose artifact a stored indicator lists under a profile. Returns the pending
   * indicators to write and the stored orphans to delete.
   */
  private async adoptOrphans(valid: readonly PendingIndicator[]): Promise<{ kept: PendingIndicator[]; removed: string[] }> {
    const summary = this.o.summary;
    const profiled = new Map<string, PendingIndicator[]>();
    for (const p of valid) {
      if (!p.profile) continue;
      const list = profiled.get(p.artifact.id);
      if (list) list.push(p);
      else profiled.set(p.artifact.id, [p]);
    }
    const absorb = (artifactId: string, first: number, last: number | null): void => {
      for (const q of profiled.get(artifactId) ?? []) {
        q.firstSeen = mergeByRule(this.firstRule, q.firstSeen, first)!;
        q.lastSeen = mergeByRule(this.lastRule, q.lastSeen, last);
      }
    };
    const kept: PendingIndicator[] = [];
    const orphans: PendingIndicator[] = [];
    for (const p of valid) {
      if (p.profile) kept.push(p);
      else if (profiled.has(p.artifact.id)) {
        absorb(p.artifact.id, p.firstSeen, p.lastSeen);
        summary.mergedInBatch++;
      } else orphans.push(p);
    }
    const removed: string[] = [];
    // Into an empty store, stored orphans can only be this run's own: none when it wrote none.
    const stored = this.storedKeys.indicators;
    if (profiled.size > 0 && !(stored?.size === 0 && !this.wroteOrphans)) {
      // This run's orphans may be staged.
      if (this.stage && this.wroteOrphans) await this.o.store.mergeStaged();
      const ids = new Map([...profiled.keys()].map((a) => [indicatorId('', a), a]));
      const candidates = [...ids.keys()].filter((id) => this.maybeStored(digest(id), stored, this.seen));
      for (const [id, r] of await this.existing(this.o.indicatorType, candidates)) {
        absorb(ids.get(id)!, r.values[INDICATOR.p.firstSeenDateTime] as number, r.values[INDICATOR.p.lastSeenDateTime] as number | null);
        removed.push(id);
        summary.orphansAdopted++;
      }
    }
    if (orphans.length > 0) {
      const listed = new Set<string>();
      const nav = this.o.indicatorType.navigation(INDICATOR.n.artifact)!;
      // This run's profile indicators of these artifacts may be staged.
      if (this.stage && this.wroteProfiled) await this.o.store.mergeStaged();
      await this.beforeRead();
      for (let i = 0; i < orphans.length; i += LOOKUP_CHUNK) {
        const chunk = orphans.slice(i, i + LOOKUP_CHUNK);
        for (const r of (await this.o.store.findMany(byNavigationKeys(this.o.indicatorType, nav, chunk.map((p) => p.artifact.id)))).records) {
          if (r.listedBy) listed.add(artifactIdOf(r));
        }
      }
      for (const p of orphans) {
        if (listed.has(p.artifact.id)) summary.keptUnderProfile++;
        else kept.push(p);
      }
    }
    return { kept, removed };
  }

  /** The stored records of `ids`, by id, read in chunks. */
  private async existing(type: EntityType, ids: readonly string[]): Promise<Map<string, EntityRecord>> {
    const found = new Map<string, EntityRecord>();
    if (ids.length > 0) await this.beforeRead();
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      for (const r of (await this.o.store.findMany(byKeys(type, ids.slice(i, i + LOOKUP_CHUNK)))).records) found.set(r.values['id'] as string, r);
    }
    return found;
  }

  /**
   * The indicator's record merged with the stored one (counted), or undefined when nothing changes. A `repeat` (an
   * id an earlier batch of this run handled) counts as merged; staged, it is written whatever the store holds,
   * which may not be that batch's values yet (the store's upsert merges them anyway).
   */
  private indicatorRecord(p: PendingIndicator, ex: EntityRecord | undefined, repeat: boolean): EntityRecord | undefined {
    const counts = this.o.summary.indicators;
    let firstSeen = p.firstSeen;
    let lastSeen = p.lastSeen;
    if (repeat && this.stage) this.o.summary.mergedInBatch++;
    else if (ex) {
      const exFirst = ex.values[INDICATOR.p.firstSeenDateTime] as number | null;
      const exLast = ex.values[INDICATOR.p.lastSeenDateTime] as number | null;
      firstSeen = mergeByRule(this.firstRule, firstSeen, exFirst)!;
      lastSeen = mergeByRule(this.lastRule, lastSeen, exLast);
      const exArtifact = ex.navigations[INDICATOR.n.artifact];
      const exArtifactId = exArtifact ? (exArtifact.kind === 'ref' ? exArtifact.id : exArtifact.values['id']) : undefined;
      const same = ex.values[INDICATOR.p.source] === p.source && exFirst === firstSeen && exLast === lastSeen && exArtifactId === p.artifact.id;
      if (repeat) this.o.summary.mergedInBatch++;
      else counts[same ? 'unchanged' : 'updated']++;
      if (same) return undefined;
    } else {
      counts.created++;
      if (!p.profile) counts.withoutProfile++;
    }
    return {
      kind: 'record',
      type: this.o.indicatorType,
      values: { [INDICATOR.p.id]: p.id, [INDICATOR.p.source]: p.source, [INDICATOR.p.firstSeenDateTime]: firstSeen, [INDICATOR.p.lastSeenDateTime]: lastSeen },
      navigations: { [INDICATOR.n.artifact]: { kind: 'ref', type: this.o.artifacts.typeOf(p.artifact['@odata.type']), id: p.artifact.id } },
    };
  }
}
