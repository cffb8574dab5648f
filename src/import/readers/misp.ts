/**
 * MISP JSON (spec §2.3, Mapping D), streamed in two passes:
 *
 * - an event (`{"Event": {…}}` or the bare event object): pass 1 reads the event's galaxies, tags and dates;
 *   clusters of the actor galaxies (`threat-actor`, `microsoft-activity-group`, `mitre-intrusion-set`) become
 *   profiles of kind actor, clusters of the tool galaxies (`tool`, `rat`, `banker`, `malpedia`, `mitre-malware`,
 *   `mitre-tool`, `ransomware`, `stealer`, `backdoor`) profiles of kind tool; so do the tags naming them
 *   without an expanded galaxy (`misp-galaxy:<galaxy>="X"`) and the plain tags `tool="X"`, `rat="X"`,
 *   `malware="X"` (tool) and `threat-actor="X"` (actor). MITRE clusters are titled by name without the
 *   technique-style id (`APT28 - G0007` → 'APT28', the id kept as an alias). A cluster named twice (galaxy and
 *   tag) is one profile. Pass 2 reads `Attribute[]` and `Object[].Attribute[]`, each attached to every
 *   such profile (--profile overrides). Types: ip-dst, ip-src, `ip-dst|port`, `ip-src|port` → ipAddress (port
 *   dropped); domain, hostname, `hostname|port` → hostname; `domain|ip` → both; url → unclassifiedArtifact (kind
 *   url); other types are skipped with the type as the reason; `deleted` attributes and attributes with
 *   `to_ids: false` (context, not detection) are skipped. Dates (MISP's `timestamp` is the last modification,
 *   not a sighting): first seen = the attribute's first_seen, else the event date, else the attribute
 *   timestamp, else the import time; last seen = the attribute's last_seen, else the latest of the attribute
 *   and event timestamps (epoch seconds), else none. Source = --source, else 'osint'.
 *   Positions are `attribute <index>` / `object <i> attribute <j>`.
 * - a galaxy cluster file (`{"type", "category", "values": [clusters]}`, e.g. misp-galaxy's
 *   microsoft-activity-group.json): profiles only; kind tool when the galaxy's category is tool/malware, else
 *   actor; value → title, meta.synonyms → aliases, meta.country (ISO-2) → countriesOrRegionsOfOrigin (label:
 *   the English country name), description → summary and description (format text), meta.refs → appended to
 *   the description as a markdown list. Positions are `cluster <index>`.
 */
import { canonicalize, type ValueHint } from '../canonicalize.js';

/** A MISP epoch-seconds timestamp (string or number) in epoch milliseconds, or undefined. */
function epochMs(v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  if (typeof v === 'string' && !/^[0-9]+$/.test(v.trim())) return undefined;
  const ms = Number(v) * 1000;
  return ms > 0 ? inTimeRange(ms) : undefined;
}

/** The first of an attribute's time members that it gives but that is not a time (null, '' and a timestamp of 0 give none). */
function invalidTime(a: Obj): string | undefined {
  const ts = a['timestamp'];
  if (ts !== undefined && ts !== null && ts !== '' && Number(ts) !== 0 && epochMs(ts) === undefined) return 'timestamp';
  for (const k of ['first_seen', 'last_seen']) if (a[k] !== undefined && a[k] !== null && a[k] !== '' && parseIsoTime(a[k]) === undefined) return k;
  return undefined;
}
import { JsonStreamError, parseJsonValue, streamJsonValues, type Decision } from '../stream-json-array.js';
import { structureReject } from './json-structure-reject.js';
import { countryLabel, distinctNames, inTimeRange, isNonEmptyString, parseIsoTime, valueText, type Content, type ImportItem, type ProfileDraft, type ReaderContext } from '../types.js';

type Obj = Record<string, unknown>;
/** Galaxy types (and plain tag predicates) whose clusters are profiles, and the kind they make. */
export const GALAXY_KINDS: ReadonlyMap<string, 'actor' | 'tool'> = new Map([
  ['threat-actor', 'actor'],
  ['microsoft-activity-group', 'actor'],
  ['mitre-intrusion-set', 'actor'],
  ['tool', 'tool'],
  ['rat', 'tool'],
  ['banker', 'tool'],
  ['malpedia', 'tool'],
  ['mitre-malware', 'tool'],
  ['mitre-tool', 'tool'],
  ['ransomware', 'tool'],
  ['stealer', 'tool'],
  ['backdoor', 'tool'],
]);
/** Plain (non-galaxy) tags that name a profile: `tool="BabyShark"`. */
const PLAIN_TAGS: ReadonlyMap<string, 'actor' | 'tool'> = new Map([
  ['tool', 'tool'],
  ['rat', 'tool'],
  ['malware', 'tool'],
  ['threat-actor', 'actor'],
]);

