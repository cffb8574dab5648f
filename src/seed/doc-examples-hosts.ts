/**
 * The records of the documented host-enrichment GET examples (`shared/spec/graph-ti-api.md` E6–E11, `E12–E15`,
 * `graph-ti-api-all.md` A3–A6, A14–A17) as seed data, so that a store seeded with them answers the doc requests with
 * the doc payloads. Values are copied verbatim; where the docs contradict the CSDL or themselves, the choice is
 * written next to the record (and asserted by `test/http/doc-examples-hosts.test.ts`):
 *
 * - E6 lists component `TWljcm9z…` under `contoso.com` with `host` `c1.microsoft.com`; E12 gets the same id with
 *   `host` `contoso.com`. A host's components are the hostComponents whose `host` is that host, so E12 is kept.
 * - E7/E13 (cookie) and E8/E14 (tracker) agree on their `host` (`securemail.contoso.com`, `about.ads.contoso.com`)
 *   but E7/E8 list them under `contoso.com`: stored with the documented host, they are listed under that host.
 * - E10 lists under `contoso.com`'s `passiveDnsReverse` a record whose `parentHost` is `contoso.com` itself; reverse
 *   records of a host are those whose `artifact` is that host, so the record is stored with parentHost
 *   `www.contoso.com` and artifact `contoso.com` (otherwise it would also show in E9's forward list).
 * - A3/A4/A5/A14 show one hostPair id with three different directions; it is stored as A4/A14 show it (parent =
 *   child = contoso.com), so it is in all three host lists of contoso.com.
 * - A6/A17: the subdomain's `firstSeenDateTime` is the placeholder "String (timestamp)", not a DateTimeOffset: null.
 *   A17 requests key `bG9naW4u…` and answers id `8e03a695…`; the answered id is kept.
 * - A15 requests `hosts/8.8.8.8/ports` and answers `host` `85.13.139.18`: stored under the requested host.
 * - A16's `firstSeenDateTime` "2016-17-13T08:43:41.00Z" (month 17) is not a DateTimeOffset: null.
 * - The hostComponents referenced by A15/A16 `services[].component` need the CSDL's required `firstSeenDateTime`,
 *   `lastSeenDateTime` and `host`, which the docs do not show: they take the service's dates and the port's host.
 */
import { T_HOSTNAME, T_IP_ADDRESS } from './seed-dataset.js';
import { DOC_HOST_ID, DOC_INDICATOR_HOSTNAME } from './doc-examples.js';
import { HOST_COMPONENT, HOST_COOKIE, HOST_PAIR, HOST_PORT, HOST_REPUTATION, HOST_TRACKER, PASSIVE_DNS_RECORD, SSL_CERTIFICATE, SUBDOMAIN } from '../model/names.js';

type Json = Record<string, unknown>;

export const DOC_COMPONENT_ID = 'TWljcm9zb2Z0LUlJUyQkMTAuMCQkU2VydmVyJCRjMS5taWNyb3NvZnQuY29t';
export const DOC_COOKIE_ID = 'c2VjdXJlbWFpbC5jb250b3NvLmNvbSQkT0lEQyQkc2VjdXJlbWFpbC5jb250b3NvLmNvbQ==';
export const DOC_COOKIE_HOST = 'securemail.contoso.com';
export const DOC_TRACKER_ID = 'Y29udG9zby1hZHZlcnRpc2luZzkyNDEwQ29udG9zb0lkOTI0MTBhYm91dC5hZHMuY29udG9zby5jb20=';
export const DOC_TRACKER_HOST = 'about.ads.contoso.com';
export const DOC_PASSIVE_DNS_ID = 'Y29udG9zby5jb20kJDIwLjEwMy44NS4zMyQkZmFsc2U=';
export const DOC_PASSIVE_DNS_REVERSE_ID = 'bWljcm9zb2Z0LmNvbTcxNDA5MjAuMTAzLjg1LjMz';
export const DOC_HOST_PAIR_ID = 'ZmluYWxSZWRpcmVjdCQkY29udG9zby5jb20kJGNvbnRvc28uY29tJCRjb250b3NvLmNvbQ==';
export const DOC_SUBDOMAIN_ID = '8e03a695-67c8-c371-d901-f6f88dbcc2f4';
export const DOC_PORTS_HOST = '8.8.8.8';
export const DOC_PORT_LIST_ID = 'tKhoxnUMGirrHqYiMpsdaQRDZKBnXrao';
export const DOC_PORT_ID = 'ODUuMTMuMTM5LjE4JCQyMQ==';
export const DOC_PORT_HOST = '85.13.139.18';
export const DOC_REPUTATION_ID = '1e3b9ded-abb6-1828-c4ef-a5ca48b287a0';
/** The sslCertificate ids the A15/A16 ports point at (E17's certificate, and one the docs show only as an id). */
export const DOC_SSL_CERTIFICATE_ID = 'ZmI5NjU1MTUwNWYxZWRiMjRkZDNiMzZmY2ZmZGI3NjU4MzNiODExOA==';
export const DOC_PORT_CERTIFICATE_ID = 'ZDg5ZTNiZDQzZDVkOTA5YjQ3YTE4OTc3YWE5ZDVjZTM2Y2VlMTg0Yw==';

