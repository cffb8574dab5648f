/**
 * Canonical artifact values, so that values differing only in spelling meet in one artifact (and, through
 * indicatorId(profile, artifact), in one indicator):
 *
 * - refanging first: `hxxp(s)` → `http(s)`, `[.]` `(.)` `{.}` `[dot]` → `.`, `[:]` → `:`;
 * - hostnames: lower case, trailing dot removed, IDNA → ASCII (node:url domainToASCII), then checked
 *   (at least two labels of [a-z0-9_-]{1,63}, at most 253 characters, a non-numeric top-level label);
 * - IP addresses: net.isIP must accept them; IPv4 dotted decimal without leading zeros (an ambiguous octal
 *   spelling is rejected, not guessed); IPv6 compressed and lower-cased per RFC 5952 (via the WHATWG URL
 *   host serializer); an IPv4-mapped IPv6 address becomes the IPv4 address; a /32 or /128 is the host, any
 *   other prefix is a network and is skipped ('network, not a host');
 * - URLs: with a scheme, the WHATWG serialization (lower-case scheme and host, punycode, default port dropped);
 *   without a scheme (`host/path`, as in maltrail trails) the host part is canonicalized and the rest kept
 *   verbatim, unless it holds a control character or text the stores cannot hold (a NUL, a lone surrogate): those
 *   are rejected, as the WHATWG parser would have percent-encoded them; a port must be 0–65535. URLs become unclassifiedArtifact of kind 'url' with id unclassifiedArtifactId(value).
 *
 * The result is the artifact's Graph JSON (with "@odata.type"), or a skip (valid input tigraph does not
 * store) or a reject (malformed input), each with a reason that the import summary groups by.
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { unclassifiedArtifactId } from '../model/ids.js';
import { findUnstorable } from '../odata/bind/unstorable-text.js';
import { T_HOSTNAME, T_IP_ADDRESS, T_UNCLASSIFIED } from '../seed/seed-dataset.js';

export interface ArtifactJson {
  readonly '@odata.type': string;
  readonly id: string;
  readonly [key: string]: unknown;
}

export type Canonical =
  | { readonly ok: true; readonly artifact: ArtifactJson }
  | { readonly ok: false; readonly outcome: 'skip' | 'reject'; readonly reason: string };

/** What the source says the value is; 'auto' guesses from its shape (IOC lists). */
export type ValueHint = 'hostname' | 'ip' | 'ipv4' | 'ipv6' | 'url' | 'auto';

const skip = (reason: string): Canonical => ({ ok: false, outcome: 'skip', reason });
const reject = (reason: string): Canonical => ({ ok: false, outcome: 'reject', reason });

