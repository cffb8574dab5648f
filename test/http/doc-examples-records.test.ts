/**
 * Issue 13 point 3, certificates, whois, articles and vulnerabilities: each documented GET (E16–E19, A1, A2,
 * A7–A13, A18–A20), requested from a server with the demo seed, returns the documented body field for field, on
 * both versions. As in `doc-examples-hosts.test.ts`: the spec's body, the rules of `comparable`, and each edit where
 * the docs contradict the CSDL or themselves (the seed's choices: `src/seed/doc-examples-{certificates,whois,
 * articles}.ts`), asserted before it is made.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { comparable, docBodies, ref, SPEC_SKIP, T, type Json } from '../support/doc-spec.js';
import { startTestServer, TI, VERSIONS, type TestServer } from '../support/test-server.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ seed: 'demo' });
});
after(() => s.close());

const skip = SPEC_SKIP;
const enc = encodeURIComponent;

async function served(path: string): Promise<Json> {
  const r = await s.json(path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body).slice(0, 300)}`);
  return comparable(r.body);
}

/**
 * The CSDL's sslCertificate of a doc body: `sslVersion` is a property of no type; `alternateName` is
 * sslCertificateEntity's `alternateNames`; `address.postOfficeBox`/`address.type` are beta-only members of
 * graph.physicalAddress (tigraph serves the v1.0 type on both versions).
 */
function csdlCertificate(doc: Json): Json {
  assert.equal(doc['sslVersion'], '3', 'the docs carry sslVersion');
  const { sslVersion: _dropped, ...rest } = doc;
  for (const side of ['subject', 'issuer']) {
    const { alternateName, address, ...entity } = rest[side];
    assert.ok(Array.isArray(alternateName), `${side}.alternateName (singular) in the docs`);
    const { postOfficeBox: _p, type: _t, ...v1Address } = address;
    rest[side] = { ...entity, alternateNames: alternateName, address: v1Address };
  }
  return { '@odata.type': T('sslCertificate'), ...rest };
}

/** The CSDL's hostSslCertificate of E16/A7: the inlined certificate is a reference (E17 serves it); `hostName` is `hostname`. */
function csdlHostCertificate(doc: Json): Json {
  assert.equal(doc['host']['@odata.type'], T('hostName'), 'the docs misspell hostname');
  return { ...doc, '@odata.type': T('hostSslCertificate'), host: ref('hostname', doc['host'].id), sslCertificate: ref('sslCertificate', doc['sslCertificate'].id) };
}

/** The docs write whois references to hosts as `{"id"}` (A8 example 1: the abstract `#…host`); tigraph types them. */
function typedWhois(doc: Json, type: string): Json {
  return {
    ...doc,
    '@odata.type': T(type),
    host: ref('hostname', doc['host'].id),
    nameservers: doc['nameservers'].map((n: Json) => ({ ...n, host: ref('hostname', n['host'].id) })),
  };
}