const hostname = (id: string): Json => ({ '@odata.type': T_HOSTNAME, id });
const ip = (id: string): Json => ({ '@odata.type': T_IP_ADDRESS, id });
const certificate = (id: string): Json => ({ '@odata.type': SSL_CERTIFICATE.annotation, id });

/** E11: the reputation of `fake-malicious.site` (deep-inserted into the host, `SeedDataset.hosts`). */
export function docReputation(): Json {
  return {
    '@odata.type': HOST_REPUTATION.annotation,
    id: DOC_REPUTATION_ID,
    classification: 'malicious',
    score: 100,
    rules: [
      { name: 'Microsoft Defender Threat Intelligence Intel Article', description: 'Activity Snapshot: DPRK Actors Target Maritime Sector', severity: 'high', relatedDetailsUrl: 'https://ti.defender.microsoft.com/article/831b70a4' },
      { name: 'Name server', description: 'Domain is using a name server that has been associated with suspicious behavior', severity: 'medium', relatedDetailsUrl: null },
      { name: 'Registrar', description: 'Domains registered using this registrar are frequently associated with suspicious behavior', severity: 'medium', relatedDetailsUrl: null },
      { name: 'Resolving IP Address', description: '192.168.1.1', severity: 'low', relatedDetailsUrl: 'https://ti.defender.microsoft.com/search?query=192.168.1.1' },
    ],
  };
}

export const DOC_REPUTATION_HOST = DOC_INDICATOR_HOSTNAME;

function component(id: string, name: string, version: string, category: string, first: string, last: string, host: Json): Json {
  return { '@odata.type': HOST_COMPONENT.annotation, id, firstSeenDateTime: first, lastSeenDateTime: last, name, version, category, host };
}

/** hostComponents (E12, and the components of the A15/A16 ports). */
export function docHostComponents(): Json[] {
  return [
    component(DOC_COMPONENT_ID, 'Microsoft-IIS', '10.0', 'Server', '2023-02-28T00:00:19.644Z', '2023-03-06T23:58:55.615Z', hostname(DOC_HOST_ID)),
    component('EVfwHhqkUQESmqrKSFHobDUHDAKBsWLf', 'scaffolding on HTTPServer2', '', 'Server', '2020-10-28T22:39:51.00Z', '2023-07-18T22:13:54.00Z', ip(DOC_PORTS_HOST)),
    component('ZobhjJgOwebxpsXdCUjfTpshygqgcfJj', 'nginx', '1.18.0', 'Server', '2022-06-26T04:29:25.00Z', '2023-07-18T00:54:13.00Z', ip(DOC_PORTS_HOST)),
    component('T3BlblNTSCQkOC4ycDEkJFJlbW90ZSBBY2Nlc3MkJDg1LjEzLjEzOS4xOA==', 'OpenSSH', '8.2p1', 'Remote Access', '2021-05-26T01:05:09.00Z', '2023-08-09T12:59:13.00Z', ip(DOC_PORT_HOST)),
  ];
}

/** E13. */
export function docHostCookies(): Json[] {
  return [
    { '@odata.type': HOST_COOKIE.annotation, id: DOC_COOKIE_ID, firstSeenDateTime: '2022-02-26T07:23:34.558Z', lastSeenDateTime: '2023-02-28T04:57:15.288Z', domain: 'securemail.contoso.com', name: 'OIDC', host: hostname(DOC_COOKIE_HOST) },
  ];
}

/** E14. */
export function docHostTrackers(): Json[] {
  return [
    { '@odata.type': HOST_TRACKER.annotation, id: DOC_TRACKER_ID, firstSeenDateTime: '2019-06-13T17:25:22.761Z', lastSeenDateTime: '2023-03-25T23:59:32.157Z', kind: 'ContosoId', value: 'contoso-advertising', host: hostname(DOC_TRACKER_HOST) },
  ];
}