/** What refang rewrites: a bracket of any kind, leading or trailing white space, a defanged scheme. */
const DEFANGED = /[[({]|^\s|\s$|^(?:hxxp|fxp)/i;

export function refang(value: string): string {
  // Most values are not defanged: one test instead of five replacements (a bulk import's hot path).
  if (!DEFANGED.test(value)) return value;
  return value
    .trim()
    .replace(/^hxxp(s?)(?=:|\[:\])/i, 'http$1')
    .replace(/^fxp(?=:|\[:\])/i, 'ftp')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[\/\]/g, '/');
}

export const hostnameArtifact = (id: string): ArtifactJson => ({ '@odata.type': T_HOSTNAME, id });
export const ipArtifact = (id: string): ArtifactJson => ({ '@odata.type': T_IP_ADDRESS, id });
export const urlArtifact = (value: string): ArtifactJson => ({ '@odata.type': T_UNCLASSIFIED, id: unclassifiedArtifactId(value), kind: 'url', value });

/** At least two labels of [a-z0-9_-]{1,63}, the last not all digits. */
const DNS_NAME = /^(?:[a-z0-9_-]{1,63}\.)+(?![0-9]+$)[a-z0-9_-]{1,63}$/;

/** Canonical hostname, or undefined when the value is not a valid DNS name. */
export function canonicalHostname(raw: string): string | undefined {
  let h = refang(raw).toLowerCase();
  while (h.endsWith('.')) h = h.slice(0, -1);
  if (h.length === 0 || /[\s/\\@]/.test(h)) return undefined;
  // Printable ASCII without a punycode label is already ASCII (IDNA would return it unchanged).
  const ascii = /^[\x21-\x7e]*$/.test(h) && !/(?:^|\.)xn--/.test(h) ? h : domainToASCII(h);
  if (!ascii || ascii.length > 253) return undefined;
  return DNS_NAME.test(ascii) ? ascii : undefined;
}

/** Canonical IP address (no prefix), or undefined. */
export function canonicalIp(raw: string): string | undefined {
  const v = raw.trim();
  const family = isIP(v);
  if (family === 4) return v.split('.').some((o) => o.length > 1 && o.startsWith('0')) ? undefined : v;
  if (family === 6) {
    let host: string;
    try {
      host = new URL(`http://[${v.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
    } catch {
      return undefined;
    }
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped) {
      const hi = parseInt(mapped[1]!, 16);
      const lo = parseInt(mapped[2]!, 16);
      return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
    }
    return host;
  }
  return undefined;
}

/** An IP address or CIDR (`a/n`): a host artifact for a single address, a skip for a network. */
export function canonicalizeIp(raw: string, family?: 4 | 6): Canonical {
  const v = refang(raw);
  const slash = v.indexOf('/');
  const addr = slash < 0 ? v : v.slice(0, slash);
  const ip = canonicalIp(addr);
  const fam = isIP(addr.trim());
  if (!ip) return reject(family === 6 ? 'invalid IPv6 address' : family === 4 ? 'invalid IPv4 address' : 'invalid IP address');
  if (family && fam !== family) return reject(`not an IPv${family} address`);
  if (slash >= 0) {
    const prefix = v.slice(slash + 1);
    const max = fam === 4 ? 32 : 128;
    if (!/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > max) return reject('invalid CIDR prefix');
    if (Number(prefix) !== max) return skip('network, not a host');
  }
  return { ok: true, artifact: ipArtifact(ip) };
}

export function canonicalizeHostname(raw: string): Canonical {
  const v = refang(raw);
  // A hostname field holding an IP address is the IP address.
  if (isIP(v) || /^[0-9.]+$/.test(v)) return canonicalizeIp(v);
  const h = canonicalHostname(v);
  return h ? { ok: true, artifact: hostnameArtifact(h) } : reject('invalid hostname');
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export function canonicalizeUrl(raw: string): Canonical {
  const v = refang(raw);
  if (SCHEME.test(v)) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      return reject('invalid URL');
    }
    if (!url.hostname) return reject('invalid URL');
    return { ok: true, artifact: urlArtifact(url.href) };
  }
  if (v.startsWith('/')) return skip('URL path without host');
  const unstorable = findUnstorable(v);
  if (unstorable) return reject(`invalid URL: ${unstorable.describe} at index ${unstorable.index}`);
  const control = /[\u0001-\u001f\u007f]/.exec(v);
  if (control) return reject(`invalid URL: a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) at index ${control.index}`);
  const slash = v.indexOf('/');
  const hostPart = slash < 0 ? v : v.slice(0, slash);
  if (!validPort(hostPart)) return reject('invalid port');
  const host = canonicalHostPort(hostPart);
  if (!host) return reject('invalid URL host');
  return { ok: true, artifact: urlArtifact(host + (slash < 0 ? '' : v.slice(slash))) };
}

/** False when `hostPort` ends in ports (`:digits`, one or more) of which one is above 65535. */
const validPort = (hostPort: string): boolean => {
  const m = /(?::[0-9]+)+$/.exec(hostPort);
  return !m || m[0].slice(1).split(':').every((p) => p.length <= 5 && Number(p) <= 65535);
};

/** `host`, `host:port`, `ip`, `ip:port`, `[v6]:port` → canonical host (port kept), or undefined. */
function canonicalHostPort(v: string): string | undefined {
  const m = /^\[([^\]]+)\](?::([0-9]{1,5}))?$/.exec(v);
  if (m) {
    const ip = canonicalIp(m[1]!);
    return ip ? `[${ip}]${m[2] ? `:${m[2]}` : ''}` : undefined;
  }
  const colon = v.indexOf(':');
  const host = colon < 0 ? v : v.slice(0, colon);
  const port = colon < 0 ? '' : v.slice(colon);
  if (port && !/^:[0-9]{1,5}$/.test(port)) return undefined;
  const c = canonicalIp(host) ?? canonicalHostname(host);
  return c ? c + port : undefined;
}

/**
 * The host of a URL artifact (canonicalizeUrl's output) as a hostname or ipAddress artifact, or undefined for
 * other artifacts and hosts that are neither (the importer derives an indicator of the host from every URL
 * indicator: run-import.ts).
 */
export function hostOfUrl(artifact: ArtifactJson): ArtifactJson | undefined {
  if (artifact['@odata.type'] !== T_UNCLASSIFIED || artifact['kind'] !== 'url' || typeof artifact['value'] !== 'string') return undefined;
  const value = artifact['value'];
  let host: string;
  if (SCHEME.test(value)) {
    try {
      host = new URL(value).hostname;
    } catch {
      return undefined;
    }
  } else {
    const end = value.search(/[/?#]/);
    const hostPort = end < 0 ? value : value.slice(0, end);
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostPort);
    host = bracketed ? bracketed[1]! : hostPort.replace(/:\d+$/, '');
  }
  host = host.replace(/^\[|\]$/g, '');
  const ip = canonicalIp(host);
  if (ip) return ipArtifact(ip);
  const name = canonicalHostname(host);
  return name ? hostnameArtifact(name) : undefined;
}

/**
 * A value of unknown kind (IOC lists): URL with scheme, `host/path`, IP, CIDR, `ip:port` (also `ip:port:port`,
 * `[v6]:port`; the port is dropped), `host:port`, or a hostname.
 */
export function canonicalizeAuto(raw: string): Canonical {
  const v = refang(raw);
  if (v.length === 0) return reject('empty value');
  // A CIDR has an address of digits and dots (IPv4) or with a colon (IPv6) before its slash: `dead.beef/24`,
  // hex letters and dots, is a host and a path.
  const cidr = /^([0-9a-f:.]+)\/[0-9]{1,3}$/i.exec(v);
  const isCidr = cidr !== null && (/^[0-9.]+$/.test(cidr[1]!) || cidr[1]!.includes(':'));
  if (SCHEME.test(v) || (v.includes('/') && !isCidr)) return canonicalizeUrl(v);
  if (isIP(v) || isCidr) return canonicalizeIp(v);
  const bracketed = /^\[([^\]]+)\](?::[0-9]{1,5})*$/.exec(v);
  if (bracketed) return validPort(v) ? canonicalizeIp(bracketed[1]!) : reject('invalid port');
  const portless = /^([^:]+)(?::[0-9]{1,5})+$/.exec(v);
  if (portless) return validPort(v) ? canonicalizeAuto(portless[1]!) : reject('invalid port');
  const badPort = /^([^:]+):([0-9]+)$/.exec(v);
  if (badPort) return reject('invalid port');
  if (/^[0-9.]+$/.test(v)) return reject('invalid IPv4 address');
  if (v.includes(':')) return reject('invalid IPv6 address');
  const h = canonicalHostname(v);
  return h ? { ok: true, artifact: hostnameArtifact(h) } : reject('not a domain, IP address or URL');
}

export function canonicalize(raw: string, hint: ValueHint = 'auto'): Canonical {
  switch (hint) {
    case 'hostname':
      return canonicalizeHostname(raw);
    case 'ip':
      return canonicalizeIp(raw);
    case 'ipv4':
      return canonicalizeIp(raw, 4);
    case 'ipv6':
      return canonicalizeIp(raw, 6);
    case 'url':
      return canonicalizeUrl(raw);
    case 'auto':
      return canonicalizeAuto(raw);
  }
}
