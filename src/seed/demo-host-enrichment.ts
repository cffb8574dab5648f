/**
 * Synthetic enrichment for every host-related type of threatIntelligence, so that every navigation answers with
 * something on a fresh `npm start`: passive DNS (forward and reverse), a port with banners, a service component and
 * its most recent certificate, a certificate seen on two hosts, a cookie, a tracker, subdomains, a host pair, a
 * reputation, and a whois record with two history snapshots.
 *
 * Everything is made up and lives in reserved space: hosts under the reserved TLD `.example` (RFC 2606), the
 * documentation addresses 203.0.113.10 (RFC 5737) and 2001:db8::10 (RFC 3849), the documentation AS number 64500
 * (RFC 5398), country `ZZ`; ids start with `tigraph-demo-`, texts say "synthetic", and the certificate's digests
 * are visibly fake (repeated `de`/`mo`-like hex).
 */
import { T_HOSTNAME, T_IP_ADDRESS } from './seed-dataset.js';
import { SYNTHETIC_LABEL } from './synthetic-label.js';
import {
  HOST_COMPONENT,
  HOST_COOKIE,
  HOST_PAIR,
  HOST_PORT,
  HOST_SSL_CERTIFICATE,
  HOST_TRACKER,
  PASSIVE_DNS_RECORD,
  SETS,
  SSL_CERTIFICATE,
  SUBDOMAIN,
  WHOIS_HISTORY_RECORD,
  WHOIS_RECORD,
} from '../model/names.js';

type Json = Record<string, unknown>;

export const DEMO_APEX = 'tigraph-demo.example';
export const DEMO_SHOP = `shop.${DEMO_APEX}`;
export const DEMO_CDN = `cdn.${DEMO_APEX}`;
export const DEMO_IPV4 = '203.0.113.10';
export const DEMO_IPV6 = '2001:db8::10';
export const DEMO_CERTIFICATE_ID = 'tigraph-demo-certificate-1';
export const DEMO_WHOIS_ID = `tigraph-demo-whois-${DEMO_APEX}`;

const FIRST = '2023-01-10T00:00:00Z';
const LAST = '2025-06-01T00:00:00Z';
const seen = { firstSeenDateTime: FIRST, lastSeenDateTime: LAST };
const hostname = (id: string): Json => ({ '@odata.type': T_HOSTNAME, id });
const ip = (id: string): Json => ({ '@odata.type': T_IP_ADDRESS, id });

/** The synthetic hosts, with a reputation on the shop (SeedDataset.hosts). */
export function buildDemoEnrichedHosts(): Json[] {
  const asn = { name: 'SYNTHETIC-DEMO-AS64500', number: 64500, organization: SYNTHETIC_LABEL, value: 'AS64500' };
  const name = (id: string): Json => ({ ...hostname(id), ...seen, registrar: SYNTHETIC_LABEL, registrant: SYNTHETIC_LABEL });
  const address = (id: string, netblock: string): Json => ({ ...ip(id), ...seen, autonomousSystem: asn, countryOrRegion: 'ZZ', hostingProvider: SYNTHETIC_LABEL, netblock });
  return [
    { ...name(DEMO_APEX), whois: demoWhoisRecord() },
    {
      ...name(DEMO_SHOP),
      reputation: {
        id: DEMO_SHOP,
        classification: 'suspicious',
        score: 55,
        rules: [{ name: 'Synthetic young domain', description: 'Demo data: registered recently according to a made-up feed.', severity: 'medium', relatedDetailsUrl: null }],
      },
    },
    name(DEMO_CDN),
    address(DEMO_IPV4, '203.0.113.0/24'),
    address(DEMO_IPV6, '2001:db8::/32'),
  ];
}

function passiveDns(): Json[] {
  const r = (n: number, recordType: string, parent: Json, artifact: Json): Json => ({
    '@odata.type': PASSIVE_DNS_RECORD.annotation,
    id: `tigraph-demo-pdns-${n}`,
    ...seen,
    collectedDateTime: LAST,
    recordType,
    parentHost: parent,
    artifact,
  });
  return [r(1, 'A', hostname(DEMO_SHOP), ip(DEMO_IPV4)), r(2, 'AAAA', hostname(DEMO_SHOP), ip(DEMO_IPV6)), r(3, 'CNAME', hostname(DEMO_CDN), hostname(DEMO_SHOP))];
}

function components(): Json[] {
  const c = (id: string, name: string, version: string, category: string, host: Json): Json => ({ '@odata.type': HOST_COMPONENT.annotation, id, ...seen, name, version, category, host });
  return [c('tigraph-demo-component-nginx', 'nginx', '1.24.0', 'Server', ip(DEMO_IPV4)), c('tigraph-demo-component-widget', 'Widget Shop (synthetic)', '2.1', 'Web application', hostname(DEMO_SHOP))];
}

function certificates(): Json[] {
  const entity = (commonName: string, alternateNames: string[]): Json => ({
    commonName,
    alternateNames,
    organizationName: SYNTHETIC_LABEL,
    address: { city: null, countryOrRegion: 'ZZ', postalCode: null, state: null, street: null },
  });
  return [
    {
      '@odata.type': SSL_CERTIFICATE.annotation,
      id: DEMO_CERTIFICATE_ID,
      ...seen,
      fingerprint: 'de:de:de:de:de:de:de:de:de:de:de:de:de:de:de:de:de:de:de:01',
      sha1: 'dededededededededededededededededede0001',
      serialNumber: '0000000000000000000000000000000000000001',
      issueDateTime: '2023-01-01T00:00:00Z',
      expirationDateTime: '2026-01-01T00:00:00Z',
      subject: entity(DEMO_SHOP, [DEMO_SHOP, DEMO_CDN]),
      issuer: entity('Synthetic Demo CA (tigraph)', []),
    },
  ];
}

