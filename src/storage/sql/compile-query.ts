/**
 * Compiles query plans (model terms) into SQL for one dialect: $filter, $search, ordering, keyset paging,
 * counting and parent scoping all happen in the database. The compiler is a visitor over the bound tree with
 * exhaustive switches; dialect differences are delegated to SqlDialect.
 */
import { sql } from 'kysely';
import type { CompiledQuery } from 'kysely';
import type { EntityType, NavigationProperty, StructuralProperty } from '../../model/model.js';
import type { AnyNode, BoolNode, ComparisonNode, IsOfNode, OrderByItem, PropertyAccessNode, RangeVariable, SearchNode, ValueNode } from '../../odata/bind/semantic-tree.js';
import type { ParentScope } from '../../model/records.js';
import type { CollectionQuery, CountQuery, EntityQuery } from '../../odata/plan/query-plan.js';
import type { Schema, TableDef } from '../schema/derive-schema.js';
import type { Sql, SqlDialect } from './sql-dialect.js';
import { afterCondition } from './compile-keyset.js';

export type { CompiledQuery };

interface Scope {
  readonly dialect: SqlDialect;
  readonly schema: Schema;
  /** The queried entity ($it). */
  readonly it: { alias: string; table: TableDef };
  /** Lambda variables in scope, bound while compiling their any(). */
  readonly vars: Map<RangeVariable, { alias: string; table?: TableDef }>;
  nextAlias: number;
}

const resolve = (scope: Scope, v: RangeVariable): { alias: string; table?: TableDef } | undefined =>
  v.kind === 'It' ? scope.it : scope.vars.get(v);

const ref = (alias: string, column: string): Sql => sql.ref(`${alias}.${column}`);

const isNumericType = (t: ValueNode['type']): boolean =>
  t.kind === 'enum' || (t.kind === 'primitive' && t.qualifiedName !== 'Edm.String' && t.qualifiedName !== 'Edm.Guid');

function column(table: TableDef, property: StructuralProperty): string {
  const c = table.propertyColumns.get(property.name);
  if (!c) throw new Error(`compile: ${table.name} stores no ${property.name}`);
  return c.name;
}

/**
 * A property reached from $it or a lambda variable, possibly through single-valued navigations (artifact/id,
 * a/b/c/name). Each hop past the first reads the next id with a correlated scalar subquery by key; a key at the
 * end of the path is that id itself, any other property one more lookup.
 */
function compileAccess(node: PropertyAccessNode, scope: Scope): Sql {
  const v = resolve(scope, node.source);
  if (!v) throw new Error('compile: unbound range variable');
  const numeric = isNumericType(node.type);
  if (node.source.kind === 'LambdaItem') {
    // An item of a complex collection (c/code in countriesOrRegionsOfOrigin/any(c: …)) is reached through its
    // property, then any steps below it; an item of a primitive collection (a in aliases/any(a: …)) is the value.
    const path = [...(node.property ? [node.property] : []), ...node.complexPath].map((p) => p.name);
    return scope.dialect.jsonItemValue(v.alias, path, numeric);
  }
  let table = v.table!;
  /** The id of the entity the navigations reached so far; undefined while still on the source row. */
  let id: Sql | undefined;
  const lookup = (of: TableDef, value: (alias: string) => Sql, key: Sql): Sql => {
    const inner = `n${scope.nextAlias++}`;
    return sql`(SELECT ${value(inner)} FROM ${sql.table(of.name)} AS ${sql.id(inner)} WHERE ${ref(inner, of.keyColumn)} = ${key})`;
  };
  for (const nav of node.navigation) {
    const n = table.navigations.find((x) => x.navigation.name === nav.name);
    if (!n) throw new Error(`compile: ${table.name} has no navigation ${nav.name}`);
    id = id === undefined ? ref(v.alias, n.idColumn) : lookup(table, (a) => ref(a, n.idColumn), id);
    table = n.target;
  }
  const property = node.property!;
  const value = (alias: string): Sql => {
    const col = ref(alias, column(table, property));
    return node.complexPath.length ? scope.dialect.jsonValue(col, node.complexPath.map((p) => p.name), numeric) : col;
  };
  if (id === undefined) return value(v.alias);
  if (property === table.rootType.key && node.complexPath.length === 0) return id;
  return lookup(table, value, id);
}

