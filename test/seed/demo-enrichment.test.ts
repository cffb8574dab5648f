/** The demo's enrichment of the doc-example host: its documented reputation (E11) and a synthetic whois answer on a fresh store. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ seed: 'demo' });
});
after(() => s.close());

describe('demo enrichment of fake-malicious.site', () => {
  it('hosts/{id}/reputation answers the E11 doc record, hosts/{id}/whois the synthetic one; the host keeps only its id', async () => {
    const rep = await s.json(`/v1.0${TI}/hosts/fake-malicious.site/reputation`);
    assert.equal(rep.status, 200);
    assert.deepEqual(
      [rep.body.id, rep.body.classification, rep.body.score, rep.body.rules.map((r: { name: string }) => r.name)],
      ['1e3b9ded-abb6-1828-c4ef-a5ca48b287a0', 'malicious', 100, ['Microsoft Defender Threat Intelligence Intel Article', 'Name server', 'Registrar', 'Resolving IP Address']],
    );
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
