/**
 * Writes of every writable collection of threatIntelligence (issue 13, point 5), on the store under test: each new
 * entity type takes POST (201 + Location, the entity read back), a second POST of the id (409 naming it), a body
 * with an unknown property (400 naming it), PATCH (204, the change kept) and DELETE (204, then 404), by the same
 * model-driven rules as profiles and indicators. Bodies are the demo seed's own records of each type, under a new id
 * (single-valued navigations as the references `{"@odata.type","id"}` that entities are served with).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../src/model/model.js';
import { startTestServer, TEST_STORE, TI, type TestServer } from '../support/test-server.js';
import { apiClient, type Send } from '../support/write-client.js';

const CORE = new Set(['intelProfiles', 'intelligenceProfileIndicators']);
const SETS = MODEL.entitySets.filter((s) => s.writable && !CORE.has(s.name) && s.entityType.namespace === 'microsoft.graph.security');

let s: TestServer;
let send: Send;
before(async () => {
  s = await startTestServer();
  send = apiClient(s, await s.mint({ roles: ['ThreatIntelligence.ReadWrite.All'] }));
});
after(async () => {
  await s.close();
});

type Json = Record<string, any>;

/** A demo record of the set as a POST body: no context, the required references added. */
async function bodyFrom(set: (typeof SETS)[number]): Promise<{ body: Json; id: string }> {
  const list = await s.json(`/v1.0${TI}/${set.name}?$top=1`);
  assert.equal(list.status, 200, JSON.stringify(list.body));
  const item = list.body.value[0] as Json | undefined;
  assert.ok(item, `the demo seed has a record of ${set.name}`);
  const body: Json = { ...item };
  for (const n of set.entityType.navigationProperties) {
    if (n.collection || n.nullable) continue;
    const target = await s.json(`/v1.0${TI}/${set.name}/${encodeURIComponent(item['id'])}/${n.name}`);
    assert.equal(target.status, 200, `${set.name}/${item['id']}/${n.name}: ${JSON.stringify(target.body)}`);
    body[n.name] = { '@odata.type': target.body['@odata.type'], id: target.body['id'] };
  }
  return { body, id: `tigraph-write-test-${set.name}` };
}

/** The first string property other than the key: the one PATCH changes. */
const patchable = (set: (typeof SETS)[number]): string | undefined =>
  set.entityType.properties.find((p) => p !== set.entityType.key && !p.collection && p.type.kind === 'primitive' && p.type.qualifiedName === 'Edm.String')?.name;

describe(`writes of every threatIntelligence collection on ${TEST_STORE}`, () => {
  it('the collections under test are the 14 beyond profiles and indicators', () => {
    assert.equal(SETS.length, 14, SETS.map((x) => x.name).join(', '));
  });

  for (const set of SETS) {
    it(`${set.name}: POST 201 + Location, 409 again, 400 for an unknown property, PATCH 204, DELETE 204 then 404`, async () => {
      const { body, id } = await bodyFrom(set);
      const created = await send('POST', set.name, { ...body, id });
      assert.equal(created.status, 201, await created.clone().text());
      const location = created.headers.get('location');
      assert.equal(location, `${s.url}/v1.0${TI}/${set.name}/${encodeURIComponent(id)}`);
      const read = await s.json(`/v1.0${TI}/${set.name}/${encodeURIComponent(id)}`);
      assert.equal(read.status, 200);
      const { '@odata.context': _c1, ...stored } = read.body;
      const { '@odata.context': _c2, ...posted } = body;
      assert.deepEqual(stored, { ...posted, id });

      const again = await send('POST', set.name, { ...body, id });
      assert.equal(again.status, 409);
      assert.match(((await again.json()) as Json).error.message, new RegExp(id));

      const unknown = await send('POST', set.name, { ...body, id: `${id}-2`, notAProperty: 1 });
      assert.equal(unknown.status, 400);
      const e = ((await unknown.json()) as Json).error;
      assert.equal(e.target, 'notAProperty');
      assert.equal((await s.get(`/v1.0${TI}/${set.name}/${encodeURIComponent(`${id}-2`)}`)).status, 404, 'nothing of the refused body was written');

      const property = patchable(set);
      if (property) {
        assert.equal((await send('PATCH', `${set.name}/${encodeURIComponent(id)}`, { [property]: 'patched by the write test' })).status, 204);
        const patched = await s.json(`/v1.0${TI}/${set.name}/${encodeURIComponent(id)}`);
        assert.deepEqual(patched.body, { ...read.body, [property]: 'patched by the write test' });
      }

      assert.equal((await send('DELETE', `${set.name}/${encodeURIComponent(id)}`)).status, 204);
      assert.equal((await s.get(`/v1.0${TI}/${set.name}/${encodeURIComponent(id)}`)).status, 404);
    });
  }
});
