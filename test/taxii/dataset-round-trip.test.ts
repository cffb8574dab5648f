/**
 * The STIX sample bundles in ../shared/datasets/stix round-trip import → TAXII → import unchanged: each is imported
 * into an empty store, every object of the `all` collection is read through the TAXII service page by page, the
 * objects are imported into a second empty store as one bundle, and both stores export byte-identical STIX
 * bundles (the exporter is deterministic, so this compares every profile, indicator and artifact). Every served
 * object also passes the STIX 2.1 checks. Skips loudly when the datasets are absent.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportStix } from '../../src/export/export-stix.js';
import { MODEL } from '../../src/model/model.js';
import type { Store } from '../../src/storage/store.js';
import { createTaxiiService } from '../../src/taxii/handle-taxii-request.js';
import { datasetSkip, ds, importInto, memoryStore } from '../import/helpers.js';
import { stixProblems } from './stix-rules.js';

if (datasetSkip) console.warn(`SKIPPING the TAXII dataset round trip: ${datasetSkip}`);

async function exported(store: Store): Promise<string> {
  let text = '';
  for await (const chunk of exportStix({ store, model: MODEL })) text += chunk;
  return text;
}

/** The objects of an exported bundle that TAXII serves (all but reports, their article indicators, vulnerabilities). */
const servedKinds = (bundle: string): any[] =>
  (JSON.parse(bundle).objects as any[]).filter((o) => o.type !== 'report' && o.type !== 'vulnerability' && o.x_tigraph_article === undefined);

async function served(store: Store): Promise<any[]> {
  const taxii = createTaxiiService({ store, model: MODEL, maxContentLength: 1 << 20 });
  const objects: any[] = [];
  let next: string | undefined;
  do {
    const r = await taxii({ method: 'GET', path: '/taxii2/api/collections/all/objects/', query: `limit=7${next ? `&next=${next}` : ''}`, origin: 'http://test', canRead: true, canWrite: false });
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as { objects?: any[]; next?: string };
    objects.push(...(body.objects ?? []));
    next = body.next;
  } while (next);
  return objects;
}

describe('datasets: import → TAXII → import', { skip: datasetSkip }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tigraph-taxii-datasets-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const name of ['apt1.json', 'indicator-for-c2-ip-address.json', 'indicators-for-C2-with-COA.json']) {
    it(`stix/${name} comes back unchanged`, async () => {
      const a = memoryStore();
      const b = memoryStore();
      try {
        await importInto(a, [ds('stix', name)]);
        const objects = await served(a);
        assert.ok(objects.some((o) => o.type === 'indicator'), 'the dataset has indicators');
        assert.equal(new Set(objects.map((o) => o.id)).size, objects.length, 'no duplicates');
        for (const o of objects) assert.deepEqual(stixProblems(o), [], o.id);
        const file = join(dir, name);
        await writeFile(file, JSON.stringify({ type: 'bundle', id: 'bundle--6b1f0f43-0a4e-4a7b-9d2c-2f2a3e6d7c10', objects }));
        await importInto(b, [file]);
        // TAXII serves profiles and their indicators: the export of what it served is the export of the store
        // without the articles (reports and their indicators) and vulnerabilities, which TAXII does not serve.
        assert.deepEqual(servedKinds(await exported(b)), servedKinds(await exported(a)));
        assert.deepEqual(servedKinds(await exported(b)), JSON.parse(await exported(b)).objects);
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
});
