/**
 * STIX 2.1 bundles (spec §2.1, Mappings A–C), streamed in two passes over the bundle's `objects` array so that
 * object order does not matter and no pass holds the bundle in memory:
 *
 * 1. every object except indicators: intrusion-set / threat-actor → profile kind actor, malware / tool → kind
 *    tool (name → title, aliases, description → summary and description (format text; `x_summary` wins for
 *    the summary), first_seen → firstActiveDateTime (without it: the earliest first seen of its indicators, else
 *    `created`), `originates-from` a location → countriesOrRegionsOfOrigin);
 *    a campaign is a profile of kind actor too, and its `attributed-to` relationships (campaign → intrusion set or
 *    threat actor) make every indicator of the campaign an indicator of the attributed profile as well;
 *    identities (for created_by_ref → source); `indicates` relationships (indicator id → profile ids) and
 *    sightings (first_seen/last_seen per indicator). Memory: one small entry per indicates relationship and per
 *    sighted indicator, plus the profile objects.
 * 2. the indicators: the pattern (stix-pattern.ts) fans out to one indicator per value and profile; first seen =
 *    x_first_seen, else the earliest sighting first_seen, else valid_from; last seen = x_last_seen, else the
 *    latest sighting last_seen, else none. Source = --source, else 'microsoft' when created_by_ref names an
 *    identity whose name contains "Microsoft", else 'osint'.
 *
 * tigraph's own exports (src/export/export-stix.ts) carry `x_tigraph_*` custom properties that make the round trip
 * exact: profile and indicator ids (`x_tigraph_id`; an indicator's only when it resolves to the profile named by
 * `x_tigraph_profile`), formatted summary/description/tradecraft, targets, exact origin codes
 * (`x_tigraph_country`), the artifact's Graph JSON (`x_tigraph_artifact`, used when its type and id equal the
 * canonical artifact of the pattern) and identities' `x_tigraph_source`. A profile with `x_tigraph_id` keeps its
 * first_seen (indicators do not move it earlier). Other sources never carry them.
 *
 * Reports become articles (with their indicators as article indicators) and vulnerabilities with a CVE id
 * become vulnerabilities (stix-report.ts); reports are read in pass 1 and yielded after pass 2, once the
 * indicators they reference are known. An indicator with `x_tigraph_article` (a tigraph export's article
 * indicator) is read for its report only: it makes no profile indicator.
 *
 * Positions are `object <index>` (0-based, in the `objects` array). Objects with no Graph counterpart
 * (attack-pattern, course-of-action, identity, location, marking-definition, …) and relationships other than
 * indicates / originates-from are counted as skipped ('<type> not imported').
 */
import { canonicalize } from '../canonicalize.js';
import { parseStixPattern } from '../stix-pattern.js';
import { StixRefs } from '../stix-refs.js';
import { JsonStreamError, parseJsonValue, streamJsonBatches, type Decision } from '../stream-json-array.js';
import { earlierError, structureReject } from './json-structure-reject.js';
import type { ArtifactJson } from '../canonicalize.js';
import { cveIdOf, exactArticleIndicator, exactVulnerabilityId, patternArtifacts, reportItems, vulnerabilityItem, type ExactArticleIndicator } from '../stix-report.js';
import { countryLabel, distinctNames, isNonEmptyString, parseIsoTime, SOURCES, valueText, type Content, type ImportItem, type IndicatorSourceName, type ProfileDraft, type ReaderContext } from '../types.js';

const PROFILE_KINDS: Readonly<Record<string, 'actor' | 'tool'>> = { 'intrusion-set': 'actor', 'threat-actor': 'actor', campaign: 'actor', malware: 'tool', tool: 'tool' };
/** Objects consumed in pass 1 without becoming a profile (not counted as skipped). */
const CONSUMED = new Set(['identity', 'location', 'sighting']);