function compileValue(node: ValueNode, scope: Scope): Sql {
  switch (node.kind) {
    case 'Constant':
      if (node.value === null) return sql`NULL`;
      if (typeof node.value === 'boolean') return sql`${node.value ? 1 : 0}`;
      return sql`${node.value}`;
    case 'PropertyAccess':
      return compileAccess(node, scope);
    case 'StringFunction': {
      const arg = scope.dialect.asText(compileValue(node.argument, scope));
      if (node.fn === 'tolower') return sql`lower(${arg})`;
      if (node.fn === 'toupper') return sql`upper(${arg})`;
      return sql`trim(${arg})`;
    }
    case 'Length':
      return sql`length(${scope.dialect.asText(compileValue(node.argument, scope))})`;
    default: {
      const never: never = node;
      throw new Error(`compile: unknown value node ${JSON.stringify(never)}`);
    }
  }
}

const isNullConstant = (n: ValueNode): boolean => n.kind === 'Constant' && n.value === null;
const isConstant = (n: ValueNode): boolean => n.kind === 'Constant';

function compileComparison(node: ComparisonNode, scope: Scope): Sql {
  const { dialect } = scope;
  const leftNull = isNullConstant(node.left);
  const rightNull = isNullConstant(node.right);
  if (leftNull || rightNull) {
    const other = leftNull ? node.right : node.left;
    if (leftNull && rightNull) return node.operator === 'eq' || node.operator === 'ge' || node.operator === 'le' ? sql`1 = 1` : sql`1 = 0`;
    const o = compileValue(other, scope);
    if (node.operator === 'eq') return sql`(${o} IS NULL)`;
    if (node.operator === 'ne') return sql`(${o} IS NOT NULL)`;
    return sql`1 = 0`; // relational comparison with null is false in OData
  }
  const l = compileValue(node.left, scope);
  const r = compileValue(node.right, scope);
  switch (node.operator) {
    case 'eq':
      return isConstant(node.left) || isConstant(node.right) ? sql`(${l} = ${r})` : dialect.notDistinct(l, r);
    case 'ne':
      return dialect.distinct(l, r);
    case 'gt':
      return sql`(${l} > ${r})`;
    case 'ge':
      return sql`(${l} >= ${r})`;
    case 'lt':
      return sql`(${l} < ${r})`;
    case 'le':
      return sql`(${l} <= ${r})`;
  }
}

function compileAny(node: AnyNode, scope: Scope): Sql {
  const outer = resolve(scope, node.source);
  if (!outer?.table) throw new Error('compile: any() over a non-entity source');
  const alias = `l${scope.nextAlias++}`;
  if (node.collection.kind === 'property') {
    const col = ref(outer.alias, column(outer.table, node.collection.property));
    if (node.variable) scope.vars.set(node.variable, { alias });
    const where = node.predicate ? compileBool(node.predicate, scope) : sql`1 = 1`;
    const guarded = scope.dialect.rowGuard ? sql`${scope.dialect.rowGuard} AND ${where}` : where;
    return sql`EXISTS (SELECT 1 FROM ${scope.dialect.jsonArrayItems(col, alias)} WHERE ${guarded})`;
  }
  const nav = node.collection.navigation;
  const target = scope.schema.tableOf(nav.target);
  if (node.variable) scope.vars.set(node.variable, { alias, table: target });
  const conditions = [...(scope.dialect.rowGuard ? [scope.dialect.rowGuard] : []), ...typeCondition(target, nav.target, alias)];
  if (node.predicate) conditions.push(compileBool(node.predicate, scope));
  const fk = nav.link.kind === 'foreignKey' ? target.foreignKeys.find((f) => f.navigation === nav) : undefined;
  if (nav.link.kind === 'foreignKey' && !fk) throw new Error(`compile: no foreign key for ${nav.name}`);
  // A predicate about the related entities alone (the pivot: i/artifact/id eq '…') is an uncorrelated key set, which
  // the database answers from the related table's index instead of probing once per outer row.
  if (fk && (!node.predicate || isSelfContained(node.predicate, node.variable))) {
    const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
    return sql`${ref(outer.alias, outer.table.keyColumn)} IN (SELECT ${ref(alias, fk.column)} FROM ${sql.table(target.name)} AS ${sql.id(alias)} ${where})`;
  }
  conditions.unshift(memberCondition(scope.schema, target, nav, alias, ref(outer.alias, outer.table.keyColumn), scope));
  return sql`EXISTS (SELECT 1 FROM ${sql.table(target.name)} AS ${sql.id(alias)} WHERE ${sql.join(conditions, sql` AND `)})`;
}

