/**
 * Batch writing of entity drafts (types.ts EntityDraft: vulnerabilities, articles, passive DNS records, whois
 * records, certificates…): each draft is read by the model (read-entity.ts) into its write records — the
 * entity, the references it creates when absent (hosts) and its deep-inserted children (components, article
 * indicators) — so an invalid draft is rejected whole, before anything of it is written. Every `batchSize`
 * drafts (fewer once they hold BATCH_BYTES of text: batch-bytes.ts) make one `store.write` call (one transaction,
 * merge mode: the model's merge rules keep the earliest first seen and the latest last seen).
 *
 * Counting, per entity type name: a record is 'created' (no stored row), 'updated' (its merged values differ
 * from the stored row) or 'unchanged' (nothing to write); a reference (a host, written only when absent) is
 * counted only when this run creates it. A record repeated within the run counts once (the later one wins, merged). So a re-import of
 * the same input writes nothing and counts everything unchanged.
 *
 * Snapshots (EntityDraft.snapshot): of the drafts and the stored entity with one id, the latest observation is
 * the entity and every other one is written to the history collection under `<id>-<observed>`; links
 * (EntityDraft.links: host.whois) follow the latest.
 */
import { createHash } from 'node:crypto';
import type { EntityType, Model } from '../model/model.js';
import { mergeByRule } from '../model/merge-values.js';
import type { EntityRecord, EntityRef, WriteRecord } from '../model/records.js';
import { readEntity } from '../odata/deserialize/read-entity.js';
import type { Store } from '../storage/store.js';
import { byKeys } from './queries.js';
import type { EntityDraft } from './types.js';
import { BATCH_BYTES, recordBytes } from './batch-bytes.js';

export interface EntityCounts {
  created: number;
  updated: number;
  unchanged: number;
}

interface Pending {
  draft: EntityDraft;
  position: string;
  writes: WriteRecord[];
  /** The drafted entity's record (the others are references and children). */
  main: EntityRecord;
  observed?: number;
}

const LOOKUP_CHUNK = 2000;

/** Canonical JSON (sorted keys) of a value, for comparing stored and imported values. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined && o[k] !== null)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const refId = (n: EntityRef | EntityRecord | null | undefined): string | null => (n ? (n.kind === 'ref' ? n.id : String(n.values['id'])) : null);

/** `2024-06-18T00:00:00.000Z` → `20240618T000000Z` (a history id suffix: no ':' or '.'). */
export const observedSuffix = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

/**
 * What EntityWriter.written keeps of a record's canonical form: 128 bits of its SHA-256, not the form itself, whose
 * text grows with the record (a CVE record's description: kilobytes) and would hold every record of the run. Two
 * different forms of one id sharing a digest would skip the write of that changed repeat: 1 in 2^128 (about 10^38)
 * per changed repeat.
 */
export const formDigest = (form: string): string => createHash('sha256').update(form).digest('base64url').slice(0, 22);

export class EntityWriter {
  private pending: Pending[] = [];
  /** Records this run wrote, by type name and id: formDigest of their canonical form (a repeat counts once). */
  private readonly written = new Map<string, string>();
  readonly counts = new Map<string, EntityCounts>();
  /** Transactions written. */
  batches = 0;
  /** recordBytes of the pending drafts: at BATCH_BYTES the batch is written, however few they are. */
  private heldBytes = 0;

  constructor(
    private readonly o: {
      readonly store: Store;
      readonly model: Model;
      readonly batchSize: number;
      readonly dry: boolean;
      readonly reject: (reason: string, position: string) => void;
    },
  ) {}

  private count(type: EntityType, what: keyof EntityCounts): void {
    let c = this.counts.get(type.name);
    if (!c) this.counts.set(type.name, (c = { created: 0, updated: 0, unchanged: 0 }));
    c[what]++;
  }

  private typeOfSet(set: string): EntityType | undefined {
    return this.o.model.entitySet(set)?.entityType;
  }