/** `APT28 - G0007` → { title: 'APT28', id: 'G0007' } (MITRE ATT&CK cluster values); other names unchanged. */
export function splitMitreName(value: string): { title: string; id?: string } {
  const m = /^(.+?)\s+-\s+([GSC]\d{4})$/.exec(value.trim());
  return m ? { title: m[1]!, id: m[2]! } : { title: value.trim() };
}

const TYPE_HINTS: Readonly<Record<string, ValueHint>> = {
  'ip-dst': 'ip',
  'ip-src': 'ip',
  'ip-dst|port': 'ip',
  'ip-src|port': 'ip',
  domain: 'hostname',
  hostname: 'hostname',
  'hostname|port': 'hostname',
  url: 'url',
};

/** Path relative to the event: drops a leading 'Event', or 'response', '*', 'Event' (MISP's REST API form). */
const rel = (path: readonly string[]): readonly string[] =>
  path[0] === 'Event' ? path.slice(1) : path[0] === 'response' && path[1] === '*' && path[2] === 'Event' ? path.slice(3) : path;

/**
 * Which event of a `{"response": [{"Event": …}, …]}` document a pass reads (element `index`), or undefined for a
 * feed's `{"Event": …}`. The splitter asks about each element of `response` once, in order: the count says which.
 */
interface ResponseScope {
  readonly index: number;
  seen: number;
}
const eq = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const isPrefix = (a: readonly string[], of: readonly string[]): boolean => a.length <= of.length && a.every((x, i) => x === of[i]);

function selector(wanted: readonly (readonly string[])[], event?: number): (path: readonly string[]) => Decision {
  const scope: ResponseScope | undefined = event === undefined ? undefined : { index: event, seen: 0 };
  return (path) => {
    if (path.length === 1 && path[0] === (scope ? 'response' : 'Event')) return 'descend';
    if (scope && path[0] === 'response' && path.length <= 3) {
      if (path.length === 2) return scope.seen++ === scope.index ? 'descend' : 'skip';
      return path[2] === 'Event' ? 'descend' : 'skip';
    }
    const r = rel(path);
    if (wanted.some((w) => eq(w, r))) return 'emit';
    if (wanted.some((w) => isPrefix(r, w))) return 'descend';
    return 'skip';
  };
}

function clusterDraft(c: Obj, key: string, kind: 'actor' | 'tool'): ProfileDraft | undefined {
  if (!isNonEmptyString(c['value'])) return undefined;
  const { title, id: mitreId } = splitMitreName(c['value']);
  const meta = (typeof c['meta'] === 'object' && c['meta'] !== null ? c['meta'] : {}) as Obj;
  const countriesRaw = Array.isArray(meta['country']) ? meta['country'] : meta['country'] !== undefined ? [meta['country']] : [];
  const countries = distinctNames(countriesRaw)
    .filter((code) => /^[a-z]{2}$/i.test(code))
    .map((code) => ({ code: code.toUpperCase(), label: countryLabel(code) }));
  const refs = distinctNames(Array.isArray(meta['refs']) ? meta['refs'] : []);
  const text = isNonEmptyString(c['description']) ? c['description'].trim() : '';
  const summary: Content | undefined = text ? { content: text, format: 'text' } : undefined;
  const description: Content | undefined = refs.length
    ? { content: `${text ? `${text}\n\n` : ''}References:\n\n${refs.map((r) => `- ${r}`).join('\n')}\n`, format: 'markdown' }
    : summary;
  return {
    key,
    title,
    kind,
    aliases: distinctNames([...(Array.isArray(meta['synonyms']) ? meta['synonyms'] : []), ...(mitreId ? [mitreId] : [])], [title]),
    ...(summary ? { summary } : {}),
    ...(description ? { description } : {}),
    countries,
  };
}

/** The number of elements of a top-level `response` array (MISP's REST API form), or undefined. */
async function responseEvents(ctx: ReaderContext): Promise<number | undefined> {
  let elements: number | undefined;
  const select = (path: readonly string[]): Decision => {
    if (path.length === 0) return 'descend';
    if (path.length === 1) return path[0] === 'response' ? ((elements = 0), 'descend') : 'skip';
    if (elements !== undefined) elements++;
    return 'skip';
  };
  try {
    for await (const _ of streamJsonValues(ctx.open(), select)) void _;
  } catch (e) {
    if (!(e instanceof JsonStreamError)) throw e;
  }
  return elements;
}

