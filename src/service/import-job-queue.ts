/**
 * The import job queue: jobs created by the import action run one at a time per process, in arrival order, with
 * the same engine as `tigraph import`. Every job is an `importJob` entity in the store, so `GET …/importJobs` and
 * `…/importJobs/{id}` are ordinary reads (paging, `$filter`, `$select`), jobs survive a restart, and every process
 * on one PostgreSQL store sees every job.
 *
 * - Bounded: at most `capacity` jobs queued or running in this process; one more is a 503 with Retry-After.
 * - Ids are time-ordered (UUID version 7), so the set's descending key order lists the newest job first.
 * - A queued or running job refreshes `lastUpdatedDateTime` while it runs; one whose refresh is older than
 *   `staleAfterMs` belongs to a server that stopped, and is marked `interrupted` when a queue starts and at every
 *   heartbeat after (the whole batches it wrote stay written). A graceful stop marks this process's unfinished jobs the same way.
 * - Job errors are sentences for the caller; what an import threw that is not a Graph error goes to the log
 *   with the job id, never into the job (no database text leaks).
 * - Spooled bodies are deleted when their job ends and when the queue closes.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { errors } from '../errors/catalog.js';
import { ODataError } from '../errors/odata-error.js';
import type { ImportFormat } from '../import/detect-format.js';
import { IMPORT_FAILURES, type ImportFailure, type ImportSummary, type ReasonCount } from '../import/import-summary.js';
import { runImport, type ImportOptions } from '../import/run-import.js';
import type { IndicatorSourceName } from '../import/types.js';
import type { EnumType, Model } from '../model/model.js';
import { IMPORT_JOB, IMPORT_JOB_STATUS, SETS } from '../model/names.js';
import type { EntityRecord } from '../model/records.js';
import { bindQueryOptions } from '../odata/bind/bind-query-options.js';
import { DEFAULT_LIMITS } from '../odata/limits/query-limits.js';
import { planCollection } from '../odata/plan/build-query-plan.js';
import type { Store } from '../storage/store.js';

export type JobStatus = keyof typeof IMPORT_JOB_STATUS.m;

export interface JobRequest {
  /** The spooled body; removed when the job ends. */
  readonly file: string;
  /** The temporary directory holding it (removed with it). */
  readonly dir: string;
  readonly format: ImportFormat;
  readonly profile?: string;
  readonly source?: IndicatorSourceName;
  /** X.509: the host (and port) the certificates were observed on (`tigraph import --host`). */
  readonly host?: string;
  readonly strict: boolean;
}

/** Runs one job's import against the queue's store (default: here, with runImport; the server may use a thread). */
export type ImportRunner = (options: Omit<ImportOptions, 'store' | 'model'>) => Promise<ImportSummary>;

export interface ImportJobQueueOptions {
  readonly capacity: number;
  readonly staleAfterMs: number;
  readonly heartbeatMs: number;
  readonly logger?: Logger;
  readonly runner?: ImportRunner;
  /** Called once a job has ended and its final state is saved (the audit log records it). */
  readonly onFinished?: (finished: FinishedJob) => void;
}

export interface FinishedJob {
  readonly jobId: string;
  readonly status: 'succeeded' | 'failed';
  readonly indicators?: { readonly created: number; readonly updated: number; readonly unchanged: number };
  readonly profiles?: { readonly created: number; readonly updated: number; readonly unchanged: number };
  readonly rejected?: number;
  readonly skipped?: number;
}

export const DEFAULT_QUEUE_OPTIONS: ImportJobQueueOptions = { capacity: 8, staleAfterMs: 120_000, heartbeatMs: 10_000 };

const RETRY_AFTER_SECONDS = 5;