  /** Reads the draft (rejecting it whole when invalid) and queues it. */
  async add(draft: EntityDraft, position: string): Promise<void> {
    const type = this.typeOfSet(draft.set);
    if (!type) return this.o.reject(`no collection ${draft.set}`, position);
    let writes: WriteRecord[];
    let main: EntityRecord;
    try {
      const read = readEntity(this.o.model, type, draft.json, { partial: false });
      main = read.record;
      writes = read.writes.map((w) => {
        if (w.record !== main) return w;
        if (draft.onlyIfAbsent) return { ...w, ifAbsent: true };
        if (!draft.parent) return w;
        const navigation = this.typeOfSet(draft.parent.set)?.navigation(draft.parent.navigation);
        if (!navigation) throw new Error(`no navigation ${draft.parent.navigation} of ${draft.parent.set}`);
        return { ...w, parent: { navigation, key: draft.parent.id } };
      });
      for (const l of draft.links ?? []) {
        const lt = this.typeOfSet(l.set);
        if (!lt) throw new Error(`no collection ${l.set}`);
        readEntity(this.o.model, lt, l.json, { partial: true });
      }
    } catch (e) {
      return this.o.reject(`invalid ${type.name}: ${(e as Error).message}`, position);
    }
    if (this.o.dry) return;
    this.pending.push({ draft, position, writes, main, ...(draft.snapshot ? { observed: draft.snapshot.observed } : {}) });
    this.heldBytes += recordBytes(position, writes);
    if (this.pending.length >= this.o.batchSize || this.heldBytes >= BATCH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.heldBytes = 0;
    if (batch.length === 0) return;
    const writes: WriteRecord[] = [];
    await this.resolveSnapshots(batch, writes);
    for (const p of batch) writes.push(...p.writes);
    // Later records of the same id win (merged by the model's rules); references only when nothing else writes them.
    const byId = new Map<string, WriteRecord>();
    for (const w of writes) {
      const k = `${w.record.type.name}|${String(w.record.values['id'])}`;
      const cur = byId.get(k);
      if (cur && w.ifAbsent) continue;
      byId.set(k, cur && !cur.ifAbsent ? { ...w, record: this.merged(w.record, cur.record) } : w);
    }
    const stored = await this.existing([...byId.values()].map((w) => w.record));
    const mains = new Set(batch.map((p) => p.main));
    const out: WriteRecord[] = [];
    for (const [k, w] of byId) {
      const ex = stored.get(k);
      if (w.ifAbsent) {
        if (ex || this.written.has(k)) {
          // A drafted entity written only when absent counts as unchanged; a reference (a host) is not counted.
          if (!this.written.has(k) && mains.has(w.record)) this.count(w.record.type, 'unchanged');
          continue;
        }
        this.written.set(k, '');
        this.count(w.record.type, 'created');
        out.push(w);
        continue;
      }
      const record = ex ? this.merged(w.record, ex) : w.record;
      const form = this.form(record, w.parent?.key);
      const digest = formDigest(form);
      const before = this.written.get(k);
      this.written.set(k, digest);
      if (before === digest) continue; // a repeat within the run, already counted and written
      if (before === undefined) {
        if (!ex) this.count(record.type, 'created');
        else if (this.form(ex, ex.listedBy?.key) === form) {
          this.count(record.type, 'unchanged');
          continue;
        } else this.count(record.type, 'updated');
      }
      out.push({ ...w, record });
    }
    if (out.length === 0) return;
    await this.o.store.write(out, { merge: true });
    this.batches++;
  }

  /** The comparable form of a record: its values, the ids its navigations point at, the parent listing it. */
  private form(r: EntityRecord, parent: string | undefined): string {
    const navs: Record<string, string | null> = {};
    for (const n of r.type.navigationProperties) if (!n.collection) navs[n.name] = refId(r.navigations[n.name]);
    return canonical({ t: r.type.name, v: r.values, n: navs, p: parent ?? null });
  }

  /** `r` merged into `base` by the model's merge rules (every other property: r's value). */
  private merged(r: EntityRecord, base: EntityRecord): EntityRecord {
    const values: Record<string, unknown> = { ...r.values };
    for (const p of r.type.properties) {
      if (p.mergeRule && p.name in base.values) values[p.name] = mergeByRule(p.mergeRule, values[p.name] as number | null, base.values[p.name] as number | null);
    }
    const navigations = { ...r.navigations };
    for (const n of r.type.navigationProperties) if (!n.collection && navigations[n.name] === undefined && base.navigations[n.name]) navigations[n.name] = base.navigations[n.name]!;
    return { ...r, values, navigations };
  }

  /** Stored records of `records`' ids, by `type name|id` (looked up per table root). */
  private async existing(records: readonly EntityRecord[]): Promise<Map<string, EntityRecord>> {
    const byType = new Map<EntityType, string[]>();
    for (const r of records) {
      const list = byType.get(r.type) ?? [];
      list.push(String(r.values['id']));
      byType.set(r.type, list);
    }
    const found = new Map<string, EntityRecord>();
    // What the run's indicator batches staged (write-batch.ts "Staged"), an entity's hosts among it, is read too.
    if (byType.size > 0) await this.o.store.mergeStaged();
    for (const [type, ids] of byType) {
      for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
        for (const r of (await this.o.store.findMany(byKeys(type, ids.slice(i, i + LOOKUP_CHUNK)))).records) found.set(`${r.type.name}|${String(r.values['id'])}`, r);
      }
    }
    return found;
  }