/**
 * A MISP event file, a galaxy file, or a REST API response of events (`{"response": [{"Event": …}, …]}`, as
 * exported by MISP's API and published by ESET): each event read as a file of its own would be, its positions
 * prefixed `event <n>` when the response holds more than one.
 */
export async function* readMisp(ctx: ReaderContext): AsyncGenerator<ImportItem> {
  const events = await responseEvents(ctx);
  if (events === undefined) return yield* readEvent(ctx, undefined);
  if (events === 0) return yield { kind: 'reject', position: 'file', reason: 'a MISP API response without events' };
  for (let i = 0; i < events; i++) {
    for await (const item of readEvent(ctx, i)) yield events > 1 ? { ...item, position: `event ${i} ${item.position}` } : item;
  }
}

async function* readEvent(ctx: ReaderContext, event: number | undefined): AsyncGenerator<ImportItem> {
  // Pass 1: what kind of document, galaxies, tags, event dates; galaxy-file header.
  const header = new Map<string, unknown>();
  const galaxies: Obj[] = [];
  const tags: string[] = [];
  let isEvent = false;
  const pending: ImportItem[] = [];
  const wanted1 = selector([['Galaxy', '*'], ['Tag', '*'], ['date'], ['timestamp'], ['category'], ['type']], event);
  const select1 = (path: readonly string[]): Decision => {
    const r = rel(path);
    if (r.length === 1 && (r[0] === 'Attribute' || r[0] === 'Object')) isEvent = true; // not read in this pass
    return wanted1(path);
  };
  try {
    for await (const v of streamJsonValues(ctx.open(), select1)) {
      const r = rel(v.path);
      const parsed = parseJsonValue(v.bytes, v.problem);
      if (!parsed.ok) {
        pending.push({ kind: 'reject', position: `${r.join('/').replace('*', String(v.index))}`, reason: parsed.reason });
        continue;
      }
      if (r[0] === 'Galaxy') {
        isEvent = true;
        if (typeof parsed.value === 'object' && parsed.value !== null) galaxies.push(parsed.value as Obj);
      } else if (r[0] === 'Tag') {
        const name = (parsed.value as Obj | null)?.['name'];
        if (typeof name === 'string') tags.push(name);
      } else header.set(r[0]!, parsed.value);
    }
  } catch (e) {
    if (!(e instanceof JsonStreamError)) throw e;
    yield* pending;
    yield structureReject(e);
    return;
  }
  yield* pending;

  if (!isEvent) {
    if (event !== undefined) return yield { kind: 'reject', position: `event ${event}`, reason: 'not a MISP event' };
    yield* readGalaxyValues(ctx, header);
    return;
  }

  // Profiles of the event.
  const keys: string[] = [];
  const seen = new Set<string>();
  const add = (draft: ProfileDraft | undefined, position: string): void => {
    if (!draft || seen.has(draft.key)) return;
    seen.add(draft.key);
    keys.push(draft.key);
    pending.push({ kind: 'profile', position, profile: draft });
  };
  const keyOf = (name: string): string => `cluster:${splitMitreName(name).title.toLowerCase()}`;
  galaxies.forEach((g, gi) => {
    const kind = GALAXY_KINDS.get(String(g['type']));
    if (!kind) return;
    const clusters = Array.isArray(g['GalaxyCluster']) ? (g['GalaxyCluster'] as Obj[]) : [];
    clusters.forEach((c, ci) => add(clusterDraft(c, keyOf(String(c['value'])), kind), `galaxy ${gi} cluster ${ci}`));
  });
  tags.forEach((tag, ti) => {
    const m = /^(?:misp-galaxy:)?([a-z-]+)="(.+)"$/.exec(tag.trim());
    if (!m) return;
    const kind = (tag.startsWith('misp-galaxy:') ? GALAXY_KINDS : PLAIN_TAGS).get(m[1]!);
    if (!kind) return;
    add(clusterDraft({ value: m[2]! }, keyOf(m[2]!), kind), `tag ${ti}`);
  });
  yield* pending;

  const eventDate = parseIsoTime(header.get('date'));
  const eventTs = epochMs(header.get('timestamp'));
  const source = ctx.source ?? 'osint';
  const profileKeys = keys.length ? keys : [undefined];
  try {
    for await (const v of streamJsonValues(ctx.open(), selector([['Attribute', '*'], ['Object', '*', 'Attribute', '*']], event))) {
      const r = rel(v.path);
      const position = r[0] === 'Object' ? `object attribute ${v.index} (byte ${v.offset})` : `attribute ${v.index}`;
      const parsed = parseJsonValue(v.bytes, v.problem);
      if (!parsed.ok) {
        yield { kind: 'reject', position, reason: parsed.reason };
        continue;
      }
      const a = parsed.value as Obj;
      if (typeof a !== 'object' || a === null) {
        yield { kind: 'reject', position, reason: 'not a MISP attribute' };
        continue;
      }
      const type = a['type'];
      const value = a['value'];
      if (!isNonEmptyString(type)) {
        yield { kind: 'reject', position, reason: 'missing required field type' };
        continue;
      }
      if (!isNonEmptyString(value)) {
        const given = value !== undefined && value !== null && typeof value !== 'string';
        yield given ? { kind: 'reject', position, reason: 'value is not a string', value: valueText(value) } : { kind: 'reject', position, reason: 'missing required field value' };
        continue;
      }
      if (a['deleted'] === true || a['deleted'] === '1') {
        yield { kind: 'skip', position, reason: 'deleted attribute' };
        continue;
      }
      if (a['to_ids'] === false || a['to_ids'] === '0' || a['to_ids'] === 0) {
        yield { kind: 'skip', position, reason: 'to_ids false (context only)' };
        continue;
      }
      let parts: { hint: ValueHint; value: string }[];
      if (type === 'domain|ip') {
        const [d, ip] = value.split('|');
        parts = [
          { hint: 'hostname', value: d ?? '' },
          { hint: 'ip', value: ip ?? '' },
        ];
      } else {
        const hint = TYPE_HINTS[type];
        if (!hint) {
          yield { kind: 'skip', position, reason: `attribute type ${type}` };
          continue;
        }
        parts = [{ hint, value: type.endsWith('|port') ? value.split('|')[0]! : value }];
      }
      const badTime = invalidTime(a);
      if (badTime) {
        yield { kind: 'reject', position, reason: `invalid timestamp ${badTime}`, value: valueText(a[badTime]) };
        continue;
      }
      const ts = epochMs(a['timestamp']);
      const firstSeen = parseIsoTime(a['first_seen']) ?? eventDate ?? ts ?? ctx.now;
      const latestTs = ts !== undefined && eventTs !== undefined ? Math.max(ts, eventTs) : ts ?? eventTs;
      const lastSeen = parseIsoTime(a['last_seen']) ?? latestTs ?? null;
      for (const p of parts) {
        const c = canonicalize(p.value, p.hint);
        if (!c.ok) {
          yield { kind: c.outcome, position, reason: c.reason, value: p.value };
          continue;
        }
        for (const profileKey of profileKeys) yield { kind: 'indicator', position, indicator: { profileKey, source, firstSeen, lastSeen, artifact: c.artifact } };
      }
    }
  } catch (e) {
    if (!(e instanceof JsonStreamError)) throw e;
    yield structureReject(e);
  }
}

