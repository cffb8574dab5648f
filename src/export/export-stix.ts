/**
 * The store (or one profile) as a STIX 2.1 bundle, streamed: profiles and indicators are read page by page
 * (keyset paging through store.findMany, `pageSize` per query) and the bundle is produced as text chunks, one
 * STIX object per line, so memory stays flat whatever the store holds (only the ids of the location objects
 * already written are remembered; there is one per distinct country).
 *
 * Mapping (the inverse of src/import/readers/stix.ts):
 * - three `identity` objects, one per indicator source (microsoft, osint, public), with `x_tigraph_source`;
 * - profile kind actor → `intrusion-set`, kind tool → `tool`: title → name, aliases, description.content →
 *   description, firstActiveDateTime → first_seen (intrusion-set; `x_tigraph_first_active` on tools, which
 *   have no first_seen in STIX), and per origin a `location` (country = code, name = label) with an
 *   `originates-from` relationship;
 * - indicator → `indicator` with pattern `[domain-name:value = '…']` (hostname), `[ipv4-addr:value = '…']` /
 *   `[ipv6-addr:value = '…']` (ipAddress), `[url:value = '…']` (unclassifiedArtifact of kind url), valid_from =
 *   created = modified = firstSeenDateTime, x_first_seen / x_last_seen (omitted when null), created_by_ref = the
 *   identity of its source, and an `indicates` relationship to its profile. Other artifact types have no STIX
 *   comparison tigraph imports; such indicators are left out and counted in the summary;
 * - a whole-store export (no `profile`) ends with the vulnerabilities and the articles (reports with their article
 *   indicators), export-reports.ts. Host enrichment (whois, passive DNS, certificates, ports, reputation,
 *   components, cookies, trackers, subdomains, host pairs) is not exported: STIX has no place for it that the
 *   importer reads back (README, Export).
 *
 * What STIX cannot say is carried in custom properties (STIX 2.1 §11.1, `x_` prefix), so that export → import
 * into an empty store reproduces every API response exactly: `x_tigraph_id` (profile and indicator ids),
 * `x_tigraph_profile` (the indicator's profile id), `x_tigraph_summary` / `x_tigraph_description` /
 * `x_tigraph_tradecraft` (formattedContent with its format), `x_tigraph_targets`, `x_tigraph_country` (the
 * exact origin code), `x_tigraph_artifact` (the artifact's Graph JSON: registrar, autonomousSystem, netblock…).
 *
 * Ids are deterministic (stix-ids.ts: uuidv5 of our ids) and timestamps come from the data, never from the
 * clock, so exporting the same store twice gives identical bytes.
 */
import type { Model } from '../model/model.js';
import { createEnumSpelling } from '../odata/serialize/enum-spelling.js';
import type { WriteOptions } from '../odata/serialize/write-entity.js';
import type { EntityRecord } from '../model/records.js';
import type { Store } from '../storage/store.js';
import { stixId } from './stix-ids.js';
import { IDENTITY_TIME, identityId, Pager, patternOf, structural, type StixObject } from './stix-common.js';
import { reportObjects } from './export-reports.js';
import { INDICATOR, INDICATOR_SOURCE, PROFILE, PROFILE_KIND, SETS } from '../model/names.js';

export { patternOf, type StixObject };

export interface StixExportOptions {
  readonly store: Store;
  readonly model: Model;
  /** Only this profile (id, else title or alias, case-insensitive) and its indicators. */
  readonly profile?: string;
  /** Records per store query (default 1000). */
  readonly pageSize?: number;
}

export interface StixExportSummary {
  profiles: number;
  indicators: number;
  relationships: number;
  locations: number;
  /** Articles (STIX reports), their article indicators (STIX indicators) and vulnerabilities (export-reports.ts). */
  articles: number;
  articleIndicators: number;
  vulnerabilities: number;
  /** reason → count (indicators and article indicators left out). */
  skipped: Map<string, number>;
}

/** The identities that stand for indicator sources; their objects are always written. */
export const SOURCE_IDENTITIES: readonly { readonly source: string; readonly name: string; readonly identityClass: string }[] = [
  { source: INDICATOR_SOURCE.m.microsoft, name: 'Microsoft', identityClass: 'organization' },
  { source: INDICATOR_SOURCE.m.osint, name: 'OSINT (open-source intelligence)', identityClass: 'class' },
  { source: INDICATOR_SOURCE.m.public, name: 'Public', identityClass: 'class' },
];

const lc = (s: string): string => s.trim().toLowerCase();