/** Cheap pre-filters on an object's bytes: `"type":"indicator"` as the first member; the string "indicator". */
const INDICATOR_FIRST = /^\s*\{\s*"type"\s*:\s*"indicator"\s*,/;
const INDICATOR_TYPE = Buffer.from('"indicator"');
const BACKSLASH = 0x5c;

const selectObjects = (path: readonly string[]): Decision => {
  if (path.length === 0) return 'descend';
  if (path.length === 1) return path[0] === 'objects' ? 'descend' : 'skip';
  return path.length === 2 && path[0] === 'objects' ? 'emit' : 'skip';
};

type Obj = Record<string, unknown>;

const CONTENT_FORMATS = new Set(['text', 'markdown', 'html']);
/** A formattedContent object ({content, format}) from a custom property, or undefined. */
function formattedContent(v: unknown): Content | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const { content, format } = v as Obj;
  if (typeof content !== 'string' || typeof format !== 'string' || !CONTENT_FORMATS.has(format)) return undefined;
  return { content, format: format as Content['format'] };
}

export async function* readStix(ctx: ReaderContext): AsyncGenerator<ImportItem | ImportItem[]> {
  const profiles = new Map<string, { draft: Omit<ProfileDraft, 'countries'>; position: string }>();
  const identities = new Map<string, string>();
  const identitySources = new Map<string, IndicatorSourceName>();
  const locations = new Map<string, { code: string; label: string }>();
  const indicates = new StixRefs();
  const origins = new StixRefs();
  const attributed = new StixRefs();
  const sightings = new Map<string, { first?: number; last?: number }>();
  const pending: ImportItem[] = [];
  /** The objects of the bundle that some report refers to (only those: a bundle of a million objects holds no set of them all). */
  const ids = new Set<string>();
  /** Every object_ref of every report. */
  const allReportRefs = new Set<string>();
  const reports: { o: Obj; position: string }[] = [];
  const reportRefs = new Set<string>();
  const vulnerabilities = new Map<string, string>();
  const indicatorArtifacts = new Map<string, ArtifactJson[]>();
  const articleIndicators = new Map<string, ExactArticleIndicator>();
  let sawObjects = false;
  let structureError: JsonStreamError | undefined;

  // Pass 1
  try {
    for await (const values of streamJsonBatches(ctx.open(), selectObjects)) for (const v of values) {
      sawObjects = true;
      const position = `object ${v.index}`;
      if (INDICATOR_FIRST.test(v.bytes.subarray(0, 64).toString('latin1'))) continue; // read in pass 2
      const parsed = parseJsonValue(v.bytes, v.problem);
      if (!parsed.ok) {
        pending.push({ kind: 'reject', position, reason: parsed.reason });
        continue;
      }
      const o = parsed.value as Obj;
      if (typeof o !== 'object' || o === null || Array.isArray(o)) {
        pending.push({ kind: 'reject', position, reason: 'not a STIX object' });
        continue;
      }
      const type = o['type'];
      if (!isNonEmptyString(type)) {
        pending.push({ kind: 'reject', position, reason: 'missing required field type' });
        continue;
      }
      if (type === 'indicator') continue;
      if (!isNonEmptyString(o['id'])) {
        pending.push({ kind: 'reject', position, reason: 'missing required field id' });
        continue;
      }
      const id = o['id'] as string;
      const kind = PROFILE_KINDS[type];
      if (kind) {
        if (!isNonEmptyString(o['name'])) {
          pending.push({ kind: 'reject', position, reason: 'missing required field name' });
          continue;
        }
        const title = (o['name'] as string).trim();
        const description = isNonEmptyString(o['description']) ? o['description'] : undefined;
        const summary = isNonEmptyString(o['x_summary']) ? o['x_summary'] : description;
        const firstActive = parseIsoTime(o['first_seen']) ?? parseIsoTime(o['x_tigraph_first_active']);
        // tigraph's own custom properties (src/export/export-stix.ts) make the profile exact.
        const exactId = isNonEmptyString(o['x_tigraph_id']) ? o['x_tigraph_id'] : undefined;
        const xSummary = formattedContent(o['x_tigraph_summary']);
        const xDescription = formattedContent(o['x_tigraph_description']);
        const xTradecraft = formattedContent(o['x_tigraph_tradecraft']);
        const xTargets = Array.isArray(o['x_tigraph_targets']) ? o['x_tigraph_targets'].filter((t): t is string => typeof t === 'string') : undefined;
        profiles.set(id, {
          position,
          draft: {
            key: id,
            ...(exactId !== undefined ? { id: exactId, firstActiveExact: true } : {}),
            title,
            kind,
            aliases: distinctNames(Array.isArray(o['aliases']) ? o['aliases'] : [], [title]),
            ...(xSummary ? { summary: xSummary } : summary ? { summary: { content: summary, format: 'text' as const } } : {}),
            ...(xDescription ? { description: xDescription } : description ? { description: { content: description, format: 'text' as const } } : {}),
            ...(xTradecraft ? { tradecraft: xTradecraft } : {}),
            ...(xTargets ? { targets: xTargets } : {}),
            ...(firstActive !== undefined ? { firstActive } : {}),
            ...(parseIsoTime(o['created']) !== undefined ? { firstActiveFallback: parseIsoTime(o['created'])! } : {}),
          },
        });
        continue;
      }
      switch (type) {
        case 'report':
          reports.push({ o, position });
          for (const r of Array.isArray(o['object_refs']) ? o['object_refs'] : []) {
            if (typeof r !== 'string') continue;
            allReportRefs.add(r);
            if (r.startsWith('indicator--')) reportRefs.add(r);
          }
          continue;
        case 'vulnerability': {
          const cve = exactVulnerabilityId(o) ?? cveIdOf(o);
          if (cve) vulnerabilities.set(id, cve);
          pending.push(vulnerabilityItem(o, position));
          continue;
        }
        case 'identity':
          if (typeof o['x_tigraph_source'] === 'string' && (SOURCES as readonly string[]).includes(o['x_tigraph_source'])) identitySources.set(id, o['x_tigraph_source'] as IndicatorSourceName);
          if (isNonEmptyString(o['name'])) identities.set(id, o['name']);
          continue;
        case 'location': {
          const code = isNonEmptyString(o['x_tigraph_country']) ? o['x_tigraph_country'] : isNonEmptyString(o['country']) ? o['country'].trim().toUpperCase() : undefined;
          if (code) locations.set(id, { code, label: isNonEmptyString(o['name']) ? o['name'].trim() : countryLabel(code) });
          else pending.push({ kind: 'skip', position, reason: 'location without country not imported' });
          continue;
        }
        case 'sighting': {
          const ref = o['sighting_of_ref'];
          if (typeof ref === 'string' && ref.startsWith('indicator--')) {
            const s = sightings.get(ref) ?? {};
            const f = parseIsoTime(o['first_seen']);
            const l = parseIsoTime(o['last_seen']);
            if (f !== undefined && (s.first === undefined || f < s.first)) s.first = f;
            if (l !== undefined && (s.last === undefined || l > s.last)) s.last = l;
            sightings.set(ref, s);
          }
          continue;
        }
        case 'relationship': {
          const rt = o['relationship_type'];
          const src = o['source_ref'];
          const dst = o['target_ref'];
          if (typeof src !== 'string' || typeof dst !== 'string' || !isNonEmptyString(rt)) {
            pending.push({ kind: 'reject', position, reason: 'missing required field source_ref, target_ref or relationship_type' });
            continue;
          }
          const map = rt === 'indicates' ? indicates : rt === 'originates-from' ? origins : rt === 'attributed-to' && src.startsWith('campaign--') ? attributed : undefined;
          if (!map) {
            pending.push({ kind: 'skip', position, reason: `relationship ${rt} not imported` });
            continue;
          }
          map.add(src, dst);
          continue;
        }
        default:
          if (!CONSUMED.has(type)) pending.push({ kind: 'skip', position, reason: `${type} not imported` });
      }
    }
  } catch (e) {
    if (!(e instanceof JsonStreamError)) throw e;
    structureError = e;
  }
  if (!sawObjects && !structureError) {
    yield { kind: 'reject', position: 'bundle', reason: 'not a STIX bundle (no objects array)' };
    return;
  }
  yield* pending;
  pending.length = 0;
  for (const [id, p] of profiles) {
    const countries = origins.get(id).map((l) => locations.get(l)).filter((x): x is { code: string; label: string } => !!x);
    yield { kind: 'profile', position: p.position, profile: { ...p.draft, countries } };
  }

  const noteReferenced = (bytes: Buffer, problem: string | undefined): void => {
    const parsed = parseJsonValue(bytes, problem);
    const o = parsed.ok ? (parsed.value as Obj) : undefined;
    if (typeof o === 'object' && o !== null && typeof o['id'] === 'string' && allReportRefs.has(o['id'])) ids.add(o['id']);
  };

  // Pass 2
  try {
    for await (const values of streamJsonBatches(ctx.open(), selectObjects)) {
      // The items of one chunk's indicators go out together (one await per chunk, not per item).
      const out: ImportItem[] = [];
      for (const v of values) {
      // Without the literal text `"indicator"` an object cannot be one, unless it spells its type with an escape.
      if (v.bytes.indexOf(INDICATOR_TYPE) < 0 && v.bytes.indexOf(BACKSLASH) < 0) {
        // cannot be an indicator; with reports, whether they refer to it
        if (allReportRefs.size > 0) noteReferenced(v.bytes, v.problem);
        continue;
      }
      const parsed = parseJsonValue(v.bytes, v.problem);
      if (!parsed.ok) {
        // reported in pass 1, unless pass 1 passed over it as an indicator
        if (INDICATOR_FIRST.test(v.bytes.subarray(0, 64).toString('latin1'))) out.push({ kind: 'reject', position: `object ${v.index}`, reason: parsed.reason });
        continue;
      }
      const o = parsed.value as Obj;
      if (typeof o === 'object' && o !== null && o['type'] !== 'indicator' && INDICATOR_FIRST.test(v.bytes.subarray(0, 64).toString('latin1'))) {
        // Pass 1 left it here as an indicator by its first member; JSON.parse kept a later `type`.
        out.push({ kind: 'reject', position: `object ${v.index}`, reason: 'duplicate member type', value: valueText(o['type']) });
        continue;
      }
      if (typeof o !== 'object' || o === null || o['type'] !== 'indicator') {
        if (typeof o === 'object' && o !== null && typeof o['id'] === 'string' && allReportRefs.has(o['id'])) ids.add(o['id']);
        continue;
      }
      if (typeof o['id'] === 'string') {
        if (allReportRefs.has(o['id'])) ids.add(o['id']);
        if (reportRefs.has(o['id'])) indicatorArtifacts.set(o['id'], patternArtifacts(o['pattern']));
        const exact = exactArticleIndicator(o);
        if (exact) {
          // A tigraph export's article indicator: only an article indicator, never a profile indicator.
          if (reportRefs.has(o['id'])) articleIndicators.set(o['id'], exact);
          continue;
        }
      }
      for (const item of indicatorItems(o, `object ${v.index}`, ctx, { profiles, identities, identitySources, indicates, attributed, sightings })) out.push(item);
      }
      if (out.length) yield out;
    }
  } catch (e) {
    if (!(e instanceof JsonStreamError)) throw e;
    structureError = earlierError(structureError, e);
  }
  const sourceOf = (ref: unknown): IndicatorSourceName => {
    const creator = typeof ref === 'string' ? identities.get(ref) : undefined;
    return ctx.source ?? (typeof ref === 'string' ? identitySources.get(ref) : undefined) ?? (creator && /microsoft/i.test(creator) ? 'microsoft' : 'osint');
  };
  for (const r of reports) yield* reportItems(r.o, r.position, { ids, indicatorArtifacts, articleIndicators, vulnerabilities, sourceOf });
  if (structureError) yield structureReject(structureError);
}

