/**
 * STIX 2.1 `report` → `article` and `vulnerability` → `vulnerability` (used by readers/stix.ts):
 *
 * - article: id = the report's STIX id (`x_tigraph_id` when present); title = name; createdDateTime = published
 *   (else created); lastUpdatedDateTime = modified (else created); summary = body = description, format text, or
 *   html when the description is HTML (also when it is HTML escaped as entities, `&lt;!DOCTYPE html&gt;…`, which
 *   is unescaped first); tags = report_types + labels (distinct); isFeatured = false; imageUrl = none.
 *   Each indicator in object_refs whose pattern yields hosts (or URLs) becomes an articleIndicator per artifact
 *   (id = indicatorId(article id, artifact id); source as for profile indicators). The article is listed by the
 *   first vulnerability in its object_refs (`vulnerabilities/{id}/articles`: the store keeps one vulnerability
 *   per article; further ones are reported as skipped). object_refs that resolve to nothing in the bundle are
 *   skipped and reported ('report object_ref not in the bundle', the ref as value).
 * - vulnerability: id = the external_id of the `cve` external reference (none: skipped); description =
 *   description (else name); createdDateTime = publishedDateTime = created, lastModifiedDateTime = modified;
 *   references = the external references with a URL. The flags, scores and CVSS summaries STIX does not carry take
 *   the CVE importer's documented defaults. A STIX vulnerability only creates the vulnerability when absent: it
 *   never overwrites one already stored (a CVE JSON record says more).
 *
 * tigraph's own exports (src/export/export-reports.ts) carry `x_tigraph_*` properties that make the round trip
 * exact: on a report, `x_tigraph_id` and `x_tigraph_article` (the article's Graph JSON); on each of its
 * indicators, `x_tigraph_article` (that article's id), `x_tigraph_id` (the article indicator's id) and
 * `x_tigraph_artifact` (used when its type and id equal the pattern's canonical artifact), the source being the
 * indicator's creator's; on a vulnerability, `x_tigraph_id` (any id, not only a CVE id), `x_tigraph_vulnerability`
 * (its Graph JSON) and `x_tigraph_components`: such a vulnerability is written like any exact value (an update
 * when it differs from the stored one), not only when absent.
 */
import { indicatorId } from '../model/ids.js';
import { ARTICLE, ARTICLE_INDICATOR, CVSS_SUMMARY, FORMATTED_CONTENT, HYPERLINK, SETS, VULNERABILITY, VULNERABILITY_SEVERITY } from '../model/names.js';
import type { ArtifactJson } from './canonicalize.js';
import { canonicalize } from './canonicalize.js';
import { iso } from './read-whole-file.js';
import { parseStixPattern } from './stix-pattern.js';
import { distinctNames, isNonEmptyString, parseIsoTime, type EntityDraft, type ImportItem, type IndicatorSourceName } from './types.js';

type Obj = Record<string, unknown>;
const V = VULNERABILITY.p;
const A = ARTICLE.p;

const content = (text: string, format: 'text' | 'html'): Obj => ({ [FORMATTED_CONTENT.p.content]: text, [FORMATTED_CONTENT.p.format]: format });

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };
/** HTML character references → characters. */
export function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** A description as formatted content: HTML (escaped or not) as html, anything else as text. */
export function descriptionContent(description: string): Obj {
  const escaped = /^\s*&lt;(!doctype|html|p|div|[a-z]+[ >&])/i.test(description);
  const text = escaped ? unescapeHtml(description) : description;
  return content(text, /^\s*<(!doctype|html\b|body\b|p\b|div\b)/i.test(text) ? 'html' : 'text');
}

/** The artifacts an indicator's pattern names (hosts, IPs, URLs), in pattern order; [] when none. */
export function patternArtifacts(pattern: unknown): ArtifactJson[] {
  if (!isNonEmptyString(pattern)) return [];
  const p = parseStixPattern(pattern);
  if (p.kind !== 'values') return [];
  const out: ArtifactJson[] = [];
  for (const v of p.values) {
    const c = canonicalize(v.value, v.hint);
    if (c.ok && !out.some((a) => a.id === c.artifact.id)) out.push(c.artifact);
  }
  return out;
}

