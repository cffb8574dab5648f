/**
 * Derives the relational schema from the model: one table per stored type hierarchy (table-per-hierarchy with a
 * discriminator column), one column per structural property (snake_case), a `<nav>_id` column (plus a
 * `<nav>_type` discriminator copy, so the inline `{"@odata.type","id"}` needs no join) per single-valued
 * navigation between stored types, and a foreign key on the target table for each collection navigation
 * (e.g. intelligenceProfile.indicators → intelligence_profile_indicator.intelligence_profile_id).
 *
 * Value encoding (same in every dialect): DateTimeOffset as epoch milliseconds (BIGINT), enums as their numeric
 * member value, Boolean as 0/1, complex values and collections as JSON text.
 */
import { createHash } from 'node:crypto';
import type { EntityType, Model, NavigationProperty, StructuralProperty } from '../../model/model.js';

export type ColumnKind = 'text' | 'integer' | 'bigint' | 'double' | 'json';

export interface ColumnDef {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly notNull: boolean;
  /** The model property stored here (undefined for key/discriminator/foreign-key columns). */
  readonly property: StructuralProperty | undefined;
}

export interface NavigationColumns {
  readonly navigation: NavigationProperty;
  readonly idColumn: string;
  readonly typeColumn: string;
  readonly target: TableDef;
}

export interface ForeignKey {
  /** The collection navigation on the parent type (intelligenceProfile.indicators). */
  readonly navigation: NavigationProperty;
  readonly column: string;
  readonly parent: TableDef;
}

export interface IndexDef {
  readonly name: string;
  readonly columns: readonly string[];
  /** A partial index over the rows where this column is not null (a subtype's column: see deriveSchema). */
  readonly notNull?: string;
}

export interface TableDef {
  readonly name: string;
  /** Root type of the stored hierarchy; rows hold it or any concrete subtype. */
  readonly rootType: EntityType;
  readonly concreteTypes: readonly EntityType[];
  readonly keyColumn: string;
  /** Discriminator column holding the concrete type's name. */
  readonly typeColumn: string;
  readonly columns: readonly ColumnDef[];
  /** Property name → column, for every property of every concrete type of the hierarchy. */
  readonly propertyColumns: ReadonlyMap<string, ColumnDef>;
  readonly navigations: NavigationColumns[];
  readonly foreignKeys: ForeignKey[];
  readonly indexes: IndexDef[];
}

export interface Schema {
  readonly tables: readonly TableDef[];
  /** The table that stores entities of `type` (its hierarchy's table). */
  tableOf(type: EntityType): TableDef;
}

/** PostgreSQL truncates identifiers to 63 bytes; longer index names are shortened with a hash of the full name. */
export const MAX_IDENTIFIER_LENGTH = 63;

