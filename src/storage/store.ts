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
