/**
 * X.509 certificates (PEM — every `CERTIFICATE` block of the file, text around them ignored — or one DER
 * certificate) → one `sslCertificate` each, read with node:crypto's X509Certificate:
 *
 * - sha1 = the lower-case hex SHA-1 of the DER; fingerprint = the same digest as colon-separated lower-case hex
 *   pairs; id = base64 of the sha1 hex text (the form of Graph's documented example, which is also always a valid
 *   key: base64 of hex digits has no '/' or '+'); serialNumber = the serial in decimal (as in the example);
 *   issueDateTime / expirationDateTime = notBefore / notAfter;
 * - subject / issuer → sslCertificateEntity: CN → commonName, O → organizationName, OU → organizationUnitName,
 *   serialNumber, emailAddress → email, GN → givenName, SN → surname, street / L / ST / postalCode / C → address
 *   (repeated attributes joined with ', '); the subject's alternateNames = the DNS names and IP addresses of the
 *   subjectAltName extension; attributes with no Graph field (jurisdictionC, businessCategory, …) are dropped;
 * - firstSeenDateTime / lastSeenDateTime: not in a certificate (null), unless `--host` names where it was seen.
 * - relatedHosts (derived from the SAN): for a leaf certificate (not a CA), one `hostSslCertificate`
 *   (id `<sha1>-<host>`, no ports, no times) per SAN DNS name or IP that is a valid host (wildcards and single
 *   labels are skipped and reported), so `sslCertificates/{id}/relatedHosts` and `hosts/{id}/sslCertificates` answer.
 * - `--host h[:port]`: the certificate was served by h: a hostSslCertificate for h with the port (first and last
 *   seen = the import time, merged earliest/latest on re-import), the certificate's first/last seen likewise, and
 *   with a port a `hostPort` (id `<host>-<port>`, tcp, open, mostRecentSslCertificate = this certificate).
 *
 * Positions: `certificate <n>` (1-based, in file order).
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { HOST_PORT, HOST_SSL_CERTIFICATE, HOST_SSL_CERTIFICATE_PORT, PHYSICAL_ADDRESS, SETS, SSL_CERTIFICATE, SSL_CERTIFICATE_ENTITY } from '../../model/names.js';
import { canonicalize } from '../canonicalize.js';
import { iso, readWholeFile } from '../read-whole-file.js';
import type { ImportItem, ReaderContext } from '../types.js';

type Obj = Record<string, unknown>;
const E = SSL_CERTIFICATE_ENTITY.p;
const A = PHYSICAL_ADDRESS.p;
const PEM_BLOCK = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/** Distinguished-name text as node:crypto prints it (one `key=value` per line) → attribute → values. */
export function parseDn(text: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of (text ?? '').split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim();
    const value = line.slice(i + 1).replace(/\\(.)/g, '$1').trim();
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

function entityOf(dn: Map<string, string[]>, alternateNames: string[]): Obj {
  const get = (k: string): string | null => (dn.get(k)?.length ? dn.get(k)!.join(', ') : null);
  const address = { [A.street]: get('street'), [A.city]: get('L'), [A.state]: get('ST'), [A.postalCode]: get('postalCode'), [A.countryOrRegion]: get('C') };
  return {
    [E.commonName]: get('CN'),
    [E.organizationName]: get('O'),
    [E.organizationUnitName]: get('OU'),
    [E.serialNumber]: get('serialNumber'),
    [E.email]: get('emailAddress'),
    [E.givenName]: get('GN'),
    [E.surname]: get('SN'),
    [E.address]: Object.values(address).some((v) => v !== null) ? address : null,
    [E.alternateNames]: alternateNames,
  };
}

/** The certificates of a file: the PEM blocks, else the whole file as DER. */
function certificatesOf(bytes: Buffer): { der?: Buffer; pem?: string }[] {
  const text = bytes.toString('latin1');
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => ({ pem: m[0] }));
  return blocks.length ? blocks : text.includes('-----BEGIN') ? [] : [{ der: bytes }];
}

/** `h[:port]` (IPv6 as `[addr]:port`) → canonical host artifact and port, or why not. */
export function parseHostOption(value: string): { ok: true; host: Obj; port: number | undefined } | { ok: false; reason: string } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:]+)(?::(\d+))?$/.exec(value) ?? (isIP(value) === 6 ? ([value, value, undefined] as const) : undefined);
  if (!m) return { ok: false, reason: `invalid --host ${value}: expected host, host:port, an IP address or [IPv6]:port` };
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return { ok: false, reason: `invalid --host port ${m[2]}` };
  const c = canonicalize(m[1]!, 'auto');
  if (!c.ok || c.artifact.kind !== undefined) return { ok: false, reason: `invalid --host ${value}: not a hostname or IP address` };
  return { ok: true, host: { '@odata.type': c.artifact['@odata.type'], id: c.artifact.id }, port };
}