/** True when `node` reads no range variable but `own` and those of lambdas nested inside it. */
function isSelfContained(node: BoolNode | ValueNode, own: RangeVariable | undefined): boolean {
  const inner = new Set<RangeVariable>(own ? [own] : []);
  const visit = (n: BoolNode | ValueNode): boolean => {
    switch (n.kind) {
      case 'PropertyAccess':
        return inner.has(n.source);
      case 'Constant':
        return true;
      case 'StringFunction':
      case 'Length':
        return visit(n.argument);
      case 'Comparison':
        return visit(n.left) && visit(n.right);
      case 'Logical':
        return visit(n.left) && visit(n.right);
      case 'Not':
        return visit(n.operand);
      case 'In':
        return visit(n.left);
      case 'StringPredicate':
        return visit(n.subject) && visit(n.argument);
      case 'BoolValue':
        return visit(n.value);
      case 'IsOf':
        return inner.has(n.source);
      case 'Any':
        if (!inner.has(n.source)) return false;
        if (n.variable) inner.add(n.variable);
        return !n.predicate || visit(n.predicate);
      default: {
        const never: never = n;
        throw new Error(`compile: unknown node ${JSON.stringify(never)}`);
      }
    }
  };
  return visit(node);
}

function compileBool(node: BoolNode, scope: Scope): Sql {
  switch (node.kind) {
    case 'Comparison':
      return compileComparison(node, scope);
    case 'Logical':
      return node.operator === 'and'
        ? sql`(${compileBool(node.left, scope)} AND ${compileBool(node.right, scope)})`
        : sql`(${compileBool(node.left, scope)} OR ${compileBool(node.right, scope)})`;
    case 'Not':
      // OData logic is two-valued: a comparison involving null is false, so its negation is true.
      return sql`(NOT COALESCE(${compileBool(node.operand, scope)}, ${scope.dialect.falseValue}))`;
    case 'In': {
      const left = compileValue(node.left, scope);
      const values = node.list.filter((c) => c.value !== null).map((c) => compileValue(c, scope));
      const parts: Sql[] = [];
      if (values.length) parts.push(sql`${left} IN (${sql.join(values)})`);
      if (values.length !== node.list.length) parts.push(sql`${left} IS NULL`);
      return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`1 = 0`;
    }
    case 'StringPredicate': {
      const s = compileValue(node.subject, scope);
      const a = compileValue(node.argument, scope);
      if (node.fn === 'startswith') return scope.dialect.startsWith(s, a);
      if (node.fn === 'endswith') return scope.dialect.endsWith(s, a);
      return scope.dialect.contains(s, a);
    }
    case 'Any':
      return compileAny(node, scope);
    case 'IsOf':
      return compileIsOf(node, scope);
    case 'BoolValue':
      return sql`(${compileValue(node.value, scope)} = 1)`;
    default: {
      const never: never = node;
      throw new Error(`compile: unknown bool node ${JSON.stringify(never)}`);
    }
  }
}