  /**
   * Snapshots: per id, the latest observation (stored or in the batch) stays the entity; the others are
   * rewritten as history records. Links are added for the entity that is current.
   */
  private async resolveSnapshots(batch: Pending[], writes: WriteRecord[]): Promise<void> {
    const snaps = batch.filter((p) => p.observed !== undefined);
    const mains = new Map<string, EntityRecord>();
    for (const p of snaps) mains.set(String(p.main.values['id']), p.main);
    const stored = await this.existing([...mains.values()]);
    const current = new Map<string, { record: EntityRecord; observed: number; pending?: Pending }>();
    for (const [k, r] of stored) {
      const observed = this.observedOf(r);
      if (observed !== undefined) current.set(k, { record: r, observed });
    }
    for (const p of snaps) {
      const main = p.main;
      const k = `${main.type.name}|${String(main.values['id'])}`;
      const cur = current.get(k);
      if (!cur || p.observed! >= cur.observed) {
        if (cur && p.observed! > cur.observed) {
          if (cur.pending) cur.pending.writes = this.asHistory(cur.pending, cur.record, cur.observed);
          else writes.push(...this.asHistory(p, cur.record, cur.observed));
        }
        current.set(k, { record: main, observed: p.observed!, pending: p });
      } else p.writes = this.asHistory(p, main, p.observed!);
    }
    // Links follow the current snapshot (and non-snapshot drafts always).
    const currentPending = new Set([...current.values()].map((c) => c.pending));
    for (const p of batch) {
      if (p.observed !== undefined && !currentPending.has(p)) continue;
      for (const l of p.draft.links ?? []) writes.push(...(await this.linkWrites(l, p)));
    }
  }

  private observedOf(r: EntityRecord): number | undefined {
    const v = r.values[this.observedProperty(r.type)];
    return typeof v === 'number' ? v : undefined;
  }

  /** The property that records a snapshot's observation time: the type's last-seen time (merge rule 'max' or named so). */
  private observedProperty(type: EntityType): string {
    const p = type.properties.find((x) => x.mergeRule === 'max') ?? type.properties.find((x) => /^last.*seen/i.test(x.name));
    return p?.name ?? '';
  }

  /** A snapshot's writes with its entity turned into a history record `<id>-<observed>` (references kept). */
  private asHistory(p: Pending, record: EntityRecord, observed: number): WriteRecord[] {
    const historyType = this.typeOfSet(p.draft.snapshot!.historySet)!;
    const values: Record<string, unknown> = {};
    for (const prop of historyType.properties) values[prop.name] = record.values[prop.name] ?? (prop.collection ? [] : null);
    values['id'] = `${String(record.values['id'])}-${observedSuffix(observed)}`;
    const navigations: Record<string, EntityRef | EntityRecord | null> = {};
    for (const n of historyType.navigationProperties) if (!n.collection && record.navigations[n.name] !== undefined) navigations[n.name] = record.navigations[n.name]!;
    const refs = p.writes.filter((w) => w.ifAbsent);
    return [...refs, { record: { kind: 'record', type: historyType, values, navigations } }];
  }

  /** Writes pointing the linked entity's navigation at the draft's entity, keeping its other values. */
  private async linkWrites(l: NonNullable<EntityDraft['links']>[number], p: Pending): Promise<WriteRecord[]> {
    const main = p.main;
    const target = readEntity(this.o.model, this.typeOfSet(l.set)!, l.json, { partial: true }).record;
    const ex = (await this.existing([target])).get(`${target.type.name}|${String(target.values['id'])}`);
    const base: EntityRecord = ex ?? { ...target, values: Object.fromEntries(target.type.properties.map((x) => [x.name, target.values[x.name] ?? (x.collection ? [] : null)])) };
    if (refId(base.navigations[l.navigation]) === main.values['id']) return [];
    const ref: EntityRef = { kind: 'ref', type: main.type, id: String(main.values['id']) };
    return [{ record: { ...base, navigations: { ...base.navigations, [l.navigation]: ref } }, ...(ex?.listedBy ? { parent: ex.listedBy } : {}) }];
  }
}
