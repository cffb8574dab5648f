/**
 * Bulk import over HTTP, as a bound action with a pollable job:
 *
 *   POST /{v1.0|beta}/security/threatIntelligence/microsoft.graph.security.import[?format=&profile=&source=&strict=&name=]
 *        body: any import format — application/json (STIX 2.1 bundle, MISP event or galaxy), text/csv (Microsoft
 *        IOC CSV), text/plain (IOC list; CSV detected by its header line). Requires ThreatIntelligence.ReadWrite.All.
 *   → 202 Accepted, the job entity, `Location: …/security/threatIntelligence/importJobs/{id}`
 *   GET  /{v1.0|beta}/security/threatIntelligence/importJobs/{id}   → the job (404 when unknown)
 *   GET  /{v1.0|beta}/security/threatIntelligence/importJobs        → the jobs still held, newest first
 *
 * Query options mirror `tigraph import`: format (stix|misp|mstic-csv|ioc-list; default detected), profile (attach
 * every indicator to this profile), source (microsoft|osint|public), strict (true: any rejected record aborts the
 * job with nothing written; the job then fails), name (the file name the body stands for: an IOC list names its
 * profile after it, as `apt_kimsuky.txt` → kimsuky; an IOC list needs `profile` or `name`).
 *
 * Checked before a job is created (Graph 4xx): the options, the media type (415), an empty body, a JSON body that
 * does not parse (400 naming the position JSON.parse reports) or is neither a STIX bundle nor a MISP document.
 * Malformed records inside a well-formed body do not fail the job: they are counted in `summary.rejected` with
 * their positions (`object 3`, `line 7`), exactly like the CLI's summary.
 *
 * Jobs: the body (at most the listener's maxBodyBytes, 16 MiB by default) is spooled to a temporary file (the
 * readers stream it, in two passes) and imported by the same engine as `tigraph import` (src/import/run-import.ts),
 * one job at a time in this process, in arrival order. Status notStarted → running → succeeded | failed (failed:
 * --strict found rejects, the format was not recognized, or the import threw; `error` says why). Jobs live in
 * memory only — they do NOT survive a restart (the data they wrote does) — and the last MAX_JOBS are kept.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { errors } from '../errors/catalog.js';
import { ODataError } from '../errors/odata-error.js';
import { FORMATS, type ImportFormat } from '../import/detect-format.js';
import { runImport, type ImportSummary, type ReasonCount } from '../import/run-import.js';
import { SOURCES, type IndicatorSourceName } from '../import/types.js';
import type { Model } from '../model/model.js';
import type { Store } from '../storage/store.js';

/** A request body read as bytes (the import action takes any format, not only JSON). */
export interface RawBody {
  readonly kind: 'raw';
  /** Media type, lower case, without parameters ('' when absent). */
  readonly contentType: string;
  readonly bytes: Buffer;
}

const ACTION = /^\/(v1\.0|beta)\/security\/threatintelligence\/(?:microsoft\.graph\.security\.)?import\/?$/i;
const JOBS = /^\/(v1\.0|beta)\/security\/threatintelligence\/importjobs(?:\/([^/()]+)|\('([^']+)'\))?\/?$/i;

/** True for the import action's path: the listener reads that route's body as bytes. */
export const isImportActionPath = (path: string): boolean => ACTION.test(safeDecode(path));

const MAX_JOBS = 100;
const JSON_TYPES = new Set(['application/json', 'application/stix+json', 'application/taxii+json', 'application/misp+json']);
const TEXT_TYPES = new Set(['text/csv', 'text/plain']);
const JOB_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export type JobStatus = 'notStarted' | 'running' | 'succeeded' | 'failed';