function compileSearch(node: SearchNode, type: EntityType, table: TableDef, alias: string, scope: Scope): Sql {
  switch (node.kind) {
    case 'SearchAnd':
      return sql`(${compileSearch(node.left, type, table, alias, scope)} AND ${compileSearch(node.right, type, table, alias, scope)})`;
    case 'SearchOr':
      return sql`(${compileSearch(node.left, type, table, alias, scope)} OR ${compileSearch(node.right, type, table, alias, scope)})`;
    case 'SearchNot':
      return sql`(NOT COALESCE(${compileSearch(node.operand, type, table, alias, scope)}, ${scope.dialect.falseValue}))`;
    case 'SearchTerm': {
      const { dialect } = scope;
      const term = sql`${node.term}`;
      const parts = type.searchableProperties.map((p): Sql => {
        const col = ref(alias, column(table, p));
        if (p.collection) {
          const a = `s${scope.nextAlias++}`;
          return sql`EXISTS (SELECT 1 FROM ${dialect.jsonArrayItems(col, a)} WHERE ${dialect.containsIgnoringCase(dialect.jsonItemValue(a, [], false), term)})`;
        }
        if (p.type.kind === 'complex') {
          const strings = p.type.properties.filter((c) => c.type.kind === 'primitive' && c.type.qualifiedName === 'Edm.String');
          return sql.join(strings.map((c) => dialect.containsIgnoringCase(dialect.jsonValue(col, [c.name], false), term)), sql` OR `);
        }
        return dialect.containsIgnoringCase(col, term);
      });
      return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`1 = 0`;
    }
    default: {
      const never: never = node;
      throw new Error(`compile: unknown search node ${JSON.stringify(never)}`);
    }
  }
}

/** isof(nav, T): the navigation's discriminator copy on the source row names a concrete subtype of T. */
function compileIsOf(node: IsOfNode, scope: Scope): Sql {
  const v = resolve(scope, node.source);
  if (!v?.table) throw new Error('compile: isof() on a non-entity source');
  const n = v.table.navigations.find((x) => x.navigation.name === node.navigation.name);
  if (!n) throw new Error(`compile: ${v.table.name} has no navigation ${node.navigation.name}`);
  const names = n.target.concreteTypes.filter((t) => isSubtype(t, node.type)).map((t) => t.name);
  return names.length ? sql`${ref(v.alias, n.typeColumn)} IN (${sql.join(names)})` : sql`1 = 0`;
}

/** Restricts a hierarchy table to the concrete subtypes of `type` when it is not the table's root. */
function typeCondition(table: TableDef, type: EntityType, alias: string): Sql[] {
  if (type === table.rootType) return [];
  const names = table.concreteTypes.filter((t) => isSubtype(t, type)).map((t) => t.name);
  return [sql`${ref(alias, table.typeColumn)} IN (${sql.join(names)})`];
}

function isSubtype(t: EntityType, of: EntityType): boolean {
  for (let x: EntityType | undefined = t; x; x = x.baseType) if (x === of) return true;
  return false;
}

/**
 * "The row at `alias` of `table` is a member of collection navigation `nav` of the parent whose key is
 * `parentKey`", for each kind of link the model declares (model.ts NavigationLink).
 */
function memberCondition(schema: Schema, table: TableDef, nav: NavigationProperty, alias: string, parentKey: Sql, scope?: { nextAlias: number }): Sql {
  const navColumn = (t: TableDef, n: NavigationProperty): string => {
    const c = t.navigations.find((x) => x.navigation.name === n.name);
    if (!c) throw new Error(`compile: ${t.name} stores no navigation ${n.name}`);
    return c.idColumn;
  };
  const fresh = (): string => (scope ? `m${scope.nextAlias++}` : 'p');
  const link = nav.link;
  switch (link.kind) {
    case 'foreignKey': {
      const fk = table.foreignKeys.find((f) => f.navigation === nav);
      if (!fk) throw new Error(`compile: ${table.name} is not listed by ${nav.name}`);
      return sql`${ref(alias, fk.column)} = ${parentKey}`;
    }
    case 'inverse':
      return sql`(${sql.join(link.of.map((n) => sql`${ref(alias, navColumn(table, n))} = ${parentKey}`), sql` OR `)})`;
    case 'through': {
      const via = schema.tableOf(link.via);
      const x = fresh();
      const where = [sql`${ref(x, navColumn(via, link.from))} = ${parentKey}`, ...typeCondition(via, link.via, x)];
      return sql`${ref(alias, table.keyColumn)} IN (SELECT ${ref(x, navColumn(via, link.to))} FROM ${sql.table(via.name)} AS ${sql.id(x)} WHERE ${sql.join(where, sql` AND `)})`;
    }
    case 'shared': {
      const parentTable = schema.tableOf(nav.declaringType);
      const x = fresh();
      return sql`${ref(alias, navColumn(table, link.on))} = (SELECT ${ref(x, navColumn(parentTable, link.parentOn))} FROM ${sql.table(parentTable.name)} AS ${sql.id(x)} WHERE ${ref(x, parentTable.keyColumn)} = ${parentKey})`;
    }
    case 'reference':
      throw new Error(`compile: ${nav.name} is single-valued`);
  }
}