/** A time-ordered UUID (RFC 9562 version 7): 48 bits of epoch ms, then random bits. */
export function timeOrderedId(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const reasons = (m: ReadonlyMap<string, ReasonCount>) => ({
  count: [...m.values()].reduce((n, r) => n + r.count, 0),
  reasons: [...m].sort((a, b) => b[1].count - a[1].count).map(([reason, r]) => ({ reason, count: r.count, positions: r.positions })),
});

function summaryValue(s: ImportSummary): Record<string, unknown> {
  return {
    profiles: s.profiles,
    indicators: s.indicators,
    mergedInBatch: s.mergedInBatch,
    hostsFromUrls: s.hostsFromUrls,
    orphansAdopted: s.orphansAdopted,
    keptUnderProfile: s.keptUnderProfile,
    files: s.files.map((f) => ({ format: f.format ?? null, profiles: f.profiles, withoutProfile: f.withoutProfile })),
    entities: [...s.entities].sort(([a], [b]) => a.localeCompare(b)).map(([type, c]) => ({ type, created: c.created, updated: c.updated, unchanged: c.unchanged })),
    batches: s.batches,
    aborted: s.aborted,
    skipped: reasons(s.skipped),
    rejected: reasons(s.rejected),
    elapsedMs: s.elapsedMs,
  };
}

/** Why a finished import failed, or undefined when it succeeded. */
const FAILURE_MESSAGES: Readonly<Record<ImportFailure, string>> = {
  strictAborted: 'strict: rejected records found; nothing was written',
  profileInvalid: 'profile: the name cannot be a profile (see the summary); nothing was imported',
  formatUnrecognized: 'format not recognized (use ?format=)',
  readError: 'the body could not be read to the end',
};

/** Why a finished import failed (the first failure in IMPORT_FAILURES order), or undefined when it succeeded. */
function failureOf(s: ImportSummary): string | undefined {
  const failure = IMPORT_FAILURES.find((f) => s.failures.has(f));
  return failure ? FAILURE_MESSAGES[failure] : undefined;
}

interface Job {
  readonly id: string;
  readonly createdDateTime: number;
  readonly request: JobRequest;
  status: JobStatus;
  /** The job's writes, in order: a heartbeat never lands after the final state. */
  saving: Promise<void>;
}

export class ImportJobQueue {
  private readonly pending: Job[] = [];
  private running: Job | undefined;
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  /** The sweep for other processes' stale jobs in progress (beat), if any. */
  private sweeping: Promise<void> | undefined;
  private readonly statusType: EnumType;

  private constructor(
    private readonly model: Model,
    private readonly store: Store,
    private readonly options: ImportJobQueueOptions,
  ) {
    const t = model.type(IMPORT_JOB_STATUS.qualifiedName);
    if (!t || t.kind !== 'enum') throw new Error(`import jobs: the model has no enum ${IMPORT_JOB_STATUS.qualifiedName}`);
    this.statusType = t;
  }

  /** A queue over the store; jobs left unfinished by a stopped server are marked interrupted first. */
  static async open(model: Model, store: Store, options: Partial<ImportJobQueueOptions> = {}): Promise<ImportJobQueue> {
    const queue = new ImportJobQueue(model, store, { ...DEFAULT_QUEUE_OPTIONS, ...options });
    await queue.interruptStale(Date.now() - queue.options.staleAfterMs);
    queue.heartbeat = setInterval(() => queue.beat(), queue.options.heartbeatMs);
    queue.heartbeat.unref();
    return queue;
  }

  private status(name: JobStatus): number {
    return this.statusType.memberByAnyName(name)!.value;
  }

  private record(job: Job, status: JobStatus, now: number, extra: { summary?: ImportSummary; error?: string; completed?: boolean } = {}): EntityRecord {
    const type = this.model.entityType(IMPORT_JOB.qualifiedName);
    return {
      kind: 'record',
      type,
      values: {
        [IMPORT_JOB.p.id]: job.id,
        [IMPORT_JOB.p.status]: this.status(status),
        [IMPORT_JOB.p.createdDateTime]: job.createdDateTime,
        [IMPORT_JOB.p.completedDateTime]: extra.completed ? now : null,
        [IMPORT_JOB.p.lastUpdatedDateTime]: now,
        [IMPORT_JOB.p.format]: job.request.format,
        [IMPORT_JOB.p.summary]: extra.summary ? summaryValue(extra.summary) : null,
        [IMPORT_JOB.p.error]: extra.error ?? null,
      },
      navigations: {},
    };
  }

  private save(job: Job, status: JobStatus, extra?: { summary?: ImportSummary; error?: string; completed?: boolean }): Promise<void> {
    job.status = status;
    const write = job.saving.then(() => this.store.write([{ record: this.record(job, status, Date.now(), extra) }]));
    job.saving = write.catch(() => undefined);
    return write;
  }

  /**
   * Refreshes lastUpdatedDateTime of this process's queued and running jobs, so no other process takes them for
   * stale, and marks the stale jobs of others interrupted: a server killed and restarted within `staleAfterMs`
   * found its old jobs still fresh when its queue opened, and they stayed 'running' for ever.
   */
  private beat(): void {
    for (const job of [...this.pending, ...(this.running ? [this.running] : [])]) {
      if (job.status === IMPORT_JOB_STATUS.m.notStarted || job.status === 'running') void this.save(job, job.status).catch((err: unknown) => this.options.logger?.warn({ jobId: job.id, err }, 'import job heartbeat not saved'));
    }
    this.sweeping ??= this.interruptStale(Date.now() - this.options.staleAfterMs)
      .catch((err: unknown) => this.options.logger?.warn({ err }, 'stale import jobs not marked interrupted'))
      .finally(() => (this.sweeping = undefined));
  }

  /** Creates the job (stored as notStarted) and queues it; 503 when the queue is full. Returns the job's id. */
  async submit(request: JobRequest): Promise<string> {
    if (this.closed) throw errors.serviceUnavailable('the server is stopping', RETRY_AFTER_SECONDS);
    if (this.pending.length + (this.running ? 1 : 0) >= this.options.capacity) throw errors.importQueueFull(this.options.capacity, RETRY_AFTER_SECONDS);
    const now = Date.now();
    const job: Job = { id: timeOrderedId(now), createdDateTime: now, request, status: IMPORT_JOB_STATUS.m.notStarted, saving: Promise.resolve() };
    this.pending.push(job);
    try {
      await this.save(job, IMPORT_JOB_STATUS.m.notStarted);
    } catch (e) {
      this.pending.splice(this.pending.indexOf(job), 1);
      throw e;
    }
    this.tail = this.tail.then(() => this.run(job));
    return job.id;
  }

  private async run(job: Job): Promise<void> {
    this.pending.splice(this.pending.indexOf(job), 1);
    if (this.closed) return;
    this.running = job;
    const { request } = job;
    try {
      await this.save(job, 'running');
      const run: ImportRunner = this.options.runner ?? ((o) => runImport({ ...o, store: this.store, model: this.model }));
      const summary = await run({
        inputs: [request.file],
        format: request.format,
        strict: request.strict,
        ...(request.profile !== undefined ? { profile: request.profile } : {}),
        ...(request.source !== undefined ? { source: request.source } : {}),
        ...(request.host !== undefined ? { host: request.host } : {}),
        // A server's jobs write as they go: other clients write the same tables meanwhile, and a staged merge
        // would apply the job's rows after theirs (a profile deleted meanwhile would come back with it).
        stage: 'never',
      });
      const error = failureOf(summary);
      await this.save(job, error ? 'failed' : 'succeeded', { summary, ...(error ? { error } : {}), completed: true });
      const { created, updated, unchanged } = summary.indicators;
      let rejected = 0;
      let skipped = 0;
      for (const r of summary.rejected.values()) rejected += r.count;
      for (const r of summary.skipped.values()) skipped += r.count;
      this.options.onFinished?.({ jobId: job.id, status: error ? 'failed' : 'succeeded', indicators: { created, updated, unchanged }, profiles: { ...summary.profiles }, rejected, skipped });
    } catch (e) {
      const error = e instanceof ODataError ? e.message : 'the import failed with an internal error; the server log has the details under this job id';
      if (!(e instanceof ODataError)) this.options.logger?.error({ jobId: job.id, err: e }, 'import job failed');
      await this.save(job, 'failed', { error, completed: true }).catch((err: unknown) => this.options.logger?.error({ jobId: job.id, err }, 'import job state not saved'));
      this.options.onFinished?.({ jobId: job.id, status: 'failed' });
    } finally {
      this.running = undefined;
      await rm(request.dir, { recursive: true, force: true });
    }
  }

  /** Marks queued or running jobs not refreshed since `before` (epoch ms) as interrupted. */
  private async interruptStale(before: number): Promise<void> {
    const type = this.model.entityType(IMPORT_JOB.qualifiedName);
    const set = this.model.entitySet(SETS.importJobs)!;
    const filter = `(${IMPORT_JOB.p.status} eq '${IMPORT_JOB_STATUS.m.notStarted}' or ${IMPORT_JOB.p.status} eq '${IMPORT_JOB_STATUS.m.running}') and ${IMPORT_JOB.p.lastUpdatedDateTime} lt ${new Date(before).toISOString()}`;
    const options = bindQueryOptions(`$filter=${encodeURIComponent(filter)}`, {
      model: this.model,
      type,
      isCollection: true,
      where: set.name,
      strict: false,
      includeUnknownEnumMembers: false,
      limits: DEFAULT_LIMITS,
    });
    const resource = { kind: 'collection', set, type, parent: undefined, count: false, contextPath: set.name } as const;
    // Each pass rewrites the jobs it found, so they leave the filter; the bound only guards against a store that
    // would not take the write.
    for (let pass = 0; pass < 10_000; pass++) {
      const { query } = planCollection(resource, options, { defaultPageSize: 500, maxPageSize: 500 }, () => '');
      const page = await this.store.findMany(query);
      if (page.records.length === 0) return;
      await this.store.write(
        page.records.map((r) => ({
          record: {
            ...r,
            values: { ...r.values, [IMPORT_JOB.p.status]: this.status('interrupted'), [IMPORT_JOB.p.completedDateTime]: Date.now(), [IMPORT_JOB.p.error]: 'interrupted: the server stopped while the job was queued or running; whole batches written before were kept' },
          },
        })),
      );
    }
  }

  /** Resolves when every queued job has finished (tests). */
  idle(): Promise<void> {
    return this.tail.catch(() => undefined);
  }

  /** Stops taking jobs, marks this process's unfinished ones interrupted and removes their spooled bodies. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    await this.sweeping;
    const unfinished = [...this.pending, ...(this.running ? [this.running] : [])];
    for (const job of unfinished) {
      await this.save(job, 'interrupted', { error: 'interrupted: the server stopped while the job was queued or running; whole batches written before were kept', completed: true }).catch(() => undefined);
      await rm(job.request.dir, { recursive: true, force: true });
    }
  }
}
