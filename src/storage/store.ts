/**
 * The store interface every backend implements (SQLite now, PostgreSQL next). It speaks model terms:
 * query plans in, entity records out. Values in records are in storage form (see schema/derive-schema.ts):
 * DateTimeOffset as epoch ms, enums as member values, complex values as plain objects, collections as arrays.
 */
import type { EntityType, NavigationProperty } from '../model/model.js';
import type { CollectionQuery, CountQuery, EntityQuery, ParentScope, SortValue } from '../odata/plan/query-plan.js';

export interface EntityRef {
  readonly kind: 'ref';
  readonly type: EntityType;
  readonly id: string;
}

export interface EntityRecord {
  readonly kind: 'record';
  /** The concrete type. */
  readonly type: EntityType;
  readonly values: Readonly<Record<string, unknown>>;
  /** Single-valued navigations: a reference, or the full record when expanded. */
  readonly navigations: Readonly<Record<string, EntityRef | EntityRecord | null>>;
  /** The collection navigation that lists this entity, when stored with one (an indicator's profile). */
  readonly listedBy?: ParentScope;
}

export interface Page {
  readonly records: readonly EntityRecord[];
  /** Sort values of each record, in orderBy order (for the keyset $skiptoken). */
  readonly sortKeys: readonly (readonly SortValue[])[];
}

export interface WriteRecord {
  readonly record: EntityRecord;
  /** Collection navigation that lists this entity (an indicator's profile). */
  readonly parent?: ParentScope;
  /** Insert only when no entity with this key exists (a referenced artifact known only by its id). */
  readonly ifAbsent?: boolean;
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
