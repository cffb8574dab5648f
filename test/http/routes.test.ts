import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_STORE, TI, VERSIONS, type TestServer } from '../support/test-server.js';
import { DOC_INDICATOR_ID, DOC_AQUA_BLIZZARD_PROFILE_ID, DOC_HOST_ID } from '../../src/seed/doc-examples.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

const V10_DOC_EXAMPLE = {
  '@odata.type': '#microsoft.graph.security.intelligenceProfileIndicator',
  id: 'ff3eecd2-a2be-27c2-8dc0-40d1c0eada55',
  source: 'microsoft',
  firstSeenDateTime: '2022-05-02T23:09:20.000Z',
  lastSeenDateTime: null,
  artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'fake-malicious.site' },
};

describe('routes', () => {
  for (const v of VERSIONS) {
    it(`${v}: the doc example GET returns the v1.0 doc example body field for field`, async () => {
      const r = await s.json(`/${v}${TI}/intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type')!, /^application\/json/);
      const { ['@odata.context']: context, ...rest } = r.body;
      assert.equal(context, `${s.url}/${v}/$metadata#security/threatIntelligence/intelligenceProfileIndicators/$entity`);
      assert.deepEqual(rest, V10_DOC_EXAMPLE);
      assert.deepEqual(Object.keys(rest), Object.keys(V10_DOC_EXAMPLE), 'same fields in the same order');
    });

    it(`${v}: keys in parentheses address the same entity`, async () => {
      for (const form of [`('${DOC_INDICATOR_ID}')`, `(id='${DOC_INDICATOR_ID}')`, `(${DOC_INDICATOR_ID})`]) {
        const r = await s.json(`/${v}${TI}/intelligenceProfileIndicators${form}`);
        assert.equal(r.status, 200, form);
        assert.equal(r.body.id, DOC_INDICATOR_ID);
      }
    });

    it(`${v}: path names are case-insensitive, ids are not`, async () => {
      const r = await s.json(`/${v.toUpperCase()}/SECURITY/threatintelligence/INTELLIGENCEPROFILEINDICATORS/${DOC_INDICATOR_ID}`);
      assert.equal(r.status, 200);
      const miss = await s.json(`/${v}${TI}/intelligenceProfileIndicators/${DOC_INDICATOR_ID.toUpperCase()}`);
      assert.equal(miss.status, 404);
      assert.equal(miss.body.error.code, 'ResourceNotFound');
    });

    it(`${v}: intelProfiles list, item, indicators, indicator item and both $counts`, async () => {
      const list = await s.json(`/${v}${TI}/intelProfiles`);
      assert.equal(list.status, 200);
      assert.equal(list.body['@odata.context'], `${s.url}/${v}/$metadata#security/threatIntelligence/intelProfiles`);
      assert.ok(list.body.value.length >= 10);
      for (const p of list.body.value) assert.equal(p['@odata.type'], '#microsoft.graph.security.intelligenceProfile');

      const item = await s.json(`/${v}${TI}/intelProfiles/${DOC_AQUA_BLIZZARD_PROFILE_ID}`);
      assert.equal(item.status, 200);
      assert.equal(item.body.title, 'Aqua Blizzard');
      assert.deepEqual(item.body.summary, {
        content: 'The actor that Microsoft tracks as Aqua Blizzard (ACTINIUM) is a nation-state activity group based out of ...',
        format: 'text',
      });
      assert.equal(item.body.firstActiveDateTime, '2020-02-24T00:00:00.000Z');
      assert.equal(item.body.indicators, undefined, 'the indicators navigation is not inlined');

      const inds = await s.json(`/${v}${TI}/intelProfiles/${DOC_AQUA_BLIZZARD_PROFILE_ID}/indicators`);
      assert.equal(inds.status, 200);
      assert.deepEqual(inds.body.value.map((x: { id: string }) => x.id), [DOC_INDICATOR_ID]);
      assert.deepEqual(inds.body.value[0], V10_DOC_EXAMPLE);

      const one = await s.json(`/${v}${TI}/intelProfiles('${DOC_AQUA_BLIZZARD_PROFILE_ID}')/indicators('${DOC_INDICATOR_ID}')`);
      assert.equal(one.status, 200);
      assert.equal(one.body.id, DOC_INDICATOR_ID);
      const wrongParent = await s.json(`/${v}${TI}/intelProfiles/actinium/indicators/${DOC_INDICATOR_ID}`);
      assert.equal(wrongParent.status, 404);

      const count = await s.get(`/${v}${TI}/intelProfiles/$count`);
      assert.equal(count.status, 200);
      assert.match(count.headers.get('content-type')!, /^text\/plain/);
      assert.equal(Number(await count.text()), list.body.value.length);
      const icount = await s.get(`/${v}${TI}/intelProfiles/${DOC_AQUA_BLIZZARD_PROFILE_ID}/indicators/$count`);
      assert.equal(await icount.text(), '1');
    });

    it(`${v}: intelligenceProfileIndicators/{id}/artifact returns the full derived artifact`, async () => {
      const r = await s.json(`/${v}${TI}/intelligenceProfileIndicators/${DOC_INDICATOR_ID}/artifact`);
      assert.equal(r.status, 200);
      assert.equal(r.body['@odata.type'], '#microsoft.graph.security.hostname');
      assert.equal(r.body.id, 'fake-malicious.site');
      assert.ok('registrar' in r.body && 'firstSeenDateTime' in r.body);
    });

    it(`${v}: hosts/{id} returns the concrete hostname or ipAddress`, async () => {
      const h = await s.json(`/${v}${TI}/hosts/${DOC_HOST_ID}`);
      assert.equal(h.status, 200);
      assert.deepEqual(
        { ...h.body, '@odata.context': undefined },
        {
          '@odata.context': undefined,
          '@odata.type': '#microsoft.graph.security.hostname',
          id: 'contoso.com',
          firstSeenDateTime: '2009-09-02T03:29:10.000Z',
          lastSeenDateTime: '2009-09-02T03:29:10.000Z',
          registrant: 'Microsoft Corporation',
          registrar: 'MarkMonitor Inc.',
        },
      );
      const list = await s.json(`/${v}${TI}/intelligenceProfileIndicators?$expand=artifact&$top=999`);
      const ip = list.body.value.find((x: { artifact: { '@odata.type': string } }) => x.artifact['@odata.type'] === '#microsoft.graph.security.ipAddress');
      assert.ok(ip, 'the demo data has ipAddress artifacts');
      const host = await s.json(`/${v}${TI}/hosts/${encodeURIComponent(ip.artifact.id)}`);
      assert.equal(host.status, 200);
      assert.equal(host.body['@odata.type'], '#microsoft.graph.security.ipAddress');
      const url = list.body.value.find((x: { artifact: { '@odata.type': string } }) => x.artifact['@odata.type'] === '#microsoft.graph.security.unclassifiedArtifact');
      const notHost = await s.json(`/${v}${TI}/hosts/${encodeURIComponent(url.artifact.id)}`);
      assert.equal(notHost.status, 404, 'an unclassifiedArtifact is not a host');
    });

    it(`${v}: $metadata and the service document need no token`, async () => {
      const md = await fetch(`${s.url}/${v}/$metadata`);
      assert.equal(md.status, 200);
      assert.match(md.headers.get('content-type')!, /^application\/xml/);
      assert.match(await md.text(), /<EntityType Name="intelligenceProfileIndicator" BaseType="self.indicator"/);
      const doc = await fetch(`${s.url}/${v}`);
      assert.equal(doc.status, 200);
      const body = (await doc.json()) as { '@odata.context': string; value: { name: string }[] };
      assert.equal(body['@odata.context'], `${s.url}/${v}/$metadata`);
      assert.ok(body.value.some((e) => e.name === 'security'));
    });

    it(`${v}: other methods answer 405 with a Graph error and Allow`, async () => {
      const writer = await s.mint({ roles: ['ThreatIntelligence.ReadWrite.All'] });
      for (const [method, path, allow] of [
        ['PUT', `intelligenceProfileIndicators/${DOC_INDICATOR_ID}`, 'GET, HEAD, PATCH, DELETE'],
        ['POST', `intelligenceProfileIndicators/${DOC_INDICATOR_ID}`, 'GET, HEAD, PATCH, DELETE'],
        ['DELETE', `hosts/${DOC_HOST_ID}`, 'GET, HEAD'],
        ['OPTIONS', 'intelProfiles', 'GET, HEAD, POST'],
        ['PUT', `intelProfiles/${DOC_INDICATOR_ID}/indicators/$count`, 'GET, HEAD'],
        ['POST', 'importJobs', 'GET, HEAD'],
        ['GET', 'microsoft.graph.security.import', 'POST'],
      ] as const) {
        const r = await fetch(`${s.url}/${v}${TI}/${path}`, { method, headers: { Authorization: `Bearer ${writer}`, 'Content-Type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
        assert.equal(r.status, 405, `${method} ${path}`);
        assert.equal(r.headers.get('allow'), allow);
        const body = (await r.json()) as { error: { code: string; innerError: Record<string, string> } };
        assert.equal(body.error.code, 'Request_BadRequest');
        assert.ok(body.error.innerError['request-id']);
      }
    });
  }

  it('HEAD answers like GET without a body', async () => {
    const head = await fetch(`${s.url}/v1.0${TI}/intelligenceProfileIndicators/${DOC_INDICATOR_ID}`, { method: 'HEAD', headers: { Authorization: `Bearer ${s.token}` } });
    assert.equal(head.status, 200);
    assert.match(head.headers.get('content-type')!, /^application\/json/);
    assert.ok(Number(head.headers.get('content-length')) > 100);
    assert.equal(await head.text(), '');
  });

  it('GET /healthz answers without auth; with a token it reports the store', async () => {
    const r = await fetch(`${s.url}/healthz`, { headers: { Authorization: `Bearer ${s.token}` } });
    assert.equal(r.status, 200);
    assert.deepEqual(((await r.json()) as { status: string; store: string }).store, TEST_STORE);
  });

  it('unknown segments are Graph 400s, unknown roots 404s', async () => {
    const seg = await s.json(`/v1.0${TI}/intelligenceProfiles`);
    assert.equal(seg.status, 400);
    assert.equal(seg.body.error.message, "Resource not found for the segment 'intelligenceProfiles'.");
    const root = await s.json('/v2.0/security');
    assert.equal(root.status, 404);
    assert.equal(root.body.error.code, 'ResourceNotFound');
    const hosts = await s.json(`/v1.0${TI}/hosts`);
    assert.equal(hosts.status, 400);
  });
});
