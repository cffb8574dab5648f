/**
 * What the STIX exporters share (export-stix.ts for profiles and indicators, export-reports.ts for articles and
 * vulnerabilities): the source identities' ids, STIX patterns of artifacts, Graph JSON of records, keyset paging.
 */
import { isIP } from 'node:net';
import type { EntityType, NavigationProperty } from '../model/model.js';
import type { CollectionQuery, SortValue } from '../odata/plan/query-plan.js';
import { writeEntity, type Json, type WriteOptions } from '../odata/serialize/write-entity.js';
import type { EntityRecord } from '../model/records.js';
import type { Store } from '../storage/store.js';
import { keyAccess } from '../import/queries.js';
import { stixId } from './stix-ids.js';
import { ARTIFACT, HOSTNAME, IP_ADDRESS, UNCLASSIFIED_ARTIFACT, URL_ARTIFACT_KIND } from '../model/names.js';

export type StixObject = Record<string, unknown>;

export const IDENTITY_TIME = '2020-01-01T00:00:00.000Z';
export const identityId = (source: string): string => stixId('identity', `source|${source}`);

/** A STIX string literal (STIX patterning: `'` and `\` escaped with a backslash). */
const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The STIX pattern of an artifact, or a reason why it has none. */
export function patternOf(artifact: Record<string, Json>): { pattern: string; value: string } | { skip: string } {
  const type = String(artifact['@odata.type'] ?? '');
  const id = String(artifact[ARTIFACT.p.id] ?? '');
  if (type === HOSTNAME.annotation) return { pattern: `[domain-name:value = ${quote(id)}]`, value: id };
  if (type === IP_ADDRESS.annotation) {
    const family = isIP(id);
    if (family === 0) return { skip: `${IP_ADDRESS.name} id is not an IP address` };
    return { pattern: `[ipv${family}-addr:value = ${quote(id)}]`, value: id };
  }
  if (type === UNCLASSIFIED_ARTIFACT.annotation) {
    const value = artifact[UNCLASSIFIED_ARTIFACT.p.value];
    const kind = artifact[UNCLASSIFIED_ARTIFACT.p.kind];
    if (kind !== URL_ARTIFACT_KIND || typeof value !== 'string') return { skip: `${UNCLASSIFIED_ARTIFACT.name} of kind ${String(kind)} has no STIX pattern` };
    return { pattern: `[url:value = ${quote(value)}]`, value };
  }
  return { skip: `${type.slice(type.lastIndexOf('.') + 1)} artifact has no STIX pattern` };
}

/** Structural properties only (no navigation references), as Graph JSON. */
export function structural(record: EntityRecord, o: WriteOptions): Record<string, Json> {
  return writeEntity({ ...record, navigations: {} }, undefined, [], o);
}

export class Pager {
  constructor(
    private readonly store: Store,
    private readonly pageSize: number,
  ) {}

  async *all(type: EntityType, parent: CollectionQuery['parent'], expand: readonly NavigationProperty[] = []): AsyncGenerator<EntityRecord> {
    let after: readonly SortValue[] | undefined;
    for (;;) {
      const page = await this.store.findMany({
        kind: 'collection',
        type,
        parent,
        filter: undefined,
        search: undefined,
        orderBy: [{ expression: keyAccess(type), direction: 'asc' }],
        after,
        skip: 0,
        limit: this.pageSize,
        expand,
      });
      yield* page.records;
      if (page.records.length < this.pageSize) return;
      after = page.sortKeys[page.sortKeys.length - 1];
    }
  }
}