/** E9/E15 (forward, A record) and E10 (reverse, CNAME; direction as the navigation link defines it). */
export function docPassiveDnsRecords(): Json[] {
  const dates = { firstSeenDateTime: '2022-04-18T10:31:12Z', lastSeenDateTime: '2023-03-07T13:19:35Z', collectedDateTime: '2023-03-07T13:59:34.735Z' };
  return [
    { '@odata.type': PASSIVE_DNS_RECORD.annotation, id: DOC_PASSIVE_DNS_ID, ...dates, recordType: 'A', parentHost: hostname(DOC_HOST_ID), artifact: ip('20.103.85.33') },
    { '@odata.type': PASSIVE_DNS_RECORD.annotation, id: DOC_PASSIVE_DNS_REVERSE_ID, ...dates, recordType: 'CNAME', parentHost: hostname('www.contoso.com'), artifact: hostname(DOC_HOST_ID) },
  ];
}

/** A4/A14 (parent = child = contoso.com). */
export function docHostPairs(): Json[] {
  return [
    { '@odata.type': HOST_PAIR.annotation, id: DOC_HOST_PAIR_ID, firstSeenDateTime: '2022-05-11T01:27:14.187Z', lastSeenDateTime: '2023-06-23T06:33:31.493Z', linkKind: 'finalRedirect', parentHost: hostname(DOC_HOST_ID), childHost: hostname(DOC_HOST_ID) },
  ];
}

/** A6/A17. */
export function docSubdomains(): Json[] {
  return [{ '@odata.type': SUBDOMAIN.annotation, id: DOC_SUBDOMAIN_ID, firstSeenDateTime: null, host: hostname(DOC_HOST_ID) }];
}

/** A15 (under the requested host 8.8.8.8) and A16. */
export function docHostPorts(): Json[] {
  return [
    {
      '@odata.type': HOST_PORT.annotation,
      id: DOC_PORT_LIST_ID,
      port: 443,
      firstSeenDateTime: '2016-12-06T20:23:38.00Z',
      lastSeenDateTime: '2023-07-18T23:24:01.00Z',
      lastScanDateTime: '2023-07-18T23:24:29.00Z',
      timesObserved: 15590,
      status: 'open',
      protocol: 'tcp',
      banners: [
        { banner: 'HTTP/1.1 302 Found\r\nX-Content-Type-Options:...', firstSeenDateTime: '2023-06-21T00:49:23.00Z', lastSeenDateTime: '2023-07-18T15:31:57.00Z', scanProtocol: 'http_raw', timesObserved: 2 },
        { banner: 'HTTP/1.1 302 Found\r\nX-Content-Type-Options:...', firstSeenDateTime: '2021-03-12T15:38:42.00Z', lastSeenDateTime: '2023-07-18T15:22:16.00Z', scanProtocol: 'http_raw', timesObserved: 2975 },
      ],
      services: [
        { firstSeenDateTime: '2020-10-28T22:39:51.00Z', lastSeenDateTime: '2023-07-18T22:13:54.00Z', isRecent: true, component: { '@odata.type': HOST_COMPONENT.annotation, id: 'EVfwHhqkUQESmqrKSFHobDUHDAKBsWLf' } },
        { firstSeenDateTime: '2022-06-26T04:29:25.00Z', lastSeenDateTime: '2023-07-18T00:54:13.00Z', isRecent: false, component: { '@odata.type': HOST_COMPONENT.annotation, id: 'ZobhjJgOwebxpsXdCUjfTpshygqgcfJj' } },
      ],
      mostRecentSslCertificate: certificate(DOC_SSL_CERTIFICATE_ID),
      host: ip(DOC_PORTS_HOST),
    },
    {
      '@odata.type': HOST_PORT.annotation,
      id: DOC_PORT_ID,
      port: 21,
      firstSeenDateTime: null,
      lastSeenDateTime: '2023-08-09T23:18:21.00Z',
      lastScanDateTime: '2023-08-09T23:20:33.00Z',
      timesObserved: 3698,
      status: 'open',
      protocol: 'tcp',
      banners: [{ banner: '220 FTP on dd44024.kasserver.com ready\r\n', firstSeenDateTime: '2021-03-08T16:21:28.00Z', lastSeenDateTime: '2023-08-09T23:18:21.00Z', scanProtocol: 'telnet', timesObserved: 274 }],
      services: [
        { firstSeenDateTime: '2021-05-26T01:05:09.00Z', lastSeenDateTime: '2023-08-09T12:59:13.00Z', isRecent: true, component: { '@odata.type': HOST_COMPONENT.annotation, id: 'T3BlblNTSCQkOC4ycDEkJFJlbW90ZSBBY2Nlc3MkJDg1LjEzLjEzOS4xOA==' } },
      ],
      mostRecentSslCertificate: certificate(DOC_PORT_CERTIFICATE_ID),
      host: ip(DOC_PORT_HOST),
    },
  ];
}
