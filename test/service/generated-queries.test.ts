/**
 * Property-based (fast-check): generated OData queries (test/support/generated-odata.ts) through the whole service
 * pipeline — parse, bind, limits, plan, SQL, serialize — on a real store seeded with the demo data. Every answer is
 * a Graph 2xx or 4xx: never a 500, a thrown JavaScript error or a hang. 6,000 cases per run, with a fixed seed per
 * run printed on failure (fast-check's report) so a failure reproduces.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MODEL } from '../../src/model/model.js';
import { collectionQuery, filterExpression } from '../support/generated-odata.js';
import { createServiceHarness, type ServiceHarness } from './service-harness.js';

const V1 = `/v1.0/${MODEL.servicePath}`;
const SETS = ['intelProfiles', 'intelligenceProfileIndicators', 'articles', 'vulnerabilities', 'hostPairs', 'whoisRecords'];

let h: ServiceHarness;
before(async () => {
  h = await createServiceHarness();
});
after(() => h.close());

/** The status of a request, after checking that it is a Graph answer: 2xx, or 4xx with a Graph error body. */
async function graphStatus(target: string): Promise<number> {
  const r = await h.request(target);
  if (r.status >= 500 || (r.status >= 300 && r.status < 400)) assert.fail(`${target} → ${r.status} ${r.text.slice(0, 300)}`);
  if (r.status >= 400) {
    const body = r.json();
    assert.equal(typeof body.error?.code, 'string', `${target}: ${r.text.slice(0, 200)}`);
    assert.equal(typeof body.error?.message, 'string');
  }
  return r.status;
}

describe('generated OData queries through the service', () => {
  for (const name of SETS) {
    const set = MODEL.entitySet(name)!;
    it(`${name}: 800 generated query strings, each answered 2xx or 4xx`, async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(collectionQuery(set.entityType), async (query) => {
          const status = await graphStatus(`${V1}/${name}?${query}`);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }),
        { numRuns: 800 },
      );
      console.log(`  ${name}: answers by status ${JSON.stringify([...statuses].sort())}`);
      // The generator reaches both sides: most queries are served, some refused.
      assert.ok((statuses.get(200) ?? 0) > 100, `served: ${JSON.stringify([...statuses])}`);
      assert.ok((statuses.get(400) ?? 0) > 50, `refused: ${JSON.stringify([...statuses])}`);
    });
  }

  it('1,200 generated $filter expressions on a profile\'s indicators and on $count', async () => {
    const indicators = MODEL.entitySet('intelligenceProfileIndicators')!.entityType;
    await fc.assert(
      fc.asyncProperty(filterExpression(indicators), fc.boolean(), async (filter, count) => {
        await graphStatus(`${V1}/intelProfiles/actinium/indicators${count ? '/$count' : ''}?$filter=${encodeURIComponent(filter)}`);
      }),
      { numRuns: 1200 },
    );
  });
});
