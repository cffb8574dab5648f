/**
 * The TAXII collections tigraph serves and what each holds, as ingestion-listing parts (src/storage/store.ts):
 * `all` (every profile and indicator), one per indicator source (`microsoft`, `osint`, `public`: that source's
 * indicators and its identity) and one per intelligence profile (id = uuidv5 of the profile id; the profile and
 * its indicators).
 */
import type { EntityType, Model, NavigationProperty } from '../model/model.js';
import { INDICATOR, INDICATOR_SOURCE, PROFILE, SETS } from '../model/names.js';
import type { EntityRecord } from '../model/records.js';
import type { IngestPart, Store } from '../storage/store.js';
import { TIGRAPH_NAMESPACE, uuidv5 } from '../export/stix-ids.js';
import { keyAccess } from '../import/queries.js';

export interface TaxiiCollection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Parts: index 0 profiles (or none), index 1 indicators. */
  readonly parts: readonly IngestPart[];
  /** Which source identities the collection includes (undefined = all). */
  readonly identitySource: string | undefined;
  /** The profile a profile collection belongs to (a POST there attaches indicators to it). */
  readonly profile?: EntityRecord;
}

export interface CollectionTypes {
  readonly profile: EntityType;
  readonly indicator: EntityType;
  readonly indicatorsNav: NavigationProperty;
  readonly artifactNav: NavigationProperty;
}

export function collectionTypes(model: Model): CollectionTypes {
  const profile = model.entitySet(SETS.intelProfiles)!.entityType;
  const indicator = model.entitySet(SETS.intelligenceProfileIndicators)!.entityType;
  return { profile, indicator, indicatorsNav: profile.navigation(PROFILE.n.indicators)!, artifactNav: indicator.navigation(INDICATOR.n.artifact)! };
}

export const SOURCE_COLLECTIONS = [INDICATOR_SOURCE.m.microsoft, INDICATOR_SOURCE.m.osint, INDICATOR_SOURCE.m.public] as const;

export const profileCollectionId = (profileId: string): string => uuidv5(`collection|${profileId}`, TIGRAPH_NAMESPACE);

/** Profiles are few (hundreds); at most this many are offered as collections. */
const MAX_PROFILE_COLLECTIONS = 10_000;

export async function listCollections(store: Store, model: Model): Promise<TaxiiCollection[]> {
  const t = collectionTypes(model);
  const sourceEnum = t.indicator.property(INDICATOR.p.source)!.type as unknown as { memberByName(n: string): { value: number } | undefined };
  const out: TaxiiCollection[] = [
    { id: 'all', title: 'All intelligence', description: 'Every intelligence profile and indicator tigraph holds.', identitySource: undefined, parts: [{ type: t.profile, expand: [] }, { type: t.indicator, expand: [t.artifactNav] }] },
  ];
  for (const s of SOURCE_COLLECTIONS) {
    out.push({
      id: s,
      title: `Indicators from source ${s}`,
      description: `Indicators whose ${INDICATOR.p.source} is ${s}.`,
      identitySource: s,
      parts: [{ type: t.indicator, equals: { property: INDICATOR.p.source, value: sourceEnum.memberByName(s)!.value }, expand: [t.artifactNav] }],
    });
  }
  const page = await store.findMany({ kind: 'collection', type: t.profile, parent: undefined, filter: undefined, search: undefined, orderBy: [{ expression: keyAccess(t.profile), direction: 'asc' }], after: undefined, skip: 0, limit: MAX_PROFILE_COLLECTIONS, expand: [] });
  for (const p of page.records) {
    const id = String(p.values[PROFILE.p.id]);
    out.push({
      id: profileCollectionId(id),
      title: String(p.values[PROFILE.p.title]),
      description: `Intelligence profile ${id} and its indicators.`,
      identitySource: undefined,
      profile: p,
      parts: [
        { type: t.profile, key: id, expand: [] },
        { type: t.indicator, parentKey: { navigation: t.indicatorsNav, key: id }, expand: [t.artifactNav] },
      ],
    });
  }
  return out;
}
