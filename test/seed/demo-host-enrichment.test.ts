/**
 * The demo's synthetic host enrichment (src/seed/demo-host-enrichment.ts): every host it names is reserved
 * documentation space, every other id says it is tigraph's demo data, and each navigation it exists for answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildDemoEnrichedHosts, buildDemoEnrichment, DEMO_APEX, DEMO_CDN, DEMO_IPV4, DEMO_IPV6, DEMO_SHOP } from '../../src/seed/demo-host-enrichment.js';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

type Json = Record<string, any>;

/** Every `{"@odata.type": …hostname|ipAddress, id}` inside a value. */
function hostsIn(v: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(v)) v.forEach((x) => hostsIn(x, out));
  else if (v && typeof v === 'object') {
    const o = v as Json;
    if (/\.(hostname|ipAddress)$/.test(String(o['@odata.type']))) out.push(o);
    Object.values(o).forEach((x) => hostsIn(x, out));
  }
  return out;
}

const reserved = (h: Json): boolean =>
  h['@odata.type'].endsWith('.hostname') ? String(h['id']).endsWith('.example') : /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$|^2001:db8:/.test(h['id']);

let s: TestServer;
before(async () => {
  s = await startTestServer({ seed: 'demo' });
});
after(() => s.close());

describe('demo host enrichment', () => {
  it('names only hosts in reserved space, and marks every other id as demo data', () => {
    const hosts = hostsIn([buildDemoEnrichedHosts(), buildDemoEnrichment()]);
    assert.deepEqual([...new Set(hosts.map((h) => h['id']))].sort(), [DEMO_IPV6, DEMO_IPV4, DEMO_CDN, `ns1.${DEMO_APEX}`, `ns2.${DEMO_APEX}`, DEMO_SHOP, DEMO_APEX].sort());
    assert.deepEqual(hosts.filter((h) => !reserved(h)), []);
    const ids = buildDemoEnrichment().flatMap((g) => g.records.map((r) => String(r['id'])));
    assert.equal(ids.length, 16); // 3 passive DNS, 2 components, 1 certificate, 2 host certificates, 1 port, 1 cookie, 1 tracker, 2 subdomains, 1 pair, 2 history
    assert.deepEqual(ids.filter((id) => !id.startsWith('tigraph-demo-') && !id.endsWith(`$$${DEMO_APEX}`)), []);
  });

  it('the shop answers each host navigation; the apex its whois, history and subdomains', async () => {
    const ids = async (path: string): Promise<string[]> => {
      const r = await s.json(`/v1.0${TI}/${path}${path.includes('?') ? '&' : '?'}$orderby=id`);
      assert.equal(r.status, 200, path);
      return r.body.value.map((x: Json) => x['id']);
    };
    assert.deepEqual(await ids(`hosts/${DEMO_SHOP}/passiveDns`), ['tigraph-demo-pdns-1', 'tigraph-demo-pdns-2']);
    assert.deepEqual(await ids(`hosts/${DEMO_SHOP}/passiveDnsReverse`), ['tigraph-demo-pdns-3']);
    assert.deepEqual(await ids(`hosts/${DEMO_IPV4}/passiveDnsReverse`), ['tigraph-demo-pdns-1']);
    assert.deepEqual(await ids(`hosts/${DEMO_SHOP}/components`), ['tigraph-demo-component-widget']);
    assert.deepEqual(await ids(`hosts/${DEMO_SHOP}/cookies`), ['tigraph-demo-cookie-session']);
    assert.deepEqual(await ids(`hosts/${DEMO_SHOP}/trackers`), ['tigraph-demo-tracker-1']);
    assert.deepEqual(await ids(`hosts/${DEMO_SHOP}/childHostPairs`), ['tigraph-demo-pair-1']);
    assert.deepEqual(await ids(`hosts/${DEMO_CDN}/parentHostPairs`), ['tigraph-demo-pair-1']);
    assert.deepEqual(await ids(`hosts/${DEMO_IPV4}/ports`), [`tigraph-demo-port-${DEMO_IPV4}-443`]);
    assert.deepEqual(await ids(`sslCertificates/tigraph-demo-certificate-1/relatedHosts`), [DEMO_IPV4, DEMO_SHOP]);
    assert.deepEqual(await ids(`hosts/${DEMO_APEX}/subdomains`), [`${DEMO_CDN}$$${DEMO_APEX}`, `${DEMO_SHOP}$$${DEMO_APEX}`]);
    assert.deepEqual(await ids(`hosts/${DEMO_APEX}/whois/history`), [`tigraph-demo-whois-${DEMO_APEX}-2022`, `tigraph-demo-whois-${DEMO_APEX}-2023`]);
    const port = await s.json(`/v1.0${TI}/hostPorts/tigraph-demo-port-${DEMO_IPV4}-443/mostRecentSslCertificate?$select=id,sha1`);
    assert.deepEqual([port.status, port.body.id, port.body.sha1], [200, 'tigraph-demo-certificate-1', 'dededededededededededededededededede0001']);
    const rep = await s.json(`/v1.0${TI}/hosts/${DEMO_SHOP}/reputation`);
    assert.deepEqual([rep.body.classification, rep.body.score], ['suspicious', 55]);
  });
});