export async function* readX509(ctx: ReaderContext): AsyncGenerator<ImportItem> {
  const whole = await readWholeFile(ctx);
  if (!whole.ok) return yield { kind: 'reject', position: 'file', reason: whole.reason };
  const seenAt = ctx.host === undefined ? undefined : parseHostOption(ctx.host);
  if (seenAt && !seenAt.ok) return yield { kind: 'reject', position: '--host', reason: seenAt.reason };
  const certs = certificatesOf(whole.bytes);
  if (certs.length === 0) return yield { kind: 'reject', position: 'file', reason: 'no certificate (a PEM marker without a well-formed CERTIFICATE block)' };
  for (const [i, c] of certs.entries()) {
    const position = `certificate ${i + 1}`;
    let x: X509Certificate;
    try {
      x = new X509Certificate(c.pem ?? c.der!);
    } catch {
      // OpenSSL's text (`error:0480006C:PEM routines::no start line`) says nothing to the reader of a summary.
      yield { kind: 'reject', position, reason: `not an X.509 certificate (malformed or truncated ${c.pem ? 'PEM' : 'DER'})` };
      continue;
    }
    const sha1 = x.fingerprint.replace(/:/g, '').toLowerCase();
    const id = Buffer.from(sha1, 'ascii').toString('base64');
    const notBefore = Date.parse(x.validFrom);
    const notAfter = Date.parse(x.validTo);
    if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) {
      yield { kind: 'reject', position, reason: 'invalid validity dates' };
      continue;
    }
    const san = (x.subjectAltName ?? '').split(/,\s*/).filter(Boolean);
    const names = san.map((s) => /^(DNS|IP Address):(.+)$/.exec(s)?.[2]?.trim()).filter((v): v is string => !!v);
    const now = seenAt?.ok ? iso(ctx.now) : null;
    const ref = { id };
    yield {
      kind: 'entity',
      position,
      entity: {
        set: SETS.sslCertificates,
        json: {
          [SSL_CERTIFICATE.p.id]: id,
          [SSL_CERTIFICATE.p.sha1]: sha1,
          [SSL_CERTIFICATE.p.fingerprint]: sha1.replace(/(..)(?!$)/g, '$1:'),
          [SSL_CERTIFICATE.p.serialNumber]: BigInt(`0x${x.serialNumber}`).toString(),
          [SSL_CERTIFICATE.p.issueDateTime]: iso(notBefore),
          [SSL_CERTIFICATE.p.expirationDateTime]: iso(notAfter),
          [SSL_CERTIFICATE.p.firstSeenDateTime]: now,
          [SSL_CERTIFICATE.p.lastSeenDateTime]: now,
          [SSL_CERTIFICATE.p.subject]: entityOf(parseDn(x.subject), names),
          [SSL_CERTIFICATE.p.issuer]: entityOf(parseDn(x.issuer), []),
        },
      },
    };
    const observation = (host: Obj, port: number | undefined, seen: string | null): ImportItem => ({
      kind: 'entity',
      position,
      entity: {
        set: SETS.hostSslCertificates,
        json: {
          [HOST_SSL_CERTIFICATE.p.id]: `${sha1}-${String(host['id'])}`,
          [HOST_SSL_CERTIFICATE.p.firstSeenDateTime]: seen,
          [HOST_SSL_CERTIFICATE.p.lastSeenDateTime]: seen,
          [HOST_SSL_CERTIFICATE.p.ports]:
            port === undefined ? [] : [{ [HOST_SSL_CERTIFICATE_PORT.p.port]: port, [HOST_SSL_CERTIFICATE_PORT.p.firstSeenDateTime]: seen, [HOST_SSL_CERTIFICATE_PORT.p.lastSeenDateTime]: seen }],
          [HOST_SSL_CERTIFICATE.n.host]: host,
          [HOST_SSL_CERTIFICATE.n.sslCertificate]: ref,
        },
      },
    });
    const hostIds = new Set<string>();
    if (seenAt?.ok) hostIds.add(String(seenAt.host['id']));
    if (!x.ca) {
      for (const name of names) {
        const h = canonicalize(name, 'auto');
        if (!h.ok || h.artifact.kind !== undefined) {
          yield { kind: 'skip', position, reason: 'SAN name is not a host', value: name };
          continue;
        }
        if (hostIds.has(h.artifact.id)) continue;
        hostIds.add(h.artifact.id);
        yield observation({ '@odata.type': h.artifact['@odata.type'], id: h.artifact.id }, undefined, null);
      }
    } else if (names.length) yield { kind: 'skip', position, reason: 'CA certificate: no related hosts' };
    if (seenAt?.ok) {
      yield observation(seenAt.host, seenAt.port, now);
      if (seenAt.port !== undefined) {
        const P = HOST_PORT.p;
        yield {
          kind: 'entity',
          position,
          entity: {
            set: SETS.hostPorts,
            json: {
              [P.id]: `${String(seenAt.host['id'])}-${seenAt.port}`,
              [P.port]: seenAt.port,
              [P.protocol]: 'tcp',
              [P.status]: 'open',
              [P.firstSeenDateTime]: now,
              [P.lastSeenDateTime]: now,
              [P.lastScanDateTime]: now,
              [HOST_PORT.n.host]: seenAt.host,
              [HOST_PORT.n.mostRecentSslCertificate]: ref,
            },
          },
        };
      }
    }
  }
}
