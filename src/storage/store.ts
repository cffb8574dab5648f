/**
 * The store interface every backend implements (SQLite, PostgreSQL). It speaks model terms: query plans in,
 * entity records (model/records.ts) out.
 */
import type { EntityType, NavigationProperty } from '../model/model.js';
import type { EntityRecord, WriteRecord } from '../model/records.js';
import type { CollectionQuery, CountQuery, EntityQuery, SortValue } from '../odata/plan/query-plan.js';

export interface Page {
  readonly records: readonly EntityRecord[];
  /** Sort values of each record, in orderBy order (for the keyset $skiptoken). */
  readonly sortKeys: readonly (readonly SortValue[])[];
}

/** One table in an ingestion-order listing, with optional equality conditions. */
export interface IngestPart {
  readonly type: EntityType;
  readonly key?: string;
  /** Only rows listed by this parent (a profile's indicators). */
  readonly parentKey?: { readonly navigation: NavigationProperty; readonly key: string };
  /** Only rows whose property has this storage-form value. */
  readonly equals?: { readonly property: string; readonly value: string | number };
  readonly expand: readonly NavigationProperty[];
}

export interface IngestQuery {
  readonly parts: readonly IngestPart[];
  /** Stamps (µs since the epoch) strictly after this. */
  readonly addedAfter?: number;
  /** Stamps at or before this. */
  readonly addedUntil?: number;
  /** Keyset position: rows after (added, part index, key); with `inclusive`, that row too. */
  readonly after?: { readonly added: number; readonly part: number; readonly key: string; readonly inclusive?: boolean };
  readonly limit: number;
}

export interface IngestRow {
  readonly part: number;
  /** The server-side ingestion time, µs since the epoch. */
  readonly added: number;
  readonly record: EntityRecord;
}

export interface WriteOptions {
  readonly merge?: boolean;
}

export interface StoreHealth {
  readonly ok: boolean;
  readonly store: string;
  readonly detail: string;
}

export interface Store {
  readonly kind: string;
  findMany(query: CollectionQuery): Promise<Page>;
  findOne(query: EntityQuery): Promise<EntityRecord | undefined>;
  count(query: CountQuery): Promise<number>;
  /** Rows of several tables in ingestion order (src/storage/sql/ingest-time.ts), keyset-paged in SQL. */
  listByIngestion(query: IngestQuery): Promise<IngestRow[]>;
  /**
   * Inserts or replaces the records (targets of single navigations first), in one transaction: all or nothing.
   * With `merge`, existing rows keep the earliest/latest values the model's MERGE_RULES name.
   */
  write(records: readonly WriteRecord[], options?: WriteOptions): Promise<void>;
  /**
   * Deletes the entity of `type` (or a subtype) with `key`, and the entities its collection navigations list
   * (a profile's indicators), in one transaction. False when there was none.
   */
  remove(type: EntityType, key: string): Promise<boolean>;
  /** True when no entity of any stored type exists. */
  isEmpty(): Promise<boolean>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export type { NavigationProperty };