/** The CVE id of a STIX vulnerability (external reference `cve`), or undefined. */
export function cveIdOf(o: Obj): string | undefined {
  const refs = Array.isArray(o['external_references']) ? (o['external_references'] as unknown[]) : [];
  for (const r of refs) {
    const ref = r as Obj;
    if (typeof ref === 'object' && ref !== null && typeof ref['source_name'] === 'string' && ref['source_name'].toLowerCase() === 'cve' && isNonEmptyString(ref['external_id'])) {
      return ref['external_id'].trim().toUpperCase();
    }
  }
  return undefined;
}

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The id of a tigraph export's vulnerability (`x_tigraph_id` with `x_tigraph_vulnerability`), or undefined. */
export function exactVulnerabilityId(o: Obj): string | undefined {
  return isNonEmptyString(o['x_tigraph_id']) && isObject(o['x_tigraph_vulnerability']) ? o['x_tigraph_id'] : undefined;
}

/** A tigraph export's article indicator, as its STIX indicator states it. */
export interface ExactArticleIndicator {
  readonly article: string;
  readonly id: string;
  readonly creatorRef: unknown;
  readonly artifact: Obj | undefined;
}

/** The article indicator a tigraph export's STIX indicator stands for (`x_tigraph_article`), or undefined. */
export function exactArticleIndicator(o: Obj): ExactArticleIndicator | undefined {
  if (!isNonEmptyString(o['x_tigraph_article'])) return undefined;
  if (!isNonEmptyString(o['x_tigraph_id'])) return undefined;
  return { article: o['x_tigraph_article'], id: o['x_tigraph_id'], creatorRef: o['created_by_ref'], artifact: isObject(o['x_tigraph_artifact']) ? o['x_tigraph_artifact'] : undefined };
}

/** The vulnerability draft of a STIX vulnerability object, or the skip/reject item. */
export function vulnerabilityItem(o: Obj, position: string): ImportItem {
  const exactId = exactVulnerabilityId(o);
  if (exactId !== undefined) {
    const components = (Array.isArray(o['x_tigraph_components']) ? o['x_tigraph_components'] : []).filter(isObject);
    const json: Obj = { ...(o['x_tigraph_vulnerability'] as Obj), [V.id]: exactId, [VULNERABILITY.n.components]: components };
    return { kind: 'entity', position, entity: { set: SETS.vulnerabilities, json } };
  }
  const id = cveIdOf(o);
  if (!id) return { kind: 'skip', position, reason: 'vulnerability without a CVE id' };
  const created = parseIsoTime(o['created']);
  if (created === undefined) return { kind: 'reject', position, reason: 'missing or invalid created' };
  const modified = parseIsoTime(o['modified']) ?? created;
  const text = isNonEmptyString(o['description']) ? o['description'] : isNonEmptyString(o['name']) ? o['name'] : '';
  const refs = (Array.isArray(o['external_references']) ? (o['external_references'] as Obj[]) : []).filter((r) => typeof r === 'object' && r !== null && isNonEmptyString(r['url']));
  const none = { [CVSS_SUMMARY.p.score]: 0, [CVSS_SUMMARY.p.severity]: null, [CVSS_SUMMARY.p.vectorString]: null };
  const json: Obj = {
    [V.id]: id,
    [V.description]: content(text, 'text'),
    [V.createdDateTime]: iso(created),
    [V.publishedDateTime]: iso(created),
    [V.lastModifiedDateTime]: iso(modified),
    [V.cvss2Summary]: none,
    [V.cvss3Summary]: none,
    [V.severity]: VULNERABILITY_SEVERITY.m.none,
    [V.priorityScore]: 0,
    [V.activeExploitsObserved]: false,
    [V.exploitsAvailable]: false,
    [V.hasChatter]: false,
    [V.commonWeaknessEnumerationIds]: [],
    [V.references]: refs.map((r) => ({ [HYPERLINK.p.name]: isNonEmptyString(r['source_name']) ? r['source_name'] : String(r['url']), [HYPERLINK.p.url]: r['url'] })),
  };
  return { kind: 'entity', position, entity: { set: SETS.vulnerabilities, json, onlyIfAbsent: true } };
}