function hostCertificates(): Json[] {
  const hc = (id: string, host: Json): Json => ({
    '@odata.type': HOST_SSL_CERTIFICATE.annotation,
    id,
    ...seen,
    ports: [{ port: 443, ...seen }],
    host,
    sslCertificate: { '@odata.type': SSL_CERTIFICATE.annotation, id: DEMO_CERTIFICATE_ID },
  });
  return [hc(`tigraph-demo-hostcert-${DEMO_SHOP}-443`, hostname(DEMO_SHOP)), hc(`tigraph-demo-hostcert-${DEMO_IPV4}-443`, ip(DEMO_IPV4))];
}

function ports(): Json[] {
  return [
    {
      '@odata.type': HOST_PORT.annotation,
      id: `tigraph-demo-port-${DEMO_IPV4}-443`,
      port: 443,
      ...seen,
      lastScanDateTime: LAST,
      timesObserved: 42,
      status: 'open',
      protocol: 'tcp',
      banners: [{ banner: 'HTTP/1.1 200 OK\r\nServer: nginx (synthetic demo banner)', ...seen, scanProtocol: 'http_raw', timesObserved: 42 }],
      services: [{ ...seen, isRecent: true, component: { '@odata.type': HOST_COMPONENT.annotation, id: 'tigraph-demo-component-nginx' } }],
      mostRecentSslCertificate: { '@odata.type': SSL_CERTIFICATE.annotation, id: DEMO_CERTIFICATE_ID },
      host: ip(DEMO_IPV4),
    },
  ];
}

function whois(type: string, id: string, snapshot: { registrar: string; updated: string; first: string; last: string }): Json {
  return {
    '@odata.type': type,
    id,
    domainStatus: 'clientTransferProhibited',
    registrationDateTime: '2022-11-01T00:00:00Z',
    expirationDateTime: '2026-11-01T00:00:00Z',
    lastUpdateDateTime: snapshot.updated,
    firstSeenDateTime: snapshot.first,
    lastSeenDateTime: snapshot.last,
    whoisServer: 'whois.registrar.example',
    registrar: { name: snapshot.registrar, email: 'abuse@registrar.example' },
    registrant: { name: 'Redacted for privacy (synthetic)', organization: SYNTHETIC_LABEL, email: 'registrant@privacy.example' },
    rawWhoisText: `Demo data: a synthetic whois record of ${DEMO_APEX}.`,
    nameservers: [1, 2].map((n) => ({ ...seen, host: hostname(`ns${n}.${DEMO_APEX}`) })),
    host: hostname(DEMO_APEX),
  };
}

/** The apex's current whois record (deep-inserted into its host: `host.whois` is the host's own link). */
function demoWhoisRecord(): Json {
  return whois(WHOIS_RECORD.annotation, DEMO_WHOIS_ID, { registrar: 'Example Registrar (synthetic)', updated: '2024-11-01T00:00:00Z', first: '2024-11-02T00:00:00Z', last: LAST });
}

/** Entities of the other sets (SeedDataset.entities), in dependency order. */
export function buildDemoEnrichment(): { set: string; records: Json[] }[] {
  const cookie = { '@odata.type': HOST_COOKIE.annotation, id: 'tigraph-demo-cookie-session', ...seen, domain: DEMO_SHOP, name: 'demo_session', host: hostname(DEMO_SHOP) };
  const tracker = { '@odata.type': HOST_TRACKER.annotation, id: 'tigraph-demo-tracker-1', ...seen, kind: 'DemoAnalyticsId', value: 'DEMO-0000-1', host: hostname(DEMO_SHOP) };
  const subdomain = (name: string): Json => ({ '@odata.type': SUBDOMAIN.annotation, id: `${name}$$${DEMO_APEX}`, firstSeenDateTime: FIRST, host: hostname(DEMO_APEX) });
  const pair = { '@odata.type': HOST_PAIR.annotation, id: 'tigraph-demo-pair-1', ...seen, linkKind: 'redirect', parentHost: hostname(DEMO_SHOP), childHost: hostname(DEMO_CDN) };
  return [
    { set: SETS.passiveDnsRecords, records: passiveDns() },
    { set: SETS.hostComponents, records: components() },
    { set: SETS.sslCertificates, records: certificates() },
    { set: SETS.hostSslCertificates, records: hostCertificates() },
    { set: SETS.hostPorts, records: ports() },
    { set: SETS.hostCookies, records: [cookie] },
    { set: SETS.hostTrackers, records: [tracker] },
    { set: SETS.subdomains, records: [subdomain(DEMO_SHOP), subdomain(DEMO_CDN)] },
    { set: SETS.hostPairs, records: [pair] },
    {
      set: SETS.whoisHistoryRecords,
      records: [
        whois(WHOIS_HISTORY_RECORD.annotation, `${DEMO_WHOIS_ID}-2022`, { registrar: 'Old Example Registrar (synthetic)', updated: '2022-11-01T00:00:00Z', first: '2022-11-02T00:00:00Z', last: '2023-10-31T00:00:00Z' }),
        whois(WHOIS_HISTORY_RECORD.annotation, `${DEMO_WHOIS_ID}-2023`, { registrar: 'Example Registrar (synthetic)', updated: '2023-11-01T00:00:00Z', first: '2023-11-02T00:00:00Z', last: '2024-11-01T00:00:00Z' }),
      ],
    },
  ];
}
