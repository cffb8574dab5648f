/**
 * TLS as a plain client sees it: Node's built-in fetch (undici) in a process whose only extra trust is the
 * generated development CA (NODE_EXTRA_CA_CERTS). Checks the certificate chain verifies for every loopback name
 * the certificate covers, and that HTTPS answers exactly what HTTP answers. With TIGRAPH_EXPECT_UNTRUSTED=1 (a
 * child started without NODE_EXTRA_CA_CERTS) it checks the opposite: the certificate is refused.
 * Run in a child process by test/conformance/tls.test.ts.
 */
import assert from 'node:assert/strict';
import { createRecorder, readConfig, TI } from './check.js';

const config = readConfig();
const x = config.expected;
const check = createRecorder('fetch');
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

const causeCode = (e: unknown): string => String((e as { cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code ?? e);

if (process.env.TIGRAPH_EXPECT_UNTRUSTED === '1') {
  await check('-', 'tls', 'a client that does not trust the generated CA refuses the certificate', async () => {
    assert.equal(process.env.NODE_EXTRA_CA_CERTS, undefined);
    await assert.rejects(fetch(`${config.httpsUrl}/v1.0/`), (e) => {
      assert.match(causeCode(e), /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|DEPTH_ZERO_SELF_SIGNED_CERT/);
      return true;
    });
  });
} else {
  const port = new URL(config.httpsUrl).port;
  const names = [`https://localhost:${port}`, `https://127.0.0.1:${port}`, ...(config.ipv6HttpsUrl ? [config.ipv6HttpsUrl] : [])];
  await check('-', 'tls', 'the certificate chain verifies against the generated CA only (NODE_EXTRA_CA_CERTS) at https://localhost, https://127.0.0.1 and https://[::1] (when the host has IPv6 loopback)', async () => {
    assert.ok(process.env.NODE_EXTRA_CA_CERTS);
    for (const base of names) {
      const res = await fetch(`${base}/v1.0${TI}/intelligenceProfileIndicators/${x.docIndicatorId}`, { headers: auth(config.token) });
      assert.equal(res.status, 200, base);
      const body = (await res.json()) as { '@odata.context': string };
      assert.ok(body['@odata.context'].startsWith(`${base}/v1.0/$metadata#`), `context ${body['@odata.context']} addresses ${base}`);
    }
  });

  const paths = [
    '/v1.0/',
    '/beta/',
    '/v1.0/$metadata',
    `/v1.0${TI}/intelProfiles`,
    `/beta${TI}/intelProfiles?$select=id,title&$orderby=title desc&$top=3`,
    `/beta${TI}/intelProfiles/${x.profileId}`,
    `/v1.0${TI}/intelProfiles/${x.largeProfileId}/indicators?$top=40&$count=true&$filter=source eq 'osint'`,
    `/beta${TI}/intelProfiles/${x.largeProfileId}/indicators/$count`,
    `/v1.0${TI}/intelligenceProfileIndicators/${x.docIndicatorId}?$expand=artifact`,
    `/beta${TI}/hosts/${x.hostId}`,
    ...x.ipHostIds.map((id) => `/v1.0${TI}/hosts/${encodeURIComponent(id)}`),
    `/beta${TI}/intelProfiles/no-such-profile`,
    `/beta${TI}/intelProfiles?$filter=nonsense eq 1`,
    `/v1.0${TI}/noSuchSet`,
    '/healthz',
  ];
  for (const version of ['v1.0', 'beta']) {
    await check(version, 'tls', 'HTTPS refuses nothing that works over HTTP: same status, content type and body for every route', async () => {
      const mine = paths.filter((p) => !p.startsWith('/v1.0') && !p.startsWith('/beta') ? version === 'v1.0' : p.startsWith(`/${version}`));
      for (const path of mine) {
        for (const headers of [auth(config.token), {}]) {
          const [plain, tls] = await Promise.all([fetch(`${config.httpUrl}${path}`, { headers }), fetch(`${config.httpsUrl}${path}`, { headers })]);
          const what = `${path} (${'Authorization' in headers ? 'with' : 'without'} token)`;
          assert.equal(tls.status, plain.status, what);
          assert.equal(tls.headers.get('content-type'), plain.headers.get('content-type'), what);
          assert.equal(tls.headers.get('retry-after'), plain.headers.get('retry-after'), what);
          const [a, b] = await Promise.all([plain.text(), tls.text()]);
          const normalize = (s: string, origin: string): string =>
            s
              .split(origin)
              .join('<origin>')
              .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => (a.includes(id) && b.includes(id) ? id : '<request-id>'))
              .replace(/"date":"[0-9T:-]+"/g, '"date":"<date>"');
          assert.equal(normalize(b, config.httpsUrl), normalize(a, config.httpUrl), what);
        }
      }
    });
  }

  await check('-', 'tls', 'nextLinks stay on https and on the host name the client used', async () => {
    let url: string | undefined = `${config.httpsUrl}/beta${TI}/intelProfiles/${x.largeProfileId}/indicators?$top=40`;
    let pages = 0;
    while (url) {
      assert.ok(url.startsWith(`${config.httpsUrl}/beta/`), url);
      const res: Response = await fetch(url, { headers: auth(config.token) });
      assert.equal(res.status, 200);
      url = ((await res.json()) as { '@odata.nextLink'?: string })['@odata.nextLink'];
      pages++;
    }
    assert.ok(pages > 3);
  });
}