/** Resolves --profile: an id, else a title or alias (case-insensitive). Undefined when none matches. */
export async function findProfile(store: Store, model: Model, wanted: string): Promise<EntityRecord | undefined> {
  const type = model.entitySet(SETS.intelProfiles)!.entityType;
  const byId = await store.findOne({ kind: 'entity', type, key: wanted, parent: undefined, expand: [] });
  if (byId) return byId;
  let alias: EntityRecord | undefined;
  for await (const r of new Pager(store, 1000).all(type, undefined)) {
    const title = r.values[PROFILE.p.title];
    if (typeof title === 'string' && lc(title) === lc(wanted)) return r;
    const listed = r.values[PROFILE.p.aliases];
    const aliases = Array.isArray(listed) ? (listed as unknown[]) : [];
    if (!alias && aliases.some((a) => typeof a === 'string' && lc(a) === lc(wanted))) alias = r;
  }
  return alias;
}

export class ProfileNotFoundError extends Error {}

/**
 * The bundle as text chunks (about 64 KiB each). `summary` is filled as the bundle is produced. Throws
 * ProfileNotFoundError (before yielding anything) when `profile` matches nothing.
 */
export async function* exportStix(options: StixExportOptions, summary: StixExportSummary = newExportSummary()): AsyncGenerator<string> {
  const { store, model } = options;
  const pageSize = options.pageSize ?? 1000;
  const pager = new Pager(store, pageSize);
  const profileType = model.entitySet(SETS.intelProfiles)!.entityType;
  const indicatorType = model.entitySet(SETS.intelligenceProfileIndicators)!.entityType;
  const indicatorsNav = profileType.navigation(PROFILE.n.indicators)!;
  const artifactNav = indicatorType.navigation(INDICATOR.n.artifact)!;
  const o: WriteOptions = { enums: createEnumSpelling('csdl'), includeUnknownEnumMembers: false };

  let only: EntityRecord | undefined;
  if (options.profile !== undefined) {
    only = await findProfile(store, model, options.profile);
    if (!only) throw new ProfileNotFoundError(`no profile with id, title or alias '${options.profile}'`);
  }
  const onlyId = only ? (only.values[PROFILE.p.id] as string) : undefined;

  let buffer = `{"type":"bundle","id":${JSON.stringify(stixId('bundle', onlyId === undefined ? 'store' : `profile|${onlyId}`))},"objects":[`;
  let first = true;
  const push = (obj: Record<string, unknown>): void => {
    buffer += (first ? '\n' : ',\n') + JSON.stringify(obj);
    first = false;
  };
  const CHUNK = 1 << 16;

  for (const identity of sourceIdentities()) push(identity);

  // Profiles, their locations and originates-from relationships.
  const locations = new Set<string>();
  /** Profile id → its SDO id (profiles are few: the importer holds them all in memory too). */
  const profileSdos = new Map<string, string>();
  const profiles: AsyncIterable<EntityRecord> = only ? (async function* () { yield only!; })() : pager.all(profileType, undefined);
  for await (const r of profiles) {
    const { id, sdoId, sdo, origins } = profileToStix(r, o);
    profileSdos.set(id, sdoId);
    push(sdo);
    summary.profiles++;
    for (const { location, relationship } of origins) {
      if (!locations.has(location.id as string)) {
        locations.add(location.id as string);
        push(location);
        summary.locations++;
      }
      push(relationship);
      summary.relationships++;
    }
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = '';
    }
  }

  // Indicators with their indicates relationships.
  const parent = onlyId !== undefined ? { navigation: indicatorsNav, key: onlyId } : undefined;
  for await (const r of pager.all(indicatorType, parent, [artifactNav])) {
    const profileId = r.listedBy?.key;
    const out = indicatorToStix(r, o, profileId === undefined ? undefined : (profileSdos.get(profileId) ?? stixId('intrusion-set', profileId)));
    if ('skip' in out) {
      summary.skipped.set(out.skip, (summary.skipped.get(out.skip) ?? 0) + 1);
      continue;
    }
    push(out.indicator);
    summary.indicators++;
    if (out.relationship) {
      push(out.relationship);
      summary.relationships++;
    }
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = '';
    }
  }
  // The whole store only: vulnerabilities, then each article's indicators and its report.
  if (onlyId === undefined) {
    for await (const obj of reportObjects({ model, pager, o }, summary)) {
      push(obj);
      if (buffer.length >= CHUNK) {
        yield buffer;
        buffer = '';
      }
    }
  }
  buffer += '\n]}\n';
  yield buffer;
}

/** The identity objects of the indicator sources (all, or one source's). */
export function sourceIdentities(only?: string): StixObject[] {
  return SOURCE_IDENTITIES.filter((s) => only === undefined || s.source === only).map((s) => ({
    type: 'identity', spec_version: '2.1', id: identityId(s.source), created: IDENTITY_TIME, modified: IDENTITY_TIME, name: s.name, identity_class: s.identityClass, x_tigraph_source: s.source,
  }));
}

/** The STIX id of a profile's SDO (intrusion-set for actors, tool for tools). */
export const profileSdoId = (profile: EntityRecord, o: WriteOptions): string => {
  const p = structural(profile, o);
  return stixId(p[PROFILE.p.kind] === PROFILE_KIND.m.tool ? 'tool' : 'intrusion-set', String(p[PROFILE.p.id]));
};

