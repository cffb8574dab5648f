/**
 * RDAP responses (RFC 9083; one JSON document per file: an object, or a search result's `domainSearchResults` /
 * `ipSearchResults`) → one `whoisRecord` per `domain` or `ip network` object:
 *
 * - host = the hostname `ldhName` (lower case, canonical) of a domain; the ipAddress `startAddress` of a network;
 *   id = `whois-<host>`; the host's `whois` navigation points at it (hosts/{id}/whois);
 * - registrationDateTime / expirationDateTime / lastUpdateDateTime = the `registration` / `expiration` /
 *   `last changed` events; domainStatus = `status` joined with ', '; whoisServer = `port43`; rawWhoisText = the
 *   object's JSON; nameservers = `nameservers[].ldhName` (lower case) as whoisNameserver hosts;
 * - registrant, registrar, admin (role `administrative`), technical, billing, noc, abuse = the first entity with
 *   that role, top-level entities before nested ones: name = vCard `fn`, organization = `org`, email, telephone
 *   (`tel` not of type fax), fax, address from `adr` (street, city, state, postal code, country); an entity
 *   without a vCard, or whose vCard has none of these (redacted), gives no contact;
 * - the snapshot's time = the `last update of RDAP database` event, else `last changed`, else `registration`,
 *   else the import time: firstSeenDateTime = lastSeenDateTime = that time. Of several snapshots of one host
 *   (this import or stored), the latest is the whoisRecord and each older one a whoisHistoryRecord
 *   `whois-<host>-<time>` (whoisRecords/{id}/history).
 *
 * `autnum` objects have no host (skipped); an RDAP error response (`errorCode`) is a reject naming the code and title.
 * Positions: `object` (`domainSearchResults <i>` in a search result).
 */
import { HOST, HOSTNAME, IP_ADDRESS, PHYSICAL_ADDRESS, SETS, WHOIS_CONTACT, WHOIS_NAMESERVER, WHOIS_RECORD } from '../../model/names.js';
import { canonicalHostname, canonicalIp } from '../canonicalize.js';
import { iso, readJsonDocument } from '../read-whole-file.js';
import { isNonEmptyString, parseIsoTime, valueText, type ImportItem, type ReaderContext } from '../types.js';

type Obj = Record<string, unknown>;
const W = WHOIS_RECORD.p;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj).filter((x): x is Obj => !!x) : []);

/** RDAP role → whoisContact property of the record. */
const ROLES: Readonly<Record<string, string>> = {
  registrant: W.registrant,
  registrar: W.registrar,
  administrative: W.admin,
  technical: W.technical,
  billing: W.billing,
  noc: W.noc,
  abuse: W.abuse,
};

const text = (v: unknown): string | undefined => (isNonEmptyString(v) ? v.trim() : Array.isArray(v) ? text(v.filter(isNonEmptyString).join(', ')) : undefined);

/** A whoisContact from an entity's jCard (RFC 7095), or undefined without one. */
export function contactOf(entity: Obj): Obj | undefined {
  const card = Array.isArray(entity['vcardArray']) ? entity['vcardArray'][1] : undefined;
  if (!Array.isArray(card)) return undefined;
  const c: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (c[k] === undefined && v !== undefined) c[k] = v;
  };
  for (const prop of card) {
    if (!Array.isArray(prop) || typeof prop[0] !== 'string') continue;
    const [name, params, , ...values] = prop as [string, Obj | undefined, string, ...unknown[]];
    const value = values[0];
    switch (name.toLowerCase()) {
      case 'fn':
        set(WHOIS_CONTACT.p.name, text(value));
        break;
      case 'org':
        set(WHOIS_CONTACT.p.organization, text(value));
        break;
      case 'email':
        set(WHOIS_CONTACT.p.email, text(value));
        break;
      case 'tel': {
        const types = [obj(params)?.['type']].flat().map((t) => String(t).toLowerCase());
        const number = text(value)?.replace(/^tel:/i, '');
        set(types.includes('fax') ? WHOIS_CONTACT.p.fax : WHOIS_CONTACT.p.telephone, number);
        break;
      }
      case 'adr': {
        if (!Array.isArray(value)) break;
        const [, , street, city, state, postalCode, country] = value as unknown[];
        const address = {
          [PHYSICAL_ADDRESS.p.street]: text(street) ?? null,
          [PHYSICAL_ADDRESS.p.city]: text(city) ?? null,
          [PHYSICAL_ADDRESS.p.state]: text(state) ?? null,
          [PHYSICAL_ADDRESS.p.postalCode]: text(postalCode) ?? null,
          [PHYSICAL_ADDRESS.p.countryOrRegion]: text(country) ?? null,
        };
        if (Object.values(address).some((v) => v !== null)) set(WHOIS_CONTACT.p.address, address);
        break;
      }
    }
  }
  return Object.keys(c).length ? c : undefined;
}

/** The first entity per role, breadth first (top-level entities before nested ones). */
function contactsByRole(root: Obj): Obj {
  const out: Obj = {};
  let level = objs(root['entities']);
  while (level.length) {
    const next: Obj[] = [];
    for (const e of level) {
      const contact = contactOf(e);
      for (const role of Array.isArray(e['roles']) ? e['roles'] : []) {
        const key = typeof role === 'string' ? ROLES[role.toLowerCase()] : undefined;
        if (key && contact && out[key] === undefined) out[key] = contact;
      }
      next.push(...objs(e['entities']));
    }
    level = next;
  }
  return out;
}

