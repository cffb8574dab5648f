/**
 * The dialect-independent part of a SQL store: compiles plans, decodes rows, resolves $expand with one
 * batched key lookup per navigation, and writes upserts in one transaction. A backend supplies only
 * how to run compiled statements (sqlite-store.ts, postgres-store.ts).
 */
import { INGEST_COLUMN } from './ingest-time.js';
import { insertFrom, writeRank } from './upsert-sql.js';
import { MemoryRateBuckets, type RateBuckets } from '../rate-buckets.js';
import { sql } from 'kysely';
import type { EntityType, Model, NavigationProperty } from '../../model/model.js';
import type { Statement } from './sql-dialect.js';
import type { CollectionQuery, CountQuery, EntityQuery, SortValue } from '../../odata/plan/query-plan.js';
import { deriveSchema, type Schema, type TableDef } from '../schema/derive-schema.js';
import type { EntityRecord, WriteRecord } from '../../model/records.js';
import type { CreateOutcome, CreateRequest, IngestQuery, IngestRow, Page, ReadOptions, Store, StoreHealth, UpdateRequest, WriteOptions } from '../store.js';
import { compileIngestListing } from './compile-ingest-listing.js';
import { HARVESTED_ALIASES_TABLE } from './migrations.js';
import { createIndexStatement } from './ddl.js';
import { compileByKeys, compileCollectionQuery, compileCountQuery, compileEntityQuery } from './compile-query.js';
import { createCodecs, type Row, type TableCodec } from './row-codec.js';
import type { SqlDialect } from './sql-dialect.js';

export abstract class SqlStore implements Store {
  abstract readonly kind: string;
  /** Store.writesInFlight: 1 unless the store orders posted writes before everything else (a writer thread). */
  get writesInFlight(): number {
    return 1;
  }
  /** Store.stagedWritesInFlight: as many as writesInFlight unless the store stages. */
  stagedWritesInFlight(_intoEmptyStore: boolean): number {
    return this.writesInFlight;
  }

  /** Store.writeQueueFull: false unless the store queues posted writes (a writer thread). */
  writeQueueFull(_staged: boolean): boolean {
    return false;
  }
  /** Store.readsSeeWritesInFlight: with one write in flight at most, a caller settles it before reading anyway. */
  get readsSeeWritesInFlight(): boolean {
    return true;
  }
  /** Store.mergeStaged: a store that does not stage (WriteOptions.stage) has nothing to merge. */
  async mergeStaged(): Promise<void> {}
  /** Store.stagesWrites. */
  get stagesWrites(): boolean {
    return false;
  }
  /** Store.appendsNewKeys: an upsert of a new key costs what an insert does, unless the store says otherwise. */
  get appendsNewKeys(): boolean {
    return false;
  }
  /** One process's buckets; PostgresStore replaces them with the shared table. */
  readonly rateBuckets: RateBuckets = new MemoryRateBuckets();
  protected readonly schema: Schema;
  protected readonly codecs: Map<TableDef, TableCodec>;

  constructor(
    protected readonly model: Model,
    protected readonly dialect: SqlDialect,
  ) {
    this.schema = deriveSchema(model);
    this.codecs = createCodecs(this.schema);
  }

  /** Runs one read; with a deadline, its work is cancelled then and it fails with `errors.deadlineExceeded`. */
  protected abstract all(query: Statement, options?: ReadOptions): Promise<Row[]>;
  /** Runs the statements in one transaction; all or nothing. */
  protected abstract transaction(statements: readonly Statement[]): Promise<void>;
  /**
   * Runs the steps in one transaction. A step that expects `rows` (a SELECT) or `changes` (a write) and gets none
   * rolls everything back; the index of that step is returned (undefined when all held and it committed).
   */
  protected abstract runSteps(steps: readonly CheckedStep[]): Promise<number | undefined>;
  abstract secret(name: string): Promise<Buffer>;
  abstract health(): Promise<StoreHealth>;
  abstract close(): Promise<void>;

