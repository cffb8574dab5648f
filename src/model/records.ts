/**
 * Entity records: entities in model terms, the currency of the whole pipeline (the deserializer makes them, the
 * store reads and writes them, the serializer writes them out). Values are in storage form (see
 * storage/schema/derive-schema.ts): DateTimeOffset as epoch ms, enums as member values, complex values as plain
 * objects, collections as arrays.
 */
import type { EntityType, NavigationProperty } from './model.js';

/** Restricts a collection to the entities related to one parent (intelProfiles/{id}/indicators). */
export interface ParentScope {
  readonly navigation: NavigationProperty;
  readonly key: string;
}

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

export interface WriteRecord {
  readonly record: EntityRecord;
  /** Collection navigation that lists this entity (an indicator's profile). */
  readonly parent?: ParentScope;
  /** Insert only when no entity with this key exists (a referenced artifact known only by its id). */
  readonly ifAbsent?: boolean;
  /**
   * The writer knows no entity with this key is stored and no other record of the write has it (an importer
   * that knows every stored key): a store may append the row without an upsert (Store.appendsNewKeys). A hint
   * only: where the key is there after all (another process wrote it meanwhile), the record is written as
   * without it.
   */
  readonly expectNew?: boolean;
}

/** A navigation inside a stored complex value (whoisNameserver.host): the target's concrete type (or null) and id. */
export interface ComplexReference {
  readonly type: string | null;
  readonly id: string;
}
