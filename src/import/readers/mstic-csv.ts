/**
 * Microsoft's published IOC CSVs (spec §2.5), both shapes, told apart by the header:
 *
 * - RapidReleaseTI (`TimeGenerated, IoC, IoC_Type, ExpirationDateTime, Description, Action, ConfidenceScore,
 *   ThreatType, Active, Type, TrafficLightProtocolLevel, ActivityGroupNames`): profile (kind actor) =
 *   ActivityGroupNames; first seen = TimeGenerated;
 * - campaign (`DateAdded, FirstSeen, IoC, Type, TLP, Release, Category, MalwareFamily, SHA1, MD5, Filename,
 *   C2Domain`): no actor column, the profile comes from --profile (else the indicators have no profile);
 *   first seen = FirstSeen, else DateAdded, else the import time.
 *
 * Dates are US-style `M/D/YYYY` (UTC midnight) or ISO 8601; last seen = none. Source = --source, else
 * 'microsoft'. IoC types: domain/domainname/hostname → hostname, IP → ipAddress, URL → unclassifiedArtifact
 * (kind url); hashes (sha256, sha1, md5) and other types (filepath, GUID, commandline…) are skipped with the
 * type as the reason. Columns without a Graph field (expiry, TLP, confidence…) are not stored. Positions are
 * `line <n>` (the line a record starts on).
 */
import { canonicalize, type ValueHint } from '../canonicalize.js';
import { readCsv } from '../csv.js';
import { readLines } from '../read-lines.js';
import { parseCsvDate, type ImportItem, type ReaderContext } from '../types.js';

const TYPE_HINTS: Readonly<Record<string, ValueHint>> = {
  domainname: 'hostname',
  domain: 'hostname',
  hostname: 'hostname',
  fqdn: 'hostname',
  ip: 'ip',
  ipaddress: 'ip',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  url: 'url',
};
const HASHES = new Set(['sha256', 'sha1', 'md5', 'sha-256', 'sha-1', 'filehash', 'hash']);

export async function* readMsticCsv(ctx: ReaderContext): AsyncGenerator<ImportItem> {
  let header: string[] | undefined;
  let shape: 'rapid' | 'campaign' | undefined;
  const col = (name: string): number => header!.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
  let ix: Record<'time' | 'ioc' | 'type' | 'group' | 'first' | 'added', number> = { time: -1, ioc: -1, type: -1, group: -1, first: -1, added: -1 };
  const profiles = new Set<string>();
  const source = ctx.source ?? 'microsoft';
  for await (const rec of readCsv(readLines(ctx.open()))) {
    const position = `line ${rec.lineNo}`;
    if (rec.fields === undefined) {
      yield { kind: 'reject', position, reason: rec.error };
      continue;
    }
    if (!header) {
      header = rec.fields;
      ix = { time: col('TimeGenerated'), ioc: col('IoC'), type: col('IoC_Type'), group: col('ActivityGroupNames'), first: col('FirstSeen'), added: col('DateAdded') };
      if (ix.ioc >= 0 && ix.type >= 0 && ix.time >= 0) shape = 'rapid';
      else if (ix.ioc >= 0 && col('Type') >= 0 && (ix.first >= 0 || ix.added >= 0)) {
        shape = 'campaign';
        ix.type = col('Type');
      } else {
        yield { kind: 'reject', position, reason: 'unrecognized CSV header (expected the RapidReleaseTI or the campaign shape)' };
        return;
      }
      continue;
    }
    const f = rec.fields;
    if (f.length < header.length) {
      yield { kind: 'reject', position, reason: `expected ${header.length} fields, found ${f.length}` };
      continue;
    }
    const get = (i: number): string => (i >= 0 ? (f[i] ?? '').trim() : '');
    const ioc = get(ix.ioc);
    if (!ioc) {
      yield { kind: 'reject', position, reason: 'missing required field IoC' };
      continue;
    }
    const type = get(ix.type).toLowerCase();
    if (HASHES.has(type)) {
      yield { kind: 'skip', position, reason: 'hash' };
      continue;
    }
    const hint = TYPE_HINTS[type];
    if (!hint) {
      yield { kind: 'skip', position, reason: type ? `IoC type ${get(ix.type)}` : 'missing IoC type' };
      continue;
    }
    let firstSeen: number | undefined;
    if (shape === 'rapid') {
      const t = get(ix.time);
      if (!t) {
        yield { kind: 'reject', position, reason: 'missing required field TimeGenerated' };
        continue;
      }
      firstSeen = parseCsvDate(t);
      if (firstSeen === undefined) {
        yield { kind: 'reject', position, reason: 'invalid date TimeGenerated' };
        continue;
      }
    } else {
      const t = get(ix.first) || get(ix.added);
      firstSeen = t ? parseCsvDate(t) : ctx.now;
      if (firstSeen === undefined) {
        yield { kind: 'reject', position, reason: `invalid date ${get(ix.first) ? 'FirstSeen' : 'DateAdded'}` };
        continue;
      }
    }
    const c = canonicalize(ioc, hint);
    if (!c.ok) {
      yield { kind: c.outcome, position, reason: c.reason, value: ioc };
      continue;
    }
    const group = shape === 'rapid' ? get(ix.group) : '';
    const profileKey = group ? `group:${group.toLowerCase()}` : undefined;
    if (profileKey && !profiles.has(profileKey)) {
      profiles.add(profileKey);
      yield { kind: 'profile', position, profile: { key: profileKey, title: group, kind: 'actor' } };
    }
    yield { kind: 'indicator', position, indicator: { profileKey, source, firstSeen, lastSeen: null, artifact: c.artifact } };
  }
  if (!header) yield { kind: 'reject', position: 'line 1', reason: 'empty CSV file' };
}