/**
 * One profile as STIX: its SDO and, per origin, a `location` and an `originates-from` relationship. With
 * `locationScope`, location ids are derived from (scope, origin) instead of the origin alone.
 */
export function profileToStix(r: EntityRecord, o: WriteOptions, locationScope?: string): { id: string; sdoId: string; sdo: StixObject; origins: { location: StixObject; relationship: StixObject }[] } {
  const p = structural(r, o);
  const id = String(p[PROFILE.p.id]);
  const kind = p[PROFILE.p.kind] === PROFILE_KIND.m.tool ? 'tool' : 'intrusion-set';
  const sdoId = stixId(kind, id);
  const active = p[PROFILE.p.firstActiveDateTime];
  const firstActive = typeof active === 'string' ? active : IDENTITY_TIME;
  const description = p[PROFILE.p.description] as { content?: string | null } | null;
  const listed = p[PROFILE.p.aliases];
  const aliases = Array.isArray(listed) ? listed : [];
  const sdo: StixObject = {
    type: kind,
    spec_version: '2.1',
    id: sdoId,
    created: firstActive,
    modified: firstActive,
    name: p[PROFILE.p.title],
    ...(description?.content ? { description: description.content } : {}),
    ...(aliases.length ? { aliases } : {}),
    ...(kind === 'intrusion-set' ? { first_seen: firstActive } : { x_tigraph_first_active: firstActive }),
    x_tigraph_id: id,
    x_tigraph_summary: p[PROFILE.p.summary] ?? null,
    x_tigraph_description: p[PROFILE.p.description] ?? null,
    x_tigraph_tradecraft: p[PROFILE.p.tradecraft] ?? null,
    x_tigraph_targets: p[PROFILE.p.targets] ?? [],
  };
  const origins = ((Array.isArray(p[PROFILE.p.countriesOrRegionsOfOrigin]) ? p[PROFILE.p.countriesOrRegionsOfOrigin] : []) as { code: string; label: string }[]).map((c) => {
    const key = `${c.code}|${c.label}`;
    const locId = stixId('location', locationScope === undefined ? key : `${locationScope}|${key}`);
    return {
      location: { type: 'location', spec_version: '2.1', id: locId, created: IDENTITY_TIME, modified: IDENTITY_TIME, name: c.label, country: c.code, x_tigraph_country: c.code },
      relationship: {
        type: 'relationship',
        spec_version: '2.1',
        id: stixId('relationship', `originates-from|${id}|${key}`),
        created: firstActive,
        modified: firstActive,
        relationship_type: 'originates-from',
        source_ref: sdoId,
        target_ref: locId,
      },
    };
  });
  return { id, sdoId, sdo, origins };
}

/** One indicator (read with its artifact expanded) as STIX, with its `indicates` relationship to `targetRef`. */
export function indicatorToStix(r: EntityRecord, o: WriteOptions, targetRef: string | undefined): { indicator: StixObject; relationship?: StixObject } | { skip: string } {
  const target = r.navigations[INDICATOR.n.artifact];
  if (!target || target.kind !== 'record') return { skip: 'artifact not found' };
  const artifact = structural(target, o);
  const pat = patternOf(artifact);
  if ('skip' in pat) return pat;
  const v = structural(r, o);
  const id = String(v[INDICATOR.p.id]);
  const firstSeen = String(v[INDICATOR.p.firstSeenDateTime]);
  const lastSeen = v[INDICATOR.p.lastSeenDateTime];
  const profileId = r.listedBy?.key;
  const indicatorSdo = stixId('indicator', id);
  const indicator: StixObject = {
    type: 'indicator',
    spec_version: '2.1',
    id: indicatorSdo,
    created: firstSeen,
    modified: firstSeen,
    name: pat.value,
    pattern: pat.pattern,
    pattern_type: 'stix',
    valid_from: firstSeen,
    created_by_ref: identityId(String(v[INDICATOR.p.source])),
    x_first_seen: firstSeen,
    ...(typeof lastSeen === 'string' ? { x_last_seen: lastSeen } : {}),
    x_tigraph_id: id,
    x_tigraph_profile: profileId ?? '',
    x_tigraph_artifact: artifact,
  };
  if (profileId === undefined || targetRef === undefined) return { indicator };
  return {
    indicator,
    relationship: {
      type: 'relationship',
      spec_version: '2.1',
      id: stixId('relationship', `indicates|${id}`),
      created: firstSeen,
      modified: firstSeen,
      relationship_type: 'indicates',
      source_ref: indicatorSdo,
      target_ref: targetRef,
    },
  };
}

export function newExportSummary(): StixExportSummary {
  return { profiles: 0, indicators: 0, relationships: 0, locations: 0, articles: 0, articleIndicators: 0, vulnerabilities: 0, skipped: new Map() };
}