for (const v of VERSIONS) {
  const at = (p: string): string => `/${v}${TI}/${p}`;
  describe(`${v}: documented certificate, whois, article and vulnerability examples`, () => {
    it('E17 sslCertificates by key: unwrapped, the CSDL members only', { skip }, async () => {
      const doc = comparable(docBodies('E17')[0]!['value']);
      assert.deepEqual(await served(at(`sslCertificates/${enc(doc['id'])}`)), csdlCertificate(doc));
    });

    it('E16 hostSslCertificates by key: unwrapped; the inlined certificate equals E17 and is served as a reference', { skip }, async () => {
      const doc = comparable(docBodies('E16')[0]!['value']);
      const served16 = await served(at(`hostSslCertificates/${enc(doc['id'])}`));
      assert.deepEqual(served16, csdlHostCertificate(doc));
      const inlined = { ...doc['sslCertificate'] };
      assert.deepEqual(await served(at(`hostSslCertificates/${enc(doc['id'])}/sslCertificate`)), csdlCertificate(inlined));
    });

    it('A7 sslCertificates of contoso.com: $count=true gives @odata.count; the documented $skip=5 skips the only one', { skip }, async () => {
      const doc = comparable(docBodies('A7')[0]);
      const expected = { '@odata.count': 1, value: doc['value'].map(csdlHostCertificate) };
      assert.deepEqual(await served(at('hosts/contoso.com/sslCertificates?$count=true&$top=1')), expected);
      assert.deepEqual(await served(at('hosts/contoso.com/sslCertificates?$count=true&$top=1&$skip=5')), { '@odata.count': 1, value: [] });
    });

    it('A12 sslCertificates: the documented field-scoped $search, answered with the CSDL members of the item', { skip }, async () => {
      // A12 is invalid JSON as published (a trailing comma after `sha1`), repaired here.
      const item = comparable(docBodies('A12', { trailingCommas: true })[0]!['value'][0]);
      // The documented request as written; A12 sends $count=true but shows no @odata.count.
      const body = await served(at('sslCertificates?$search="subject/commonName:microsoft.com"&$count=true&$top=1'));
      assert.deepEqual(body, { '@odata.count': 1, value: [csdlCertificate(item)] });
      // It means the $filter on that path.
      assert.deepEqual(await served(at("sslCertificates?$filter=subject/commonName eq 'microsoft.com'&$count=true&$top=1")), body);
      assert.deepEqual(await served(at('sslCertificates?$search="subject/commonName:no.such.example"')), { value: [] });
    });

    it('A13 relatedHosts of certificate MDJj…', { skip }, async () => {
      const doc = comparable(docBodies('A13')[0]);
      assert.deepEqual(await served(at('sslCertificates/MDJjODMzNDIzYzYwOTIzNjM1YTA0OTRhMmI2NThjYWM5NDFmM2FmMA==/relatedHosts')), doc);
    });

    it('A8 whoisRecords by key and hosts/contoso.com/whois: example 2 (example 1 shows other values for the same id)', { skip }, async () => {
      const [byHost, byId] = docBodies('A8').map((b) => comparable(b));
      assert.equal(byHost!['id'], byId!['id']);
      assert.notDeepEqual(byHost!['admin'], byId!['admin'], 'the two A8 examples disagree');
      const expected = typedWhois(byId!, 'whoisRecord');
      assert.deepEqual(await served(at(`whoisRecords/${enc(byId!['id'])}`)), expected);
      assert.deepEqual(await served(at('hosts/contoso.com/whois')), expected);
    });

    it('A9 whoisRecords: the documented field-scoped $search, with its $orderby', { skip }, async () => {
      const doc = comparable(docBodies('A9')[0]);
      const expected = { value: doc['value'].map((w: Json) => typedWhois(w, 'whoisRecord')) };
      // The docs put `&$orderby=registrationDateTime desc` inside the quotes, which a client splits into a $search
      // without its closing quote and an $orderby with a stray one; the request meant is this one.
      assert.deepEqual(await served(at('whoisRecords?$search="admin/address/state:WA"&$orderby=registrationDateTime desc')), expected);
      assert.deepEqual(await served(at('whoisRecords?$search="admin/address/state:WA"')), expected);
      assert.deepEqual(await served(at("whoisRecords?$filter=admin/address/state eq 'WA'")), expected);
    });

    it('A10 history (both paths) and A11 by key: whoisHistoryRecords (A10 labels them #…whoisRecord)', { skip }, async () => {
      const a10 = comparable(docBodies('A10')[0]);
      assert.equal(a10['value'][0]['@odata.type'], T('whoisRecord'));
      const expected = { value: a10['value'].map((w: Json) => typedWhois(w, 'whoisHistoryRecord')) };
      assert.deepEqual(await served(at('hosts/contoso.com/whois/history')), expected);
      assert.deepEqual(await served(at(`whoisRecords/${enc(a10['value'][0].id)}/history`)), expected);
      const a11 = comparable(docBodies('A11')[0]);
      // A11 writes the segment `whoisHistoryRecord` (singular); the CSDL's collection is whoisHistoryRecords.
      assert.deepEqual(await served(at(`whoisHistoryRecords/${enc(a11['id'])}`)), typedWhois(a11, 'whoisHistoryRecord'));
    });

    it('A1 articles (the first of the demo articles) and A2 by key: with @odata.type (the docs give @odata.context)', { skip }, async () => {
      const a1 = comparable(docBodies('A1')[0]);
      const list = await served(at('articles?$top=1'));
      // The demo has more articles than the doc's one: a next link follows it (ids sort a272d5ab first).
      assert.match(String(list['@odata.nextLink']), /\/articles\?\$top=1&\$skiptoken=/);
      delete list['@odata.nextLink'];
      assert.deepEqual(list, { value: a1['value'].map((x: Json) => ({ '@odata.type': T('article'), ...x })) });
      const a2 = comparable(docBodies('A2')[0]);
      assert.deepEqual(await served(at('articles/a272d5ab')), { '@odata.type': T('article'), ...a2 });
    });

    it('E18 indicators of article a272d5ab and E19 articleIndicators by key', { skip }, async () => {
      assert.deepEqual(await served(at('articles/a272d5ab/indicators')), comparable(docBodies('E18')[0]));
      const e19 = comparable(docBodies('E19')[0]);
      assert.deepEqual(await served(at(`articleIndicators/${enc(e19['id'])}`)), e19);
    });

    it('A18 vulnerability CVE-2021-44228 (invalid JSON in the docs: a trailing comma)', { skip }, async () => {
      const doc = comparable(docBodies('A18', { trailingCommas: true })[0]);
      assert.deepEqual(await served(at('vulnerabilities/CVE-2021-44228')), doc);
    });

    it('A19 components and A20 by key (under CVE-2021-44228: A20 writes cve-2021-44228, keys are case-sensitive)', { skip }, async () => {
      assert.deepEqual(await served(at('vulnerabilities/CVE-2021-44228/components')), comparable(docBodies('A19')[0]));
      const a20 = comparable(docBodies('A20')[0]);
      assert.deepEqual(await served(at(`vulnerabilities/CVE-2021-44228/components/${enc(a20['id'])}`)), a20);
      assert.equal((await s.json(at(`vulnerabilities/cve-2021-44228/components/${enc(a20['id'])}`))).status, 404);
    });
  });
}