const eventTime = (o: Obj, action: string): number | undefined => parseIsoTime(objs(o['events']).find((e) => typeof e['eventAction'] === 'string' && e['eventAction'].toLowerCase() === action)?.['eventDate']);

/** The items of one RDAP object. */
export function* rdapItems(o: Obj, position: string, now: number): Generator<ImportItem> {
  if (o['errorCode'] !== undefined) return yield { kind: 'reject', position, reason: `RDAP error ${String(o['errorCode'])}: ${text(o['title']) ?? text(o['description']) ?? 'no title'}` };
  const cls = typeof o['objectClassName'] === 'string' ? o['objectClassName'].toLowerCase() : undefined;
  let host: Obj;
  if (cls === 'domain') {
    const name = typeof o['ldhName'] === 'string' ? canonicalHostname(o['ldhName']) : undefined;
    if (!name) return yield { kind: 'reject', position, reason: 'missing or invalid ldhName' };
    host = { '@odata.type': HOSTNAME.annotation, id: name };
  } else if (cls === 'ip network') {
    const ip = typeof o['startAddress'] === 'string' ? canonicalIp(o['startAddress']) : undefined;
    if (!ip) return yield { kind: 'reject', position, reason: 'missing or invalid startAddress' };
    host = { '@odata.type': IP_ADDRESS.annotation, id: ip };
  } else if (cls === undefined) {
    return yield { kind: 'reject', position, reason: 'not an RDAP object (no objectClassName)' };
  } else return yield { kind: 'skip', position, reason: `${cls} has no whois host` };

  for (const action of ['registration', 'expiration', 'last changed', 'last update of rdap database']) {
    const raw = objs(o['events']).find((e) => typeof e['eventAction'] === 'string' && e['eventAction'].toLowerCase() === action)?.['eventDate'];
    if (raw !== undefined && parseIsoTime(raw) === undefined) return yield { kind: 'reject', position, reason: `invalid eventDate of ${action}`, value: valueText(raw) };
  }
  const observed = eventTime(o, 'last update of rdap database') ?? eventTime(o, 'last changed') ?? eventTime(o, 'registration') ?? now;
  const at = (t: number | undefined): string | null => (t === undefined ? null : iso(t));
  const nameservers: Obj[] = [];
  for (const ns of objs(o['nameservers'])) {
    const h = typeof ns['ldhName'] === 'string' ? canonicalHostname(ns['ldhName']) : undefined;
    if (!h) {
      yield { kind: 'skip', position, reason: 'nameserver without a valid ldhName' };
      continue;
    }
    if (!nameservers.some((n) => (n[WHOIS_NAMESERVER.n.host] as Obj)['id'] === h)) {
      nameservers.push({ [WHOIS_NAMESERVER.p.firstSeenDateTime]: null, [WHOIS_NAMESERVER.p.lastSeenDateTime]: null, [WHOIS_NAMESERVER.n.host]: { '@odata.type': HOSTNAME.annotation, id: h } });
    }
  }
  const status = Array.isArray(o['status']) ? o['status'].filter(isNonEmptyString) : [];
  const json: Obj = {
    [W.id]: `whois-${String(host['id'])}`,
    [W.registrationDateTime]: at(eventTime(o, 'registration')),
    [W.expirationDateTime]: at(eventTime(o, 'expiration')),
    [W.lastUpdateDateTime]: at(eventTime(o, 'last changed')),
    [W.firstSeenDateTime]: iso(observed),
    [W.lastSeenDateTime]: iso(observed),
    [W.domainStatus]: status.length ? status.join(', ') : null,
    [W.whoisServer]: text(o['port43']) ?? null,
    [W.rawWhoisText]: JSON.stringify(o),
    [W.nameservers]: nameservers,
    ...contactsByRole(o),
    [WHOIS_RECORD.n.host]: host,
  };
  yield {
    kind: 'entity',
    position,
    entity: { set: SETS.whoisRecords, json, snapshot: { historySet: SETS.whoisHistoryRecords, observed }, links: [{ set: SETS.hosts, json: host, navigation: HOST.n.whois }] },
  };
}

export async function* readRdap(ctx: ReaderContext): AsyncGenerator<ImportItem> {
  const doc = await readJsonDocument(ctx);
  if (!doc.ok) return yield { kind: 'reject', position: 'file', reason: doc.reason };
  const o = obj(doc.value);
  if (!o) return yield { kind: 'reject', position: 'file', reason: 'not an RDAP response (expected an object)' };
  const results = ['domainSearchResults', 'ipSearchResults'].filter((k) => Array.isArray(o[k]));
  if (results.length === 0) return yield* rdapItems(o, 'object', ctx.now);
  for (const k of results) {
    for (const [i, r] of (o[k] as unknown[]).entries()) {
      const ro = obj(r);
      if (ro) yield* rdapItems(ro, `${k} ${i}`, ctx.now);
      else yield { kind: 'reject', position: `${k} ${i}`, reason: 'not an RDAP object' };
    }
  }
}