  async findMany(query: CollectionQuery, options: ReadOptions = {}): Promise<Page> {
    const table = this.schema.tableOf(query.type);
    const codec = this.codecs.get(table)!;
    const rows = await this.all(compileCollectionQuery(query, this.schema, this.dialect), options);
    const n = query.orderBy.length;
    const sortKeys = rows.map((r) => Array.from({ length: n }, (_, i) => normalizeSortValue(r[`__k${i}`])));
    const records = rows.map((r) => codec.decode(r));
    return { records: await this.expand(records, query.expand, options), sortKeys };
  }

  /**
   * Entity lookups are the hot path: their SQL depends only on the type and the parent navigation, so it is
   * compiled once per shape with marker values, and each request substitutes its keys.
   */
  private readonly entityStatements = new Map<string, Statement>();

  protected entityStatement(query: EntityQuery): Statement {
    const shape = `${query.type.qualifiedName}|${query.parent?.navigation.name ?? ''}`;
    let cached = this.entityStatements.get(shape);
    if (!cached) {
      const compiled = compileEntityQuery({ ...query, key: KEY_MARKER, parent: query.parent && { ...query.parent, key: PARENT_MARKER } }, this.schema, this.dialect);
      cached = { sql: compiled.sql, parameters: compiled.parameters, name: `tigraph_entity_${this.entityStatements.size}` };
      this.entityStatements.set(shape, cached);
    }
    return { sql: cached.sql, name: cached.name!, parameters: cached.parameters.map((p) => (p === KEY_MARKER ? query.key : p === PARENT_MARKER ? query.parent!.key : p)) };
  }

  async findOne(query: EntityQuery, options: ReadOptions = {}): Promise<EntityRecord | undefined> {
    const table = this.schema.tableOf(query.type);
    const rows = await this.all(this.entityStatement(query), options);
    if (rows.length === 0) return undefined;
    const [record] = await this.expand([this.codecs.get(table)!.decode(rows[0]!)], query.expand, options);
    return record;
  }

  async count(query: CountQuery, options: ReadOptions = {}): Promise<number> {
    const rows = await this.all(compileCountQuery(query, this.schema, this.dialect), options);
    return Number(rows[0]?.['n'] ?? 0);
  }

  async listByIngestion(query: IngestQuery): Promise<IngestRow[]> {
    const keys = await this.all(compileIngestListing(query, this.schema, this.dialect));
    const out: (IngestRow | undefined)[] = new Array(keys.length);
    for (let i = 0; i < query.parts.length; i++) {
      const part = query.parts[i]!;
      const mine = keys.map((k, at) => ({ k, at })).filter((x) => Number(x.k['part']) === i);
      if (mine.length === 0) continue;
      const table = this.schema.tableOf(part.type);
      const codec = this.codecs.get(table)!;
      const rows = await this.all(compileByKeys(table, mine.map((x) => String(x.k['key'])), this.dialect));
      const byKey = new Map(rows.map((r) => [String(r[table.keyColumn]), codec.decode(r)]));
      const records = await this.expand(mine.map((x) => byKey.get(String(x.k['key']))!).filter(Boolean), part.expand, {});
      const expanded = new Map(records.map((r) => [String(r.values[part.type.key.name]), r]));
      for (const x of mine) {
        const record = expanded.get(String(x.k['key']));
        if (record) out[x.at] = { part: i, added: Number(x.k['added']), record };
      }
    }
    return out.filter((r): r is IngestRow => r !== undefined);
  }

  async *keys(type: EntityType, pageSize = 50_000): AsyncIterable<readonly string[]> {
    const table = this.schema.tableOf(type);
    const key = sql.id(table.keyColumn);
    let after: string | undefined;
    for (;;) {
      const where = after === undefined ? sql`` : sql`WHERE ${key} > ${after}`;
      const rows = await this.all(sql`SELECT ${key} AS k FROM ${sql.table(table.name)} ${where} ORDER BY ${key} LIMIT ${pageSize}`.compile(this.dialect.kysely));
      if (rows.length === 0) return;
      const page = rows.map((r) => String(r['k']));
      yield page;
      if (rows.length < pageSize) return;
      after = page[page.length - 1];
    }
  }

