/** The demo's synthetic enrichment of the doc-example host: reputation and whois answer on a fresh store. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ seed: 'demo' });
});
after(() => s.close());

describe('demo enrichment of fake-malicious.site', () => {
  it('hosts/{id}/reputation and hosts/{id}/whois answer with the synthetic records; the host keeps only its id', async () => {
    const rep = await s.json(`/v1.0${TI}/hosts/fake-malicious.site/reputation`);
    assert.equal(rep.status, 200);
    assert.deepEqual([rep.body.classification, rep.body.score, rep.body.rules.map((r: { name: string }) => r.name)], ['malicious', 92, ['Synthetic C2 listing']]);
    const whois = await s.json(`/v1.0${TI}/hosts/fake-malicious.site/whois?$select=id,whoisServer,registrationDateTime`);
    assert.equal(whois.status, 200);
    assert.deepEqual([whois.body.id, whois.body.whoisServer, whois.body.registrationDateTime], ['whois-fake-malicious.site', 'whois.registrar.example', '2021-03-01T00:00:00.000Z']);
    const host = await s.json(`/v1.0${TI}/hosts/fake-malicious.site`);
    assert.deepEqual(host.body, {
      '@odata.context': `${s.url}/v1.0/$metadata#security/threatIntelligence/hosts/$entity`,
      '@odata.type': '#microsoft.graph.security.hostname',
      id: 'fake-malicious.site',
      firstSeenDateTime: null,
      lastSeenDateTime: null,
      registrant: null,
      registrar: null,
    });
  });
});