interface Job {
  readonly id: string;
  status: JobStatus;
  readonly createdDateTime: string;
  completedDateTime: string | null;
  readonly format: ImportFormat | undefined;
  summary: ImportSummary | undefined;
  error: string | undefined;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const reasons = (m: Map<string, ReasonCount>): { count: number; reasons: { reason: string; count: number; positions: string[] }[] } => ({
  count: [...m.values()].reduce((n, r) => n + r.count, 0),
  reasons: [...m].sort((a, b) => b[1].count - a[1].count).map(([reason, r]) => ({ reason, count: r.count, positions: r.positions })),
});

function jobJson(job: Job): Record<string, unknown> {
  const s = job.summary;
  return {
    id: job.id,
    status: job.status,
    createdDateTime: job.createdDateTime,
    completedDateTime: job.completedDateTime,
    format: s?.files[0]?.format ?? job.format ?? null,
    summary: s
      ? {
          profiles: s.profiles,
          indicators: s.indicators,
          mergedInBatch: s.mergedInBatch,
          batches: s.batches,
          aborted: s.aborted,
          skipped: reasons(s.skipped),
          rejected: reasons(s.rejected),
          elapsedMs: s.elapsedMs,
        }
      : null,
    error: job.error ?? null,
  };
}

/** The import action and its jobs; `handle` answers the routes above and returns undefined for any other. */
export class ImportJobs {
  private readonly jobs = new Map<string, Job>();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly model: Model,
    private readonly store: Store,
  ) {}

  async handle(req: { method: string; path: string; query: string; origin: string; body?: unknown }): Promise<{ status: number; headers: Record<string, string>; body: string } | undefined> {
    const path = safeDecode(req.path);
    const action = ACTION.exec(path);
    const jobs = action ? undefined : JOBS.exec(path);
    if (!action && !jobs) return undefined;
    const version = (action ?? jobs)![1]!.toLowerCase() === 'beta' ? 'beta' : 'v1.0';
    const root = `${req.origin}/${version}/security/threatIntelligence`;
    const json = (status: number, body: unknown, extra: Record<string, string> = {}) => ({
      status,
      headers: { 'Content-Type': JOB_CONTENT_TYPE, 'OData-Version': '4.0', ...extra },
      body: JSON.stringify(body),
    });
    if (jobs) {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotAllowed(req.method, ['GET', 'HEAD']);
      const id = jobs[2] ?? jobs[3];
      if (id === undefined) return json(200, { value: [...this.jobs.values()].reverse().map(jobJson) });
      const job = this.jobs.get(id);
      if (!job) throw errors.resourceNotFound('importJob', id);
      return json(200, jobJson(job));
    }
    if (req.method !== 'POST') throw errors.methodNotAllowed(req.method, ['POST']);
    const job = await this.submit(req.query, req.body);
    return json(202, jobJson(job), { Location: `${root}/importJobs/${job.id}` });
  }

  /** Validates the request, creates the job and queues it. */
  private async submit(query: string, body: unknown): Promise<Job> {
    const params = new URLSearchParams(query);
    const opt = (name: string): string | undefined => {
      const v = params.get(name);
      return v === null || v === '' ? undefined : v;
    };
    const format = opt('format');
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) throw badOption('format', `one of ${FORMATS.join(', ')}`);
    const source = opt('source');
    if (source !== undefined && !(SOURCES as readonly string[]).includes(source)) throw badOption('source', `one of ${SOURCES.join(', ')}`);
    const strict = opt('strict');
    if (strict !== undefined && strict !== 'true' && strict !== 'false') throw badOption('strict', 'true or false');
    const profile = opt('profile');
    const name = opt('name');
    if (name !== undefined && (basename(name) !== name || name.startsWith('.') || name.length > 200)) throw badOption('name', 'a plain file name');