  async isEmpty(): Promise<boolean> {
    for (const table of this.schema.tables) {
      const rows = await this.all(sql`SELECT 1 AS x FROM ${sql.table(table.name)} LIMIT 1`.compile(this.dialect.kysely));
      if (rows.length) return false;
    }
    return true;
  }

  async dropSecondaryIndexes(types: readonly EntityType[]): Promise<() => Promise<void>> {
    const tables = [...new Set(types.map((t) => this.schema.tableOf(t)))];
    // Partial indexes stay: a row without their column costs them only the predicate, and rebuilding one scans
    // the whole table (25 of the artifact table's, about 20 ms each per 300k rows, for the few rows they hold).
    const indexes = tables.flatMap((table) => table.indexes.filter((index) => index.notNull === undefined).map((index) => ({ table, index })));
    await this.transaction(indexes.map(({ index }) => ({ sql: `DROP INDEX IF EXISTS "${index.name}"`, parameters: [] })));
    return async () => {
      await this.buildIndexes(indexes.map(({ table, index }) => ({ sql: createIndexStatement(table, index, this.dialect), parameters: [] })));
    };
  }

  /** Runs CREATE INDEX statements over full tables, in one transaction (a dialect may tune the sort for it). */
  protected buildIndexes(statements: readonly Statement[]): Promise<void> {
    return this.transaction(statements);
  }

