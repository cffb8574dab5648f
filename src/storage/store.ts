/**
 * The store interface every backend implements (SQLite, PostgreSQL). It speaks model terms: query plans in,
 * entity records (model/records.ts) out.
 */
import type { RateBuckets } from './rate-buckets.js';
import type { EntityType, NavigationProperty } from '../model/model.js';
import type { EntityRecord, ParentScope, WriteRecord } from '../model/records.js';
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

/**
 * When a read must end: its database work is cancelled at `at` (epoch ms) and it fails with the catalog's
 * `deadlineExceeded(ms)`. Set per request by the service (ServiceConfig.deadlineMs).
 */
export interface Deadline {
  readonly at: number;
  /** The budget it was made from, for the error message. */
  readonly ms: number;
}

export interface ReadOptions {
  readonly deadline?: Deadline;
  /** Who asked (the client key of its token): reads share the database fairly between clients (fair-share.ts). */
  readonly client?: string;
}

export interface WriteOptions {
  readonly merge?: boolean;
  /** Entities deleted in the same transaction, before the records are written (an import adopting orphans). */
  readonly remove?: { readonly type: EntityType; readonly keys: readonly string[] };
  /**
   * The rows may be staged (a bulk import): held apart and merged into their tables by `mergeStaged`, later and all
   * at once, where the store can write them faster that way (SQLite: sqlite/bulk-staging.ts). Until then no read
   * sees them; a `write` that must follow them (with removals, or of the same tables without `stage`) merges them
   * first. Create, update and remove do not, nor do other connections' writes: staged rows apply after whatever
   * those wrote meanwhile (a row deleted meanwhile can come back with the merge), so a store that serves requests
   * does not stage its import jobs (import-job-queue.ts). A store that does not stage writes the rows at once.
   */
  readonly stage?: boolean;
}

/** A POST: what it creates, and the entity it must find (and hold) to be listed by. */
export interface CreateRequest {
  /**
   * The posted entity and the ones it deep-inserts: each must not exist yet (else `conflict` naming it).
   * Targets of single navigations (artifacts) and `ifAbsent` records are inserted when absent and otherwise
   * only linked: a POST never changes an entity that already exists.
   */
  readonly writes: readonly WriteRecord[];
  /**
   * Index in `writes` of the posted entity itself: it must be new even when its type is also the target of a
   * single navigation elsewhere (a whois record is a host's `whois`, a certificate a host port's), which are
   * otherwise only linked.
   */
  readonly main?: number;
  /** An entity that must exist for the whole transaction (the profile a new indicator is listed by). */
  readonly requires?: { readonly type: EntityType; readonly key: string };
}

export type CreateOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'conflict'; readonly type: EntityType; readonly key: string }
  | { readonly ok: false; readonly reason: 'missingParent' };

/** A PATCH: the columns of the properties and navigations present in `patch` change, in one statement. */
export interface UpdateRequest {
  readonly type: EntityType;
  readonly key: string;
  /** Only when listed by this parent (intelProfiles/{id}/indicators/{key}). */
  readonly scope?: ParentScope;
  /** A partial record: only the properties and navigations it names are written. */
  readonly patch: EntityRecord;
  /** Navigation targets the patch links to, inserted when absent, never overwritten. */
  readonly targets: readonly WriteRecord[];
}

export interface StoreHealth {
  readonly ok: boolean;
  readonly store: string;
  readonly detail: string;
}

