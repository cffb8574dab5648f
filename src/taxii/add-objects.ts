/**
 * `POST …/collections/{id}/objects/`: the envelope's objects go through the STIX importer (src/import, its
 * public entry point runImport) as one import job, attached to the collection's profile or source; the answer is
 * a TAXII status resource, kept in memory for `GET /taxii2/api/status/{id}/`. The import runs before the answer
 * (the status is `complete` when it is first returned); per-object failures carry the importer's reason.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '../errors/catalog.js';
import { runImport } from '../import/run-import.js';
import type { IndicatorSourceName } from '../import/types.js';
import type { Model } from '../model/model.js';
import { PROFILE } from '../model/names.js';
import type { Store } from '../storage/store.js';
import type { TaxiiCollection } from './taxii-collections.js';

export interface TaxiiStatus {
  readonly id: string;
  readonly status: 'pending' | 'complete';
  readonly request_timestamp: string;
  readonly total_count: number;
  readonly success_count: number;
  readonly successes: { id: string; version?: string }[];
  readonly failure_count: number;
  readonly failures: { id: string; version?: string; message: string }[];
  readonly pending_count: number;
  readonly pendings: { id: string }[];
}

/** Statuses kept (oldest dropped first). */
const MAX_STATUSES = 1000;

export class ObjectAdder {
  private readonly statuses = new Map<string, TaxiiStatus>();

  constructor(
    private readonly store: Store,
    private readonly model: Model,
  ) {}

  status(id: string): TaxiiStatus {
    const s = this.statuses.get(id);
    if (!s) throw errors.taxiiNotFound(`Status '${id}'`);
    return s;
  }

  async add(c: TaxiiCollection, bodyText: string): Promise<TaxiiStatus> {
    let envelope: unknown;
    try {
      envelope = JSON.parse(bodyText);
    } catch (e) {
      throw errors.taxiiBadParameter('body', `not valid JSON (${(e as Error).message})`);
    }
    const objects = (envelope as { objects?: unknown })?.objects;
    if (typeof envelope !== 'object' || envelope === null || !Array.isArray(objects)) throw errors.taxiiBadParameter('body', 'not a TAXII envelope ({"objects": [...]})');
    const requested = new Date().toISOString();
    const dir = await mkdtemp(join(tmpdir(), 'tigraph-taxii-add-'));
    let summary;
    try {
      const file = join(dir, 'envelope.json');
      await writeFile(file, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects }));
      summary = await runImport({
        store: this.store,
        model: this.model,
        inputs: [file],
        format: 'stix',
        ...(c.profile ? { profile: String(c.profile.values[PROFILE.p.title]) } : {}),
        ...(c.identitySource ? { source: c.identitySource as IndicatorSourceName } : {}),
        maxPositions: objects.length,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const idOf = (i: number): { id: string; version?: string } => {
      const o = objects[i] as { id?: unknown; modified?: unknown } | undefined;
      return { id: typeof o?.id === 'string' ? o.id : `objects[${i}]`, ...(typeof o?.modified === 'string' ? { version: o.modified } : {}) };
    };
    const failed = new Map<number, string>();
    for (const [reason, { positions }] of summary.rejected) {
      for (const p of positions) {
        const m = /object (\d+)/.exec(p);
        if (m) failed.set(Number(m[1]), reason);
      }
    }
    const failures = [...failed].sort((a, b) => a[0] - b[0]).map(([i, message]) => ({ ...idOf(i), message }));
    const successes = objects.map((_, i) => i).filter((i) => !failed.has(i)).map(idOf);
    const status: TaxiiStatus = {
      id: randomUUID(),
      status: 'complete',
      request_timestamp: requested,
      total_count: objects.length,
      success_count: successes.length,
      successes,
      failure_count: failures.length,
      failures,
      pending_count: 0,
      pendings: [],
    };
    this.statuses.set(status.id, status);
    if (this.statuses.size > MAX_STATUSES) this.statuses.delete(this.statuses.keys().next().value!);
    return status;
  }
}