export interface ReportRefs {
  /** Every object id of the bundle. */
  readonly ids: ReadonlySet<string>;
  /** Artifacts of the report-referenced indicators, by STIX id. */
  readonly indicatorArtifacts: ReadonlyMap<string, readonly ArtifactJson[]>;
  /** Article indicators of a tigraph export, by STIX id. */
  readonly articleIndicators?: ReadonlyMap<string, ExactArticleIndicator>;
  /** CVE id (or a tigraph export's vulnerability id) of each vulnerability object with one, by STIX id. */
  readonly vulnerabilities: ReadonlyMap<string, string>;
  /** Source of an indicator: --source, the creator's, else 'osint'. */
  readonly sourceOf: (creatorRef: unknown) => IndicatorSourceName;
}

/** The article of a report (with its indicators) and what of it was skipped. */
export function* reportItems(o: Obj, position: string, refs: ReportRefs): Generator<ImportItem> {
  const id = isNonEmptyString(o['x_tigraph_id']) ? o['x_tigraph_id'] : String(o['id']);
  const exactArticle = isNonEmptyString(o['x_tigraph_id']) && isObject(o['x_tigraph_article']) ? o['x_tigraph_article'] : undefined;
  if (!isNonEmptyString(o['name'])) return yield { kind: 'reject', position, reason: 'missing required field name' };
  const created = parseIsoTime(o['created']);
  const published = o['published'] === undefined ? created : parseIsoTime(o['published']);
  if (published === undefined) return yield { kind: 'reject', position, reason: 'missing or invalid published' };
  const modified = parseIsoTime(o['modified']) ?? created ?? published;
  const description = isNonEmptyString(o['description']) ? descriptionContent(o['description']) : content('', 'text');
  const objectRefs = (Array.isArray(o['object_refs']) ? o['object_refs'] : []).filter((r): r is string => typeof r === 'string');
  const source = refs.sourceOf(o['created_by_ref']);
  const indicators: Obj[] = [];
  const vulnerabilities: string[] = [];
  for (const ref of objectRefs) {
    if (!refs.ids.has(ref)) {
      yield { kind: 'skip', position, reason: 'report object_ref not in the bundle', value: ref };
      continue;
    }
    const cve = refs.vulnerabilities.get(ref);
    if (cve && !vulnerabilities.includes(cve)) vulnerabilities.push(cve);
    const artifacts = refs.indicatorArtifacts.get(ref) ?? [];
    const exact = refs.articleIndicators?.get(ref);
    for (const artifact of artifacts) {
      // A tigraph export: the article indicator's own id, source and artifact JSON, when it is this article's.
      const own = exact && exact.article === id && artifacts.length === 1 ? exact : undefined;
      const iid = own ? own.id : indicatorId(id, artifact.id);
      if (indicators.some((i) => i[ARTICLE_INDICATOR.p.id] === iid)) continue;
      const x = own?.artifact;
      const full = x && x['@odata.type'] === artifact['@odata.type'] && x['id'] === artifact.id ? { ...x, ...artifact } : artifact;
      indicators.push({ [ARTICLE_INDICATOR.p.id]: iid, [ARTICLE_INDICATOR.p.source]: own ? refs.sourceOf(own.creatorRef) : source, [ARTICLE_INDICATOR.n.artifact]: full });
    }
  }
  for (const cve of vulnerabilities.slice(1)) yield { kind: 'skip', position, reason: 'article listed by its first vulnerability only', value: cve };
  const json: Obj = {
    [A.id]: id,
    [A.title]: o['name'].trim(),
    [A.summary]: description,
    [A.body]: description,
    [A.createdDateTime]: iso(published),
    [A.lastUpdatedDateTime]: iso(modified),
    [A.isFeatured]: false,
    [A.tags]: distinctNames([...(Array.isArray(o['report_types']) ? o['report_types'] : []), ...(Array.isArray(o['labels']) ? o['labels'] : [])]),
    ...(exactArticle ? { ...exactArticle, [A.id]: id } : {}),
    [ARTICLE.n.indicators]: indicators,
  };
  const entity: EntityDraft = {
    set: SETS.articles,
    json,
    ...(vulnerabilities[0] ? { parent: { set: SETS.vulnerabilities, id: vulnerabilities[0], navigation: VULNERABILITY.n.articles } } : {}),
  };
  yield { kind: 'entity', position, entity };
}