function parentCondition(schema: Schema, table: TableDef, parent: ParentScope | undefined, alias: string): Sql[] {
  if (!parent) return [];
  return [memberCondition(schema, table, parent.navigation, alias, sql`${parent.key}`)];
}

function newScope(dialect: SqlDialect, schema: Schema, type: EntityType): { scope: Scope; table: TableDef } {
  const table = schema.tableOf(type);
  return { scope: { dialect, schema, it: { alias: 't', table }, vars: new Map(), nextAlias: 0 }, table };
}

function whereClause(
  scope: Scope,
  table: TableDef,
  type: EntityType,
  q: { parent: ParentScope | undefined; filter?: BoolNode | undefined; search?: SearchNode | undefined },
): Sql[] {
  const conditions = [...typeCondition(table, type, 't'), ...parentCondition(scope.schema, table, q.parent, 't')];
  if (q.filter) conditions.push(compileBool(q.filter, scope));
  if (q.search) conditions.push(compileSearch(q.search, type, table, 't', scope));
  return conditions;
}

const isNullableKey = (item: OrderByItem): boolean =>
  item.expression.navigation.length > 0 || item.expression.complexPath.length > 0 || (item.expression.property?.nullable ?? true);

export function compileCollectionQuery(q: CollectionQuery, schema: Schema, dialect: SqlDialect): CompiledQuery {
  const { scope, table } = newScope(dialect, schema, q.type);
  const conditions = whereClause(scope, table, q.type, q);
  const keys = q.orderBy.map((o) => ({ expr: compileAccess(o.expression, scope), direction: o.direction, nullable: isNullableKey(o) }));
  if (q.after) conditions.push(afterCondition(keys, q.after));
  const sortColumns = keys.map((k, i) => sql`${k.expr} AS ${sql.id(`__k${i}`)}`);
  const order = keys.map((k) => sql`${k.expr} ${dialect.orderDirection(k.direction, k.nullable)}`);
  const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const offset = q.skip > 0 ? sql` OFFSET ${q.skip}` : sql``;
  return sql`SELECT t.*, ${sql.join(sortColumns)} FROM ${sql.table(table.name)} AS t ${where} ORDER BY ${sql.join(order)} LIMIT ${q.limit}${offset}`.compile(
    dialect.kysely,
  );
}

export function compileCountQuery(q: CountQuery, schema: Schema, dialect: SqlDialect): CompiledQuery {
  const { scope, table } = newScope(dialect, schema, q.type);
  const conditions = whereClause(scope, table, q.type, q);
  const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  return sql`SELECT COUNT(*) AS n FROM ${sql.table(table.name)} AS t ${where}`.compile(dialect.kysely);
}

export function compileEntityQuery(q: EntityQuery, schema: Schema, dialect: SqlDialect): CompiledQuery {
  const table = schema.tableOf(q.type);
  const conditions = [sql`${ref('t', table.keyColumn)} = ${q.key}`, ...typeCondition(table, q.type, 't'), ...parentCondition(schema, table, q.parent, 't')];
  return sql`SELECT t.* FROM ${sql.table(table.name)} AS t WHERE ${sql.join(conditions, sql` AND `)}`.compile(dialect.kysely);
}

/** Rows of `table` by key, for $expand of a page's navigations. */
export function compileByKeys(table: TableDef, keys: readonly string[], dialect: SqlDialect): CompiledQuery {
  return sql`SELECT t.* FROM ${sql.table(table.name)} AS t WHERE ${ref('t', table.keyColumn)} IN (${sql.join(keys.map((k) => sql`${k}`))})`.compile(dialect.kysely);
}
