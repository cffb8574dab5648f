/**
 * A collection's STIX objects in ingestion order, one page at a time. Each stored row (a profile, an indicator)
 * expands to a group of objects through the exporter's mapping (src/export/export-stix.ts); the source
 * identities form a first group stamped at the epoch. The `next` cursor is the keyset position (stamp, part,
 * key) of the first row not fully served plus how many of its objects were, so each page is one bounded keyset
 * query whatever its depth. `match[type]` drops parts in SQL that can hold no such type; `match[id]`,
 * `match[type]` and `match[version]` are then applied to the objects of the fetched rows.
 */
import { errors } from '../errors/catalog.js';
import { indicatorToStix, profileSdoId, profileToStix, sourceIdentities, type StixObject } from '../export/export-stix.js';
import type { Model } from '../model/model.js';
import type { EntityRecord } from '../model/records.js';
import { createEnumSpelling } from '../odata/serialize/enum-spelling.js';
import type { WriteOptions } from '../odata/serialize/write-entity.js';
import type { IngestPart, Store } from '../storage/store.js';
import { collectionTypes, type TaxiiCollection } from './taxii-collections.js';

export interface ObjectFilters {
  readonly addedAfter: number | undefined;
  readonly ids: readonly string[] | undefined;
  readonly types: readonly string[] | undefined;
  /** 'first' | 'last' | 'all' | a STIX timestamp; each object has one version. */
  readonly versions: readonly string[] | undefined;
  readonly specVersions: readonly string[] | undefined;
}

export interface ServedObject {
  readonly object: StixObject;
  /** Ingestion stamp, µs. */
  readonly added: number;
}

export interface ObjectPage {
  readonly objects: readonly ServedObject[];
  readonly next: string | undefined;
}

interface Cursor {
  readonly added: number;
  readonly part: number;
  readonly key: string;
  /** Objects of that row already served; -1 = all of them. */
  readonly served: number;
}

const PROFILE_TYPES = ['intrusion-set', 'tool', 'location', 'relationship'];
const INDICATOR_TYPES = ['indicator', 'relationship'];
/** Row fetches per page when rows map to no object (artifacts STIX has no pattern for) or filters drop them. */
const MAX_FETCHES = 8;

const OPTIONS: WriteOptions = { enums: createEnumSpelling('csdl'), includeUnknownEnumMembers: false };

export function encodeCursor(c: Cursor, fingerprint: string): string {
  return Buffer.from(JSON.stringify([c.added, c.part, c.key, c.served, fingerprint])).toString('base64url');
}

function decodeCursor(text: string, fingerprint: string): Cursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw errors.taxiiBadParameter('next', 'not a cursor this server issued');
  }
  if (!Array.isArray(v) || v.length !== 5 || typeof v[0] !== 'number' || typeof v[1] !== 'number' || typeof v[2] !== 'string' || typeof v[3] !== 'number')
    throw errors.taxiiBadParameter('next', 'not a cursor this server issued');
  if (v[4] !== fingerprint) throw errors.taxiiBadParameter('next', 'the cursor was issued for other filter parameters');
  return { added: v[0], part: v[1], key: v[2], served: v[3] };
}

function matches(o: StixObject, f: ObjectFilters): boolean {
  if (f.ids && !f.ids.includes(String(o['id']))) return false;
  if (f.types && !f.types.includes(String(o['type']))) return false;
  if (f.specVersions && !f.specVersions.includes('2.1')) return false;
  if (f.versions && !f.versions.some((v) => v === 'first' || v === 'last' || v === 'all' || v === o['modified'])) return false;
  return true;
}

export class ObjectLister {
  constructor(
    private readonly store: Store,
    private readonly model: Model,
  ) {}