function* indicatorItems(
  o: Obj,
  position: string,
  ctx: ReaderContext,
  refs: {
    profiles: Map<string, unknown>;
    identities: Map<string, string>;
    identitySources: Map<string, IndicatorSourceName>;
    indicates: StixRefs;
    attributed: StixRefs;
    sightings: Map<string, { first?: number; last?: number }>;
  },
): Generator<ImportItem> {
  const id = typeof o['id'] === 'string' ? o['id'] : undefined;
  if (!id) return yield { kind: 'reject', position, reason: 'missing required field id' };
  if (!isNonEmptyString(o['pattern'])) return yield { kind: 'reject', position, reason: 'missing required field pattern' };
  const patternType = o['pattern_type'] ?? 'stix';
  if (patternType !== 'stix') return yield { kind: 'skip', position, reason: `pattern_type ${String(patternType)}` };
  if (o['revoked'] === true) return yield { kind: 'skip', position, reason: 'revoked indicator' };
  const sighting = refs.sightings.get(id);
  const validFrom = parseIsoTime(o['valid_from']);
  for (const k of ['valid_from', 'x_first_seen', 'x_last_seen']) {
    if (o[k] !== undefined && o[k] !== null && parseIsoTime(o[k]) === undefined) return yield { kind: 'reject', position, reason: `invalid timestamp ${k}`, value: valueText(o[k]) };
  }
  const firstSeen = parseIsoTime(o['x_first_seen']) ?? sighting?.first ?? validFrom;
  if (firstSeen === undefined) return yield { kind: 'reject', position, reason: 'missing required field valid_from' };
  const lastSeen = parseIsoTime(o['x_last_seen']) ?? sighting?.last ?? null;
  const creatorRef = typeof o['created_by_ref'] === 'string' ? o['created_by_ref'] : undefined;
  const creator = creatorRef !== undefined ? refs.identities.get(creatorRef) : undefined;
  const source: IndicatorSourceName =
    ctx.source ?? (creatorRef !== undefined ? refs.identitySources.get(creatorRef) : undefined) ?? (creator && /microsoft/i.test(creator) ? 'microsoft' : 'osint');

  const pattern = parseStixPattern(o['pattern']);
  if (pattern.kind !== 'values') return yield { kind: pattern.kind, position, reason: pattern.reason, value: o['pattern'] };
  for (const reason of pattern.skipped) yield { kind: 'skip', position, reason };
  const direct = refs.indicates.get(id);
  // The usual case (one indicates relationship, no campaign attributions) without the sets and spreads.
  const profileKeys =
    direct.length === 1 && refs.attributed.size === 0
      ? refs.profiles.has(direct[0]!)
        ? direct
        : []
      : [...new Set([...direct, ...direct.flatMap((t) => refs.attributed.get(t))].filter((t) => refs.profiles.has(t)))];
  // A tigraph export: the indicator's own id and its artifact's Graph JSON (when it is the same artifact).
  const exact =
    isNonEmptyString(o['x_tigraph_id']) && typeof o['x_tigraph_profile'] === 'string' && pattern.values.length === 1 && profileKeys.length <= 1
      ? { id: o['x_tigraph_id'], idProfile: o['x_tigraph_profile'], exact: true }
      : undefined;
  const xArtifact = o['x_tigraph_artifact'];
  for (const value of pattern.values) {
    const c = canonicalize(value.value, value.hint);
    if (!c.ok) {
      yield { kind: c.outcome, position, reason: c.reason, value: value.value };
      continue;
    }
    let artifact = c.artifact;
    if (typeof xArtifact === 'object' && xArtifact !== null && !Array.isArray(xArtifact)) {
      const x = xArtifact as Obj;
      if (x['@odata.type'] === artifact['@odata.type'] && x['id'] === artifact.id) artifact = { ...x, '@odata.type': artifact['@odata.type'], id: artifact.id };
    }
    for (const profileKey of profileKeys.length ? profileKeys : [undefined]) {
      yield { kind: 'indicator', position, indicator: { profileKey, source, firstSeen, lastSeen, artifact, ...exact } };
    }
  }
}