export interface Store {
  readonly kind: string;
  findMany(query: CollectionQuery, options?: ReadOptions): Promise<Page>;
  findOne(query: EntityQuery, options?: ReadOptions): Promise<EntityRecord | undefined>;
  count(query: CountQuery, options?: ReadOptions): Promise<number>;
  /** Rows of several tables in ingestion order (src/storage/sql/ingest-time.ts), keyset-paged in SQL. */
  listByIngestion(query: IngestQuery): Promise<IngestRow[]>;
  /**
   * Inserts or replaces the records (targets of single navigations first), in one transaction: all or nothing.
   * With `merge`, existing rows keep the earliest/latest values the model's MERGE_RULES name.
   */
  write(records: readonly WriteRecord[], options?: WriteOptions): Promise<void>;
  /**
   * Merges the rows of the staged writes posted so far (WriteOptions.stage) into their tables, in one transaction,
   * after those writes; resolves when it committed. Closing the store merges them too.
   */
  mergeStaged(): Promise<void>;
  /** Whether `write` stages rows (WriteOptions.stage) at all: SQLite does, PostgreSQL writes them at once. */
  readonly stagesWrites: boolean;
  /**
   * Whether `write` appends records marked `expectNew` faster than it upserts them (PostgreSQL: COPY into the
   * table itself), so that a caller has a reason to track what it needs to mark them. SQLite's upsert of a new
   * key costs what its insert does: false.
   */
  readonly appendsNewKeys: boolean;
  /**
   * How many `write`s a caller may have posted and not yet awaited: >1 where the store runs them one after the
   * other in the order posted (SQLite's writer thread) or where concurrent writes commit in the order they take
   * the ingestion clock (PostgreSQL: a write's rows are stamped, and the clock taken, before any row lock).
   */
  readonly writesInFlight: number;
  /**
   * The same for staged writes (WriteOptions.stage): more where one waits for the store's merge of earlier ones
   * outside the caller's heap (SQLite's writer thread: posted at once, queued serialized), so the caller reads on
   * while the store merges. `intoEmptyStore`: the store held no indicator when the load started (the caller holds
   * no digests of stored keys then, and the merges are what it waits for), where a store may allow more. Equal to
   * writesInFlight where the store does not stage.
   */
  stagedWritesInFlight(intoEmptyStore: boolean): number;
  /**
   * Whether the writes posted and not committed yet hold more than the store lets queue, in bytes (SQLite's writer
   * thread: their rows past its budget for `staged` writes or for direct ones), so that a caller keeping several in
   * flight settles the oldest first, however few they are. False where writes do not queue.
   */
  writeQueueFull(staged: boolean): boolean;
  /**
   * Whether a read sees every write posted before it, settled or not (SQLite's writer thread: every read first
   * waits for them). False on PostgreSQL, where a read runs on another pooled connection: a caller that must read
   * what it wrote settles its posted writes first.
   */
  readonly readsSeeWritesInFlight: boolean;
  /**
   * Deletes the entity of `type` (or a subtype) with `key`, and the entities its collection navigations list
   * (a profile's indicators), in one transaction. False when there was none.
   */
  remove(type: EntityType, key: string): Promise<boolean>;
  /** A POST in one transaction whose outcome does not depend on timing (see CreateRequest). */
  create(request: CreateRequest): Promise<CreateOutcome>;
  /** A PATCH in one transaction: one UPDATE of the named columns; false when the entity is not there (any more). */
  update(request: UpdateRequest): Promise<boolean>;
  /**
   * Every key of the table that holds `type` (its subtypes included), in key order, `pageSize` at a time (keyset
   * paged: one index-only range read per page). A bulk import reads them once so that it looks up only the keys the
   * store may hold (write-batch.ts).
   */
  keys(type: EntityType, pageSize?: number): AsyncIterable<readonly string[]>;
  /** True when no entity of any stored type exists. */
  isEmpty(): Promise<boolean>;
  /**
   * A random 32-byte secret named `name`, created on first use and kept in the store, so every process on one
   * database gets the same one and it survives restarts (the `$skiptoken` MAC key).
   */
  secret(name: string): Promise<Buffer>;
  /**
   * Drops the secondary (`ix_`) indexes of the tables holding `types` (not the partial ones: a row outside
   * their predicate costs them nothing), for a bulk load into empty tables; the
   * returned function builds them again (one sorted pass each, much cheaper than maintaining them row by row).
   * Queries stay correct meanwhile, only slower; a process killed in between leaves the rebuild to the next
   * start's migration, which creates every derived index that is missing.
   */
  dropSecondaryIndexes(types: readonly EntityType[]): Promise<() => Promise<void>>;
  /** The aliases imports harvested from free text, by profile id (lower case): see HARVESTED_ALIASES_TABLE. */
  harvestedAliases(): Promise<Map<string, Set<string>>>;
  /** Records harvested (profile id, lower-case alias) pairs and forgets others (a curated source named them), in one transaction. */
  noteHarvestedAliases(add: readonly (readonly [string, string])[], remove: readonly (readonly [string, string])[]): Promise<void>;
  /** Throttling buckets: in memory for one process, shared by every process on PostgreSQL. */
  readonly rateBuckets: RateBuckets;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export type { NavigationProperty };