async function* readGalaxyValues(ctx: ReaderContext, header: Map<string, unknown>): AsyncGenerator<ImportItem> {
  const category = String(header.get('category') ?? '').toLowerCase();
  const kind: 'actor' | 'tool' = category === 'tool' || category === 'malware' ? 'tool' : 'actor';
  let any = false;
  try {
    for await (const v of streamJsonValues(ctx.open(), (p) => (p.length === 0 || (p.length === 1 && p[0] === 'values') ? 'descend' : p.length === 2 && p[0] === 'values' ? 'emit' : 'skip'))) {
      any = true;
      const position = `cluster ${v.index}`;
      const parsed = parseJsonValue(v.bytes, v.problem);
      if (!parsed.ok) {
        yield { kind: 'reject', position, reason: parsed.reason };
        continue;
      }
      const c = parsed.value as Obj;
      const draft = typeof c === 'object' && c !== null ? clusterDraft(c, `cluster:${v.index}`, kind) : undefined;
      if (!draft) {
        yield { kind: 'reject', position, reason: 'missing required field value' };
        continue;
      }
      yield { kind: 'profile', position, profile: draft };
    }
  } catch (e) {
    if (!(e instanceof JsonStreamError)) throw e;
    yield structureReject(e);
  }
  if (!any) yield { kind: 'reject', position: 'file', reason: 'not a MISP event or galaxy cluster file' };
}