    if (!isRawBody(body)) throw errors.invalidBody('no body');
    if (!JSON_TYPES.has(body.contentType) && !TEXT_TYPES.has(body.contentType)) {
      throw new ODataError(415, 'UnsupportedMediaType', `Content-Type '${body.contentType || '(none)'}' is not supported; send application/json (STIX 2.1, MISP), text/csv or text/plain.`);
    }
    if (body.bytes.length === 0) throw errors.invalidBody('the body is empty');
    let detected: ImportFormat | undefined = format as ImportFormat | undefined;
    if (JSON_TYPES.has(body.contentType)) {
      let doc: unknown;
      try {
        doc = JSON.parse(body.bytes.toString('utf8').replace(/^\uFEFF/, ''));
      } catch (e) {
        throw errors.invalidBody(`not valid JSON (${(e as Error).message})`);
      }
      if (!detected) {
        detected = jsonFormat(doc);
        if (!detected) throw errors.invalidBody('a JSON body must be a STIX 2.1 bundle or a MISP event, feed event or galaxy (or name ?format=)');
      }
    } else if (!detected) {
      detected = body.contentType === 'text/csv' || /(^|,)\s*"?IoC"?\s*(,|$)/i.test(firstLine(body.bytes)) ? 'mstic-csv' : 'ioc-list';
    }
    if (detected === 'ioc-list' && profile === undefined && name === undefined) {
      throw errors.invalidBody('an IOC list names no profile: add ?profile=<title> or ?name=<file name> (apt_<group>.txt names the group)');
    }

    const job: Job = { id: randomUUID(), status: 'notStarted', createdDateTime: new Date().toISOString(), completedDateTime: null, format: detected, summary: undefined, error: undefined };
    this.jobs.set(job.id, job);
    this.evict();
    const dir = await mkdtemp(join(tmpdir(), 'tigraph-import-job-'));
    const file = join(dir, name ?? `body.${detected === 'mstic-csv' ? 'csv' : detected === 'ioc-list' ? 'txt' : 'json'}`);
    await writeFile(file, body.bytes);
    const options = {
      ...(profile !== undefined ? { profile } : {}),
      ...(source !== undefined ? { source: source as IndicatorSourceName } : {}),
      strict: strict === 'true',
      format: detected,
    };
    this.tail = this.tail.then(() => this.run(job, file, options)).finally(() => rm(dir, { recursive: true, force: true }));
    return job;
  }

  private async run(job: Job, file: string, options: { profile?: string; source?: IndicatorSourceName; strict: boolean; format: ImportFormat }): Promise<void> {
    job.status = 'running';
    try {
      const summary = await runImport({ store: this.store, model: this.model, inputs: [file], ...options });
      job.summary = summary;
      if (summary.aborted) job.error = 'strict: rejected records found; nothing was written';
      else if (summary.rejected.has('format not recognized (use --format)')) job.error = 'format not recognized (use ?format=)';
      else if ([...summary.rejected.keys()].some((r) => r.startsWith('read error'))) job.error = 'the body could not be read to the end';
      job.status = job.error ? 'failed' : 'succeeded';
    } catch (e) {
      job.status = 'failed';
      job.error = (e as Error).message;
    } finally {
      job.completedDateTime = new Date().toISOString();
    }
  }

  /** Keeps the last MAX_JOBS jobs (finished ones are dropped first, oldest first). */
  private evict(): void {
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= MAX_JOBS) return;
      if (j.status === 'succeeded' || j.status === 'failed') this.jobs.delete(id);
    }
  }

  /** Resolves when every queued job has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.tail.catch(() => undefined);
  }
}

const badOption = (name: string, expected: string): ODataError => new ODataError(400, 'BadRequest', `Invalid value for query option '${name}': expected ${expected}.`, { target: name });

function isRawBody(b: unknown): b is RawBody {
  return typeof b === 'object' && b !== null && (b as RawBody).kind === 'raw' && Buffer.isBuffer((b as RawBody).bytes);
}

function firstLine(bytes: Buffer): string {
  const head = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
  return head.split(/\r?\n/, 1)[0] ?? '';
}

/** stix for a bundle (or anything with an objects array), misp for an event, feed event or galaxy. */
function jsonFormat(doc: unknown): ImportFormat | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const o = doc as Record<string, unknown>;
  if (o['type'] === 'bundle' || Array.isArray(o['objects'])) return 'stix';
  if ('Event' in o || 'Attribute' in o || Array.isArray(o['values'])) return 'misp';
  return undefined;
}