  async harvestedAliases(): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    const rows = await this.all(sql`SELECT ${sql.id('profile_id')} AS p, ${sql.id('alias')} AS a FROM ${sql.table(HARVESTED_ALIASES_TABLE)}`.compile(this.dialect.kysely));
    for (const r of rows) {
      const set = out.get(String(r['p'])) ?? new Set<string>();
      set.add(String(r['a']));
      out.set(String(r['p']), set);
    }
    return out;
  }

  async noteHarvestedAliases(add: readonly (readonly [string, string])[], remove: readonly (readonly [string, string])[]): Promise<void> {
    if (add.length === 0 && remove.length === 0) return;
    const t = sql.table(HARVESTED_ALIASES_TABLE);
    const statements: Statement[] = [
      ...add.map(([p, a]) => sql`INSERT INTO ${t} (${sql.id('profile_id')}, ${sql.id('alias')}) VALUES (${p}, ${a}) ON CONFLICT DO NOTHING`.compile(this.dialect.kysely)),
      ...remove.map(([p, a]) => sql`DELETE FROM ${t} WHERE ${sql.id('profile_id')} = ${p} AND ${sql.id('alias')} = ${a}`.compile(this.dialect.kysely)),
    ];
    await this.transaction(statements);
  }

  /** DELETE statements for WriteOptions.remove, 500 keys each. */
  protected removeStatements(options: WriteOptions): Statement[] {
    const r = options.remove;
    if (!r || r.keys.length === 0) return [];
    const table = this.schema.tableOf(r.type);
    const out: Statement[] = [];
    for (let i = 0; i < r.keys.length; i += 500) {
      const keys = r.keys.slice(i, i + 500);
      out.push(sql`DELETE FROM ${sql.table(table.name)} WHERE ${sql.id(table.keyColumn)} IN (${sql.join(keys.map((k) => sql`${k}`))})`.compile(this.dialect.kysely));
    }
    return out;
  }

  async write(records: readonly WriteRecord[], options: WriteOptions = {}): Promise<void> {
    const statements: Statement[] = this.removeStatements(options);
    for (const [table, writes] of this.groupWrites(records)) {
      const codec = this.codecs.get(table)!;
      for (const w of writes) {
        const text = this.rowInsertSql(table, w.ifAbsent ? 'keep' : options.merge ? 'merge' : 'replace');
        const row = codec.encode(w);
        statements.push({ sql: text, parameters: table.columns.map((c) => row[c.name] ?? null) });
      }
    }
    await this.transaction(statements);
  }

  private readonly rowInsertCache = new Map<string, string>();

  /**
   * The single-row INSERT … ON CONFLICT text for a table and conflict mode, compiled once; values bind in column
   * order, then (`stamped`) the row's ingestion stamp (sqlite/bulk-write.ts). With `columns` (a subset, the key
   * included) only those are bound: the others are NULL, as they would be bound, also in the upsert's SET.
   */
  protected rowInsertSql(table: TableDef, mode: 'keep' | 'replace' | 'merge', stamped = false, columns?: readonly string[]): string {
    const cacheKey = `${table.name}:${mode}:${stamped}:${columns?.join(',') ?? '*'}`;
    let text = this.rowInsertCache.get(cacheKey);
    if (!text) {
      const bound = [...(columns ?? table.columns.map((c) => c.name)), ...(stamped ? [INGEST_COLUMN] : [])];
      text = insertFrom(this.dialect, table, sql`VALUES (${sql.join(bound.map(() => sql`${null}`))})`, mode, bound);
      this.rowInsertCache.set(cacheKey, text);
    }
    return text;
  }

  /**
   * The row is locked first (FOR UPDATE on PostgreSQL), so a concurrent POST of a child, which holds the parent
   * FOR SHARE while it inserts, either commits before (and its child is deleted here) or finds no parent.
   */
  async remove(type: EntityType, key: string): Promise<boolean> {
    const table = this.schema.tableOf(type);
    const steps: CheckedStep[] = [{ statement: this.lockRow(table, key, 'update'), expect: 'rows' }];
    for (const other of this.schema.tables) {
      for (const fk of other.foreignKeys) {
        if (fk.parent === table) steps.push({ statement: sql`DELETE FROM ${sql.table(other.name)} WHERE ${sql.id(fk.column)} = ${key}`.compile(this.dialect.kysely) });
      }
    }
    steps.push({ statement: sql`DELETE FROM ${sql.table(table.name)} WHERE ${sql.id(table.keyColumn)} = ${key}`.compile(this.dialect.kysely), expect: 'changes' });
    return (await this.runSteps(steps)) === undefined;
  }

  private lockRow(table: TableDef, key: string, mode: 'share' | 'update'): Statement {
    return sql`SELECT 1 AS x FROM ${sql.table(table.name)} WHERE ${sql.id(table.keyColumn)} = ${key} ${this.dialect.rowLock(mode)}`.compile(this.dialect.kysely);
  }

  /** Tables that are targets of single navigations (artifacts): a POST links to their rows, never rewrites them. */
  private linkedTables(): Set<TableDef> {
    return new Set(this.schema.tables.flatMap((t) => t.navigations.map((n) => n.target)));
  }

  async create(request: CreateRequest): Promise<CreateOutcome> {
    const steps: CheckedStep[] = [];
    const owners: (WriteRecord | 'parent' | undefined)[] = [];
    if (request.requires) {
      steps.push({ statement: this.lockRow(this.schema.tableOf(request.requires.type), request.requires.key, 'share'), expect: 'rows' });
      owners.push('parent');
    }
    const linked = this.linkedTables();
    const main = request.main === undefined ? undefined : request.writes[request.main];
    for (const [table, writes] of this.groupWrites(request.writes)) {
      const codec = this.codecs.get(table)!;
      const text = this.rowInsertSql(table, 'keep');
      for (const w of writes) {
        const row = codec.encode(w);
        const mustBeNew = w === main || (!w.ifAbsent && !linked.has(table));
        steps.push({ statement: { sql: text, parameters: table.columns.map((c) => row[c.name] ?? null) }, ...(mustBeNew ? { expect: 'changes' as const } : {}) });
        owners.push(mustBeNew ? w : undefined);
      }
    }
    const failed = await this.runSteps(steps);
    if (failed === undefined) return { ok: true };
    const owner = owners[failed];
    if (owner === 'parent' || owner === undefined) return { ok: false, reason: 'missingParent' };
    return { ok: false, reason: 'conflict', type: owner.record.type, key: String(owner.record.values[owner.record.type.key.name]) };
  }

  async update(request: UpdateRequest): Promise<boolean> {
    const table = this.schema.tableOf(request.type);
    const codec = this.codecs.get(table)!;
    const row = codec.encode({ record: request.patch });
    const columns: string[] = [];
    for (const name of Object.keys(request.patch.values)) {
      const col = table.propertyColumns.get(name);
      if (col && col.name !== table.keyColumn) columns.push(col.name);
    }
    for (const n of table.navigations) {
      if (n.navigation.name in request.patch.navigations) columns.push(n.idColumn, n.typeColumn);
    }
    const steps: CheckedStep[] = [];
    const linkText = (t: TableDef): string => this.rowInsertSql(t, 'keep');
    for (const [t, writes] of this.groupWrites(request.targets)) {
      const c = this.codecs.get(t)!;
      for (const w of writes) {
        const r = c.encode(w);
        steps.push({ statement: { sql: linkText(t), parameters: t.columns.map((col) => r[col.name] ?? null) } });
      }
    }
    const where = [sql`${sql.id(table.keyColumn)} = ${request.key}`];
    if (request.scope) {
      const fk = table.foreignKeys.find((f) => f.navigation === request.scope!.navigation);
      if (fk) where.push(sql`${sql.id(fk.column)} = ${request.scope.key}`);
    }
    // Nothing to change still has to find the entity: the no-op UPDATE sets the key to itself.
    const sets = columns.length ? columns.map((c) => sql`${sql.id(c)} = ${row[c] ?? null}`) : [sql`${sql.id(table.keyColumn)} = ${sql.id(table.keyColumn)}`];
    steps.push({ statement: sql`UPDATE ${sql.table(table.name)} SET ${sql.join(sets)} WHERE ${sql.join(where, sql` AND `)}`.compile(this.dialect.kysely), expect: 'changes' });
    return (await this.runSteps(steps)) === undefined;
  }

  /** Writes grouped by table, navigation targets (artifacts) first, then parents, then children. */
  protected groupWrites(records: readonly WriteRecord[]): [TableDef, WriteRecord[]][] {
    const grouped = new Map<TableDef, WriteRecord[]>();
    for (const w of records) {
      const t = this.schema.tableOf(w.record.type);
      if (!grouped.has(t)) grouped.set(t, []);
      grouped.get(t)!.push(w);
    }
    return [...grouped].sort((a, b) => writeRank(a[0]) - writeRank(b[0]));
  }

  private async expand(records: EntityRecord[], navigations: readonly NavigationProperty[], options: ReadOptions): Promise<EntityRecord[]> {
    if (navigations.length === 0 || records.length === 0) return records;
    let result = records;
    for (const nav of navigations) {
      const table = this.schema.tableOf(nav.target);
      const ids = [...new Set(result.map((r) => r.navigations[nav.name]).filter((x) => x).map((x) => (x!.kind === 'ref' ? x!.id : '')))].filter(Boolean);
      if (ids.length === 0) continue;
      const codec = this.codecs.get(table)!;
      const rows = await this.all(compileByKeys(table, ids, this.dialect), options);
      const byId = new Map(rows.map((r) => [r[table.keyColumn] as string, codec.decode(r)]));
      result = result.map((r) => {
        const current = r.navigations[nav.name];
        const full = current && current.kind === 'ref' ? byId.get(current.id) : undefined;
        return full ? { ...r, navigations: { ...r.navigations, [nav.name]: full } } : r;
      });
    }
    return result;
  }
}

/** One statement of a checked transaction (SqlStore.runSteps). */
export interface CheckedStep {
  readonly statement: Statement;
  readonly expect?: 'rows' | 'changes';
}

/** Thrown inside a transaction to roll it back when a step's expectation fails. */
export class StepFailed extends Error {
  constructor(readonly index: number) {
    super(`step ${index} found nothing`);
  }
}

/** Marker key values, replaced per request in a cached entity statement (never sent to the database). */
const KEY_MARKER = '\u0000tigraph-key\u0000';
const PARENT_MARKER = '\u0000tigraph-parent\u0000';

function normalizeSortValue(v: unknown): SortValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}
