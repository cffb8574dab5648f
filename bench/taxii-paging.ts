/**
 * TAXII paging cost: a collection of 100k indicators (bench/generate-data.ts, SQLite) paged through
 * `GET /taxii2/api/collections/all/objects/?limit=100` to the end, then the first and the last page timed again
 * (median of repeated runs, same process, same store), and page 101 (an indicator page near the start: the first
 * pages hold identities and profiles, a different mix of objects). Reported as ratios last/first and last/page 101:
 * keyset paging on the ingestion time keeps the cost from growing with depth.
 *
 * Run: npm run build && node dist/bench/taxii-paging.js [rows]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL } from '../src/model/model.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { createTaxiiService, type TaxiiRequest } from '../src/taxii/handle-taxii-request.js';
import { generateDataset } from './generate-data.js';

const rows = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'tigraph-taxii-bench-'));
try {
  const data = await generateDataset({ filename: join(dir, 'bench.sqlite'), rows });
  const store = new SqliteStore(MODEL, { filename: data.filename });
  const taxii = createTaxiiService({ store, model: MODEL, maxContentLength: 1 << 24 });
  const path = '/taxii2/api/collections/all/objects/';
  const request = (next: string | undefined): TaxiiRequest => ({ method: 'GET', path, query: `limit=100${next ? `&next=${next}` : ''}`, origin: 'http://bench', canRead: true, canWrite: false });

  let next: string | undefined;
  let lastCursor: string | undefined;
  /** The cursor of page 101: an indicator page near the start. */
  let earlyCursor: string | undefined;
  let pages = 0;
  let objects = 0;
  const walkStart = process.hrtime.bigint();
  do {
    lastCursor = next;
    if (pages === 100) earlyCursor = next;
    const body = JSON.parse((await taxii(request(next))).body) as { objects?: unknown[]; next?: string };
    objects += body.objects?.length ?? 0;
    next = body.next;
    pages++;
  } while (next);
  const walkMs = Number(process.hrtime.bigint() - walkStart) / 1e6;

  const median = async (cursor: string | undefined): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = process.hrtime.bigint();
      await taxii(request(cursor));
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1]!;
  };
  /** Distinct profiles the page's `indicates` relationships point at (each costs one profile lookup). */
  const profilesOn = async (cursor: string | undefined): Promise<number> => {
    const body = JSON.parse((await taxii(request(cursor))).body) as { objects: { relationship_type?: string; target_ref?: string }[] };
    return new Set(body.objects.filter((o) => o.relationship_type === 'indicates').map((o) => o.target_ref)).size;
  };
  await median(undefined); // warm-up
  const first = await median(undefined);
  const early = await median(earlyCursor);
  const last = await median(lastCursor);
  console.log(`TAXII paging over ${rows} indicators: ${objects} objects in ${pages} pages of 100 (walk ${walkMs.toFixed(0)} ms)`);
  console.log(`first page median ${first.toFixed(2)} ms, page 101 median ${early.toFixed(2)} ms, last page (${pages}) median ${last.toFixed(2)} ms`);
  console.log(`profile lookups per page: first ${await profilesOn(undefined)}, page 101 ${await profilesOn(earlyCursor)}, last ${await profilesOn(lastCursor)}`);
  console.log(`ratio last/first ${(last / first).toFixed(2)}, ratio last/page 101 ${(last / early).toFixed(2)} (same kind of content: indicator pages)`);
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
