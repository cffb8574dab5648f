/**
 * Converts between entity records (model terms, storage-form values) and table rows (column names).
 * Derived entirely from the schema, so it follows the model.
 */
import type { EntityType, StructuralProperty } from '../../model/model.js';
import type { ColumnDef, Schema, TableDef } from '../schema/derive-schema.js';
import type { EntityRecord, EntityRef, WriteRecord } from '../../model/records.js';

export type Row = Record<string, unknown>;

function decodeValue(col: ColumnDef, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (col.kind === 'json') return JSON.parse(raw as string);
  if (col.kind === 'bigint') return Number(raw);
  if (col.property && col.property.type.kind === 'primitive' && col.property.type.qualifiedName === 'Edm.Boolean') return raw === 1 || raw === true;
  return raw;
}

function encodeValue(col: ColumnDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (col.kind === 'json') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** Per-table decoding plan, built once. */
export interface TableCodec {
  readonly table: TableDef;
  decode(row: Row): EntityRecord;
  encode(write: WriteRecord): Row;
  /**
   * The same row without its null columns: `encodeSet(w)[c] ?? null` equals `encode(w)[c]` for every column c.
   * Costs what the record sets, not the table's width (an imported hostname sets 3 of the artifact table's 38
   * columns): the bulk write path.
   */
  encodeSet(write: WriteRecord): Row;
}

export function createTableCodec(table: TableDef): TableCodec {
  const typesByName = new Map(table.concreteTypes.map((t) => [t.name, t]));
  const propertyColumns = new Map<EntityType, { property: StructuralProperty; column: ColumnDef }[]>();
  for (const t of table.concreteTypes) {
    propertyColumns.set(
      t,
      t.properties.map((p) => ({ property: p, column: table.propertyColumns.get(p.name)! })),
    );
  }
  return {
    table,
    decode(row: Row): EntityRecord {
      const type = typesByName.get(row[table.typeColumn] as string);
      if (!type) throw new Error(`row of ${table.name} has unknown type ${String(row[table.typeColumn])}`);
      const values: Record<string, unknown> = {};
      for (const { property, column } of propertyColumns.get(type)!) values[property.name] = decodeValue(column, row[column.name]);
      const navigations: Record<string, EntityRef | null> = {};
      for (const n of table.navigations) {
        const id = row[n.idColumn] as string | null;
        const typeName = row[n.typeColumn] as string | null;
        const targetType = typeName ? n.target.concreteTypes.find((t) => t.name === typeName) : undefined;
        navigations[n.navigation.name] = id && targetType ? { kind: 'ref', type: targetType, id } : null;
      }
      const fk = table.foreignKeys.find((f) => row[f.column] !== null && row[f.column] !== undefined);
      return fk ? { kind: 'record', type, values, navigations, listedBy: { navigation: fk.navigation, key: row[fk.column] as string } } : { kind: 'record', type, values, navigations };
    },
    encode({ record, parent }: WriteRecord): Row {
      const row: Row = { [table.typeColumn]: record.type.name };
      for (const col of table.columns) {
        if (col.property) row[col.name] = encodeValue(col, record.values[col.property.name]);
      }
      for (const n of table.navigations) {
        const target = record.navigations[n.navigation.name];
        row[n.idColumn] = target ? (target.kind === 'ref' ? target.id : (target.values[target.type.key.name] as string)) : null;
        row[n.typeColumn] = target ? target.type.name : null;
      }
      for (const fk of table.foreignKeys) {
        row[fk.column] = parent && parent.navigation === fk.navigation ? parent.key : null;
      }
      return row;
    },
    encodeSet({ record, parent }: WriteRecord): Row {
      const row: Row = { [table.typeColumn]: record.type.name };
      const values = record.values;
      for (const name in values) {
        const col = table.propertyColumns.get(name);
        if (!col?.property) continue;
        const v = encodeValue(col, values[name]);
        if (v !== null) row[col.name] = v;
      }
      for (const n of table.navigations) {
        const target = record.navigations[n.navigation.name];
        if (!target) continue;
        row[n.idColumn] = target.kind === 'ref' ? target.id : (target.values[target.type.key.name] as string);
        row[n.typeColumn] = target.type.name;
      }
      if (parent) {
        for (const fk of table.foreignKeys) if (parent.navigation === fk.navigation) row[fk.column] = parent.key;
      }
      return row;
    },
  };
}

export function createCodecs(schema: Schema): Map<TableDef, TableCodec> {
  return new Map(schema.tables.map((t) => [t, createTableCodec(t)]));
}