  /** A page of at most `limit` objects from `cursorText` (undefined = the start). */
  async page(c: TaxiiCollection, f: ObjectFilters, limit: number, cursorText: string | undefined, fingerprint: string): Promise<ObjectPage> {
    const t = collectionTypes(this.model);
    const keep = (types: readonly string[]): boolean => !f.types || f.types.some((x) => types.includes(x));
    const parts: (IngestPart | undefined)[] = c.parts.map((p) => (keep(p.type === t.profile ? PROFILE_TYPES : INDICATOR_TYPES) ? p : undefined));
    const live = parts.map((p, i) => ({ p, i })).filter((x): x is { p: IngestPart; i: number } => x.p !== undefined);
    let cursor = cursorText === undefined ? undefined : decodeCursor(cursorText, fingerprint);
    const out: ServedObject[] = [];
    const profileRefs = new Map<string, string>();

    // The identities (stamped at the epoch, part -1).
    if ((!cursor || cursor.part === -1) && f.addedAfter === undefined && keep(['identity'])) {
      const done = cursor?.served ?? 0;
      for (const o of sourceIdentities(c.identitySource).filter((o) => matches(o, f)).slice(done)) out.push({ object: o, added: 0 });
      if (out.length > limit) return { objects: out.slice(0, limit), next: encodeCursor({ added: 0, part: -1, key: '', served: done + limit }, fingerprint) };
    }
    if (cursor?.part === -1) cursor = undefined;
    if (live.length === 0) return { objects: out, next: undefined };

    for (let fetch = 0; fetch < MAX_FETCHES; fetch++) {
      const want = limit - out.length + 1;
      const rows = await this.store.listByIngestion({
        parts: live.map((x) => x.p),
        ...(f.addedAfter !== undefined ? { addedAfter: f.addedAfter } : {}),
        // The row partly served comes again (position just before it); a fully served one does not.
        ...(cursor && cursor.part >= 0 ? { after: { added: cursor.added, part: live.findIndex((x) => x.i === cursor!.part), key: cursor.key, inclusive: cursor.served >= 0 } } : {}),
        limit: want,
      });
      for (const row of rows) {
        const partIndex = live[row.part]!.i;
        const objects = await this.objectsOf(row.record, live[row.part]!.p.type === t.profile, profileRefs);
        const skip = cursor && cursor.part === partIndex && cursor.key === String(row.record.values[row.record.type.key.name]) && cursor.added === row.added && cursor.served >= 0 ? cursor.served : 0;
        const key = String(row.record.values[row.record.type.key.name]);
        for (let k = skip; k < objects.length; k++) {
          if (!matches(objects[k]!, f)) continue;
          if (out.length === limit) return { objects: out, next: encodeCursor({ added: row.added, part: partIndex, key, served: k }, fingerprint) };
          out.push({ object: objects[k]!, added: row.added });
        }
        cursor = { added: row.added, part: partIndex, key, served: -1 };
      }
      if (rows.length < want) return { objects: out, next: undefined };
    }
    // Many rows without objects: hand back what there is; the client continues from the last row read.
    return { objects: out, next: cursor ? encodeCursor(cursor, fingerprint) : undefined };
  }

  private async objectsOf(r: EntityRecord, isProfile: boolean, profileRefs: Map<string, string>): Promise<StixObject[]> {
    if (isProfile) {
      const { sdo, origins } = profileToStix(r, OPTIONS, String(r.values[r.type.key.name]));
      return [sdo, ...origins.flatMap((x) => [x.location, x.relationship])];
    }
    const profileId = r.listedBy?.key;
    let ref: string | undefined;
    if (profileId !== undefined) {
      ref = profileRefs.get(profileId);
      if (!ref) {
        const t = collectionTypes(this.model);
        const p = await this.store.findOne({ kind: 'entity', type: t.profile, key: profileId, parent: undefined, expand: [] });
        ref = p ? profileSdoId(p, OPTIONS) : undefined;
        if (ref) profileRefs.set(profileId, ref);
      }
    }
    const x = indicatorToStix(r, OPTIONS, ref);
    if ('skip' in x) return [];
    return x.relationship ? [x.indicator, x.relationship] : [x.indicator];
  }
}