export function indexName(full: string): string {
  if (full.length <= MAX_IDENTIFIER_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_IDENTIFIER_LENGTH - hash.length - 1)}_${hash}`;
}

export const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function columnKind(p: StructuralProperty): ColumnKind {
  if (p.collection || p.type.kind === 'complex') return 'json';
  if (p.type.kind === 'enum') return 'integer';
  switch (p.type.qualifiedName) {
    case 'Edm.DateTimeOffset':
    case 'Edm.Int64':
      return 'bigint';
    case 'Edm.Int32':
    case 'Edm.Boolean':
      return 'integer';
    case 'Edm.Double':
      return 'double';
    default:
      return 'text';
  }
}

/** A property is indexed for sorting/filtering when it is a single primitive or enum value, and not free text. */
const isScalar = (p: StructuralProperty): boolean => !p.collection && p.type.kind !== 'complex' && !p.freeText;

export function deriveSchema(model: Model): Schema {
  // Stored hierarchies: the element types of the served sets and every entity type their navigations (of any
  // subtype, and inside complex values) reach, reduced to the most general ones (artifact subsumes host).
  const needed = new Set<EntityType>();
  const visit = (t: EntityType): void => {
    if (needed.has(t)) return;
    needed.add(t);
    for (const sub of model.subtypesOf(t)) {
      for (const nav of sub.navigationProperties) visit(nav.target);
      for (const p of sub.properties) if (p.type.kind === 'complex') for (const n of p.type.navigationProperties) visit(n.target);
    }
  };
  for (const set of model.entitySets) visit(set.entityType);
  const roots = [...needed].filter((t) => ![...needed].some((o) => o !== t && model.isAssignable(t, o)));
  const tables = new Map<EntityType, TableDef & { navigations: NavigationColumns[]; foreignKeys: ForeignKey[]; indexes: IndexDef[] }>();

  for (const root of roots) {
    const concreteTypes = model.subtypesOf(root).filter((t) => !t.abstract);
    const propertyColumns = new Map<string, ColumnDef>();
    const columns: ColumnDef[] = [];
    const keyColumn = snake(root.key.name);
    columns.push({ name: keyColumn, kind: 'text', notNull: true, property: root.key });
    propertyColumns.set(root.key.name, columns[0]!);
    columns.push({ name: 'odata_type', kind: 'text', notNull: true, property: undefined });
    for (const type of model.subtypesOf(root)) {
      for (const p of type.properties) {
        const existing = propertyColumns.get(p.name);
        if (existing) {
          if (existing.kind !== columnKind(p)) throw new Error(`schema: property ${p.name} has conflicting types in ${root.name}`);
          continue;
        }
        // NOT NULL only when every concrete type of the table has the property as non-nullable.
        const notNull = !p.nullable && concreteTypes.every((t) => t.property(p.name) && !t.property(p.name)!.nullable);
        const col: ColumnDef = { name: snake(p.name), kind: columnKind(p), notNull, property: p };
        columns.push(col);
        propertyColumns.set(p.name, col);
      }
    }
    const tableName = snake(root.name);
    tables.set(root, {
      name: tableName,
      rootType: root,
      concreteTypes,
      keyColumn,
      typeColumn: 'odata_type',
      columns,
      propertyColumns,
      navigations: [],
      foreignKeys: [],
      indexes: [],
    });
  }
  // Memoized: the store asks for every record it writes (a bulk import: twice per indicator).
  const tableOfType = new Map<EntityType, TableDef>();
  const tableOf = (type: EntityType): TableDef => {
    const known = tableOfType.get(type);
    if (known) return known;
    for (const [root, table] of tables) {
      if (!model.isAssignable(type, root)) continue;
      tableOfType.set(type, table);
      return table;
    }
    throw new Error(`schema: no table stores ${type.qualifiedName}`);
  };

  for (const table of tables.values()) {
    // Navigations of every type of the hierarchy, one column pair per name (hostComponent.host and hostCookie.host
    // share host_id), NOT NULL only when every concrete type has the navigation as non-nullable.
    const seen = new Set<string>();
    for (const nav of [...table.rootType.navigationProperties, ...model.subtypesOf(table.rootType).slice(1).flatMap((t) => t.ownNavigationProperties)]) {
      if (seen.has(nav.name)) continue;
      seen.add(nav.name);
      const targetRoot = roots.find((r) => model.isAssignable(nav.target, r) || model.isAssignable(r, nav.target));
      if (!targetRoot) continue;
      const target = tables.get(targetRoot)!;
      if (nav.collection) {
        // Members found through other links (navigation-links.ts) need no column of their own.
        if (nav.link.kind !== 'foreignKey') continue;
        const column = `${snake(table.rootType.name)}_id`;
        if (target.columns.some((c) => c.name === column)) throw new Error(`schema: ${target.name} already has a column ${column} (${nav.declaringType.name}.${nav.name})`);
        (target.columns as ColumnDef[]).push({ name: column, kind: "text", notNull: false, property: undefined });
        target.foreignKeys.push({ navigation: nav, column, parent: table });
      } else {
        const idColumn = `${snake(nav.name)}_id`;
        const typeColumn = `${snake(nav.name)}_type`;
        const notNull = table.concreteTypes.every((t) => t.navigation(nav.name) && !t.navigation(nav.name)!.nullable);
        (table.columns as ColumnDef[]).push(
          { name: idColumn, kind: 'text', notNull, property: undefined },
          { name: typeColumn, kind: 'text', notNull, property: undefined },
        );
        table.navigations.push({ navigation: nav, idColumn, typeColumn, target });
      }
    }
  }

  // Indexes for every filter/sort/paging path: (column, key) per scalar property and per navigation id,
  // and the same prefixed by each foreign key (a profile's indicators ordered by any property).
  // Tables reached only by key get no property indexes. A column of a subtype's property (or navigation) in a
  // hierarchy's table (a hostname's registrant, a certificate's fingerprint in the artifact table) is null in every
  // row of the other subtypes: its index is partial (`WHERE col IS NOT NULL`, named `…_nn`), so inserting an
  // artifact touches only the indexes of the columns it has, not the two dozen of every artifact type. Filters on
  // such a column (`registrant eq 'x'`, ranges) imply NOT NULL and use it in both databases; an $orderby on it
  // without such a filter sorts in SQL instead.
  const subtypeOnly = (table: TableDef, name: string, nullable: boolean): boolean => nullable && !table.rootType.property(name) && !table.rootType.navigation(name);
  for (const table of tables.values()) {
    const listed = model.entitySets.some((s) => s.listable && model.isAssignable(s.entityType, table.rootType));
    const sortable = listed ? table.columns.filter((c) => c.property && c.property !== table.rootType.key && isScalar(c.property)) : [];
    const prefixes = [undefined, ...table.foreignKeys.map((f) => f.column)];
    for (const prefix of prefixes) {
      const lead = prefix ? [prefix] : [];
      if (prefix) table.indexes.push({ name: indexName(`ix_${table.name}_${prefix}`), columns: [prefix, table.keyColumn] });
      for (const c of sortable) {
        const partial = subtypeOnly(table, c.property!.name, !c.notNull);
        const name = `ix_${table.name}_${prefix ? `${prefix}_` : ''}${c.name}${partial ? '_nn' : ''}`;
        table.indexes.push({ name: indexName(name), columns: [...lead, c.name, table.keyColumn], ...(partial ? { notNull: c.name } : {}) });
      }
    }
    for (const n of table.navigations) {
      const fk = table.foreignKeys[0];
      const nullable = !table.columns.find((c) => c.name === n.idColumn)?.notNull;
      const partial = subtypeOnly(table, n.navigation.name, nullable);
      table.indexes.push({ name: indexName(`ix_${table.name}_${n.idColumn}${partial ? '_nn' : ''}`), columns: fk ? [n.idColumn, fk.column] : [n.idColumn], ...(partial ? { notNull: n.idColumn } : {}) });
    }
  }
  return { tables: [...tables.values()], tableOf };
}
