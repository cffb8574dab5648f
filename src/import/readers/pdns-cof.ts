/**
 * Passive DNS in the Common Output Format (draft-dulaunoy-dnsop-passive-dns-cof: JSON lines with `rrname`,
 * `rrtype`, `rdata`, `time_first`, `time_last`, `count`; Farsight DNSDB's API v1 output), streamed line by line
 * → one `passiveDnsRecord` per rdata value (`rdata` is a string or an array of them):
 *
 * - parentHost = the hostname `rrname` (trailing dot removed, canonical); artifact = an ipAddress for A/AAAA
 *   rdata, a hostname for NS, CNAME, DNAME, PTR and MX (the preference number dropped), SRV (the target);
 *   other record types have no Graph artifact and are skipped ('rrtype <t> has no host artifact');
 * - recordType = rrtype (upper case); firstSeenDateTime / lastSeenDateTime = time_first / time_last (Unix
 *   seconds; zone_time_first / zone_time_last when those are the ones given); collectedDateTime = the same last
 *   time (COF has no collection time; the last time it was seen keeps a re-import unchanged);
 * - id = `pdns-` + 32 hex digits of sha256(`rrname|rrtype|rdata value`), so re-imports and overlapping feeds
 *   land on the same record, whose first/last seen merge (earliest / latest) by the model's merge rules.
 *   Both hosts are created when absent, so `hosts/{rrname}/passiveDns` and `hosts/{rdata}/passiveDnsReverse` answer.
 *
 * `count`, `bailiwick` and `sensor_id` have no Graph field. Positions: `line <n>`; blank lines are ignored.
 */
import { createHash } from 'node:crypto';
import { HOSTNAME, IP_ADDRESS, PASSIVE_DNS_RECORD, SETS } from '../../model/names.js';
import { canonicalHostname, canonicalIp } from '../canonicalize.js';
import { iso } from '../read-whole-file.js';
import { readLines } from '../read-lines.js';
import type { ImportItem, ReaderContext } from '../types.js';

type Obj = Record<string, unknown>;
const P = PASSIVE_DNS_RECORD.p;
const HOST_TYPES = new Set(['NS', 'CNAME', 'DNAME', 'PTR', 'MX', 'SRV']);

/** Unix seconds (number or digit string) → epoch ms. */
function seconds(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n < 1e11 ? Math.round(n * 1000) : undefined;
}

/** The host an rdata value names, or why it has none. */
function artifactOf(rrtype: string, value: string): { ok: true; json: Obj } | { ok: false; kind: 'skip' | 'reject'; reason: string } {
  if (rrtype === 'A' || rrtype === 'AAAA') {
    const ip = canonicalIp(value);
    return ip ? { ok: true, json: { '@odata.type': IP_ADDRESS.annotation, id: ip } } : { ok: false, kind: 'reject', reason: `invalid ${rrtype} rdata` };
  }
  if (!HOST_TYPES.has(rrtype)) return { ok: false, kind: 'skip', reason: `rrtype ${rrtype} has no host artifact` };
  const parts = value.trim().split(/\s+/);
  const name = rrtype === 'MX' ? parts[1] : rrtype === 'SRV' ? parts[3] : parts[0];
  const host = name ? canonicalHostname(name) : undefined;
  return host ? { ok: true, json: { '@odata.type': HOSTNAME.annotation, id: host } } : { ok: false, kind: 'reject', reason: `invalid ${rrtype} rdata` };
}

export const passiveDnsId = (rrname: string, rrtype: string, value: string): string => `pdns-${createHash('sha256').update(`${rrname}|${rrtype}|${value}`, 'utf8').digest('hex').slice(0, 32)}`;

/** The items of one COF object. */
export function* cofItems(o: unknown, position: string): Generator<ImportItem> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return yield { kind: 'reject', position, reason: 'not a COF object' };
  const r = o as Obj;
  if (typeof r['rrname'] !== 'string') return yield { kind: 'reject', position, reason: 'missing required field rrname' };
  const rrname = canonicalHostname(r['rrname']);
  if (!rrname) return yield { kind: 'reject', position, reason: 'invalid rrname', value: r['rrname'] };
  if (typeof r['rrtype'] !== 'string' || !/^[A-Za-z0-9]+$/.test(r['rrtype'])) return yield { kind: 'reject', position, reason: 'missing or invalid rrtype' };
  const rrtype = r['rrtype'].toUpperCase();
  const first = seconds(r['time_first'] ?? r['zone_time_first']);
  const last = seconds(r['time_last'] ?? r['zone_time_last']);
  if (first === undefined || last === undefined) return yield { kind: 'reject', position, reason: 'missing or invalid time_first/time_last' };
  if (first > last) return yield { kind: 'reject', position, reason: 'time_first after time_last' };
  const rdata = typeof r['rdata'] === 'string' ? [r['rdata']] : Array.isArray(r['rdata']) ? r['rdata'] : undefined;
  if (!rdata || rdata.length === 0 || !rdata.every((v): v is string => typeof v === 'string')) return yield { kind: 'reject', position, reason: 'missing or invalid rdata' };
  for (const value of rdata) {
    const a = artifactOf(rrtype, value);
    if (!a.ok) {
      yield { kind: a.kind, position, reason: a.reason, value };
      continue;
    }
    const json: Obj = {
      [P.id]: passiveDnsId(rrname, rrtype, String(a.json['id'])),
      [P.recordType]: rrtype,
      [P.firstSeenDateTime]: iso(first),
      [P.lastSeenDateTime]: iso(last),
      [P.collectedDateTime]: iso(last),
      [PASSIVE_DNS_RECORD.n.parentHost]: { '@odata.type': HOSTNAME.annotation, id: rrname },
      [PASSIVE_DNS_RECORD.n.artifact]: a.json,
    };
    yield { kind: 'entity', position, entity: { set: SETS.passiveDnsRecords, json } };
  }
}

export async function* readPdnsCof(ctx: ReaderContext): AsyncGenerator<ImportItem> {
  for await (const line of readLines(ctx.open())) {
    const position = `line ${line.lineNo}`;
    if (line.text === undefined) {
      yield { kind: 'reject', position, reason: line.error };
      continue;
    }
    if (line.text.trim() === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(line.text);
    } catch (e) {
      yield { kind: 'reject', position, reason: `malformed JSON: ${(e as Error).message}` };
      continue;
    }
    yield* cofItems(o, position);
  }
}
