/**
 * Articles and vulnerabilities as STIX 2.1 (used by export-stix.ts for a whole-store export; the inverse of
 * src/import/stix-report.ts):
 *
 * - vulnerability → `vulnerability`: name = the id, description = description.content, created =
 *   createdDateTime, modified = lastModifiedDateTime (never before created), external_references = a `cve`
 *   reference (`external_id` = the id) when the id is a CVE id, then the vulnerability's references (source_name =
 *   name, url). `x_tigraph_id`, `x_tigraph_vulnerability` (its Graph JSON: scores, flags, CVSS summaries, exploits,
 *   remediation…) and `x_tigraph_components` (its components' Graph JSON) make the round trip exact; STIX has no
 *   object for an affected component that the importer would read back.
 * - article indicator → `indicator` (one per article indicator, apart from the profile indicators of the same
 *   artifact): the artifact's pattern (as for profile indicators; other artifact types are left out and counted),
 *   created = modified = valid_from = the article's createdDateTime, created_by_ref = its source's identity,
 *   `x_tigraph_id`, `x_tigraph_article` (the article's id: the importer makes it an article indicator only, never
 *   a profile indicator) and `x_tigraph_artifact`.
 * - article → `report`: name = title, description = summary.content, published = created = createdDateTime,
 *   modified = lastUpdatedDateTime (never before created), labels = tags, created_by_ref = the Microsoft
 *   identity (Graph's articles are Defender TI's), object_refs = its indicators, then the vulnerability that lists
 *   it (`vulnerabilities/{id}/articles`; the store keeps at most one per article). STIX requires object_refs to be
 *   non-empty: an article with neither refers to the Microsoft identity. `x_tigraph_id` and `x_tigraph_article`
 *   (its Graph JSON: body, isFeatured, imageUrl, formats…) make the round trip exact. An article id that is a STIX
 *   report id (a STIX import's) stays the report's id.
 *
 * Ids are deterministic (stix-ids.ts) and every timestamp comes from the data.
 */
import type { Model } from '../model/model.js';
import type { EntityRecord } from '../model/records.js';
import type { Json, WriteOptions } from '../odata/serialize/write-entity.js';
import { ARTICLE, ARTICLE_INDICATOR, FORMATTED_CONTENT, HYPERLINK, INDICATOR_SOURCE, SETS, VULNERABILITY } from '../model/names.js';
import { stixId } from './stix-ids.js';
import { identityId, patternOf, structural, type Pager, type StixObject } from './stix-common.js';

export interface ReportCounts {
  articles: number;
  articleIndicators: number;
  vulnerabilities: number;
  skipped: Map<string, number>;
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;
const STIX_REPORT_ID = /^report--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The STIX id of a vulnerability's SDO. */
export const vulnerabilityStixId = (id: string): string => stixId('vulnerability', id);
/** The STIX id of an article's report: the article id itself when it is a STIX report id. */
export const reportStixId = (id: string): string => (STIX_REPORT_ID.test(id) ? id : stixId('report', id));
/** The STIX id of an article indicator's indicator (apart from profile indicators' ids). */
export const articleIndicatorStixId = (id: string): string => stixId('indicator', `article|${id}`);

/** Graph JSON without the annotation and the id (carried by `x_tigraph_id`). */
function graphJson(r: EntityRecord, o: WriteOptions): Record<string, Json> {
  const { ['@odata.type']: _type, id: _id, ...rest } = structural(r, o);
  return rest;
}

const later = (a: string, b: string): string => (Date.parse(b) > Date.parse(a) ? b : a);
const contentOf = (v: Json | undefined): string => (v && typeof v === 'object' && !Array.isArray(v) && typeof v[FORMATTED_CONTENT.p.content] === 'string' ? (v[FORMATTED_CONTENT.p.content] as string) : '');

/** One vulnerability (with its components' Graph JSON) as a STIX vulnerability. */
export function vulnerabilityToStix(r: EntityRecord, components: readonly EntityRecord[], o: WriteOptions): StixObject {
  const id = String(r.values[VULNERABILITY.p.id]);
  const json = graphJson(r, o);
  const created = String(json[VULNERABILITY.p.createdDateTime]);
  const description = contentOf(json[VULNERABILITY.p.description]);
  const links = (Array.isArray(json[VULNERABILITY.p.references]) ? json[VULNERABILITY.p.references] : []) as Record<string, Json>[];
  const references = [...(CVE_ID.test(id) ? [{ source_name: 'cve', external_id: id }] : []), ...links.map((h) => ({ source_name: h[HYPERLINK.p.name], url: h[HYPERLINK.p.url] }))];
  return {
    type: 'vulnerability',
    spec_version: '2.1',
    id: vulnerabilityStixId(id),
    created,
    modified: later(created, String(json[VULNERABILITY.p.lastModifiedDateTime])),
    name: id,
    ...(description ? { description } : {}),
    ...(references.length ? { external_references: references } : {}),
    x_tigraph_id: id,
    x_tigraph_vulnerability: json,
    x_tigraph_components: components.map((c) => {
      const { ['@odata.type']: _type, ...rest } = structural(c, o);
      return rest;
    }),
  };
}

/** One article indicator (read with its artifact expanded) as a STIX indicator, or why it has none. */
export function articleIndicatorToStix(r: EntityRecord, articleId: string, published: string, o: WriteOptions): StixObject | { skip: string } {
  const target = r.navigations[ARTICLE_INDICATOR.n.artifact];
  if (!target || target.kind !== 'record') return { skip: `${ARTICLE_INDICATOR.name}: artifact not found` };
  const artifact = structural(target, o);
  const pat = patternOf(artifact);
  if ('skip' in pat) return { skip: `${ARTICLE_INDICATOR.name}: ${pat.skip}` };
  const v = structural(r, o);
  const id = String(v[ARTICLE_INDICATOR.p.id]);
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: articleIndicatorStixId(id),
    created: published,
    modified: published,
    name: pat.value,
    pattern: pat.pattern,
    pattern_type: 'stix',
    valid_from: published,
    created_by_ref: identityId(String(v[ARTICLE_INDICATOR.p.source])),
    x_tigraph_id: id,
    x_tigraph_article: articleId,
    x_tigraph_artifact: artifact,
  };
}

/** One article as a STIX report referring to `objectRefs` (its indicators' and its vulnerability's STIX ids). */
export function articleToStix(r: EntityRecord, objectRefs: readonly string[], o: WriteOptions): StixObject {
  const id = String(r.values[ARTICLE.p.id]);
  const json = graphJson(r, o);
  const created = String(json[ARTICLE.p.createdDateTime]);
  const summary = contentOf(json[ARTICLE.p.summary]);
  const tags = (Array.isArray(json[ARTICLE.p.tags]) ? json[ARTICLE.p.tags] : []) as string[];
  const microsoft = identityId(INDICATOR_SOURCE.m.microsoft);
  return {
    type: 'report',
    spec_version: '2.1',
    id: reportStixId(id),
    created,
    modified: later(created, String(json[ARTICLE.p.lastUpdatedDateTime])),
    name: json[ARTICLE.p.title],
    ...(summary ? { description: summary } : {}),
    published: created,
    ...(tags.length ? { labels: tags } : {}),
    created_by_ref: microsoft,
    object_refs: objectRefs.length ? objectRefs : [microsoft],
    x_tigraph_id: id,
    x_tigraph_article: json,
  };
}

/**
 * Every vulnerability (with its components), then per article its indicators and its report, in key order,
 * paged. Memory: one article's indicator ids at a time.
 */
export async function* reportObjects(x: { readonly model: Model; readonly pager: Pager; readonly o: WriteOptions }, counts: ReportCounts): AsyncGenerator<StixObject> {
  const { model, pager, o } = x;
  const vulnerabilityType = model.entitySet(SETS.vulnerabilities)!.entityType;
  const articleType = model.entitySet(SETS.articles)!.entityType;
  const componentsNav = vulnerabilityType.navigation(VULNERABILITY.n.components)!;
  const indicatorsNav = articleType.navigation(ARTICLE.n.indicators)!;
  const artifactNav = indicatorsNav.target.navigation(ARTICLE_INDICATOR.n.artifact)!;
  const skip = (reason: string): void => void counts.skipped.set(reason, (counts.skipped.get(reason) ?? 0) + 1);

  for await (const v of pager.all(vulnerabilityType, undefined)) {
    const components: EntityRecord[] = [];
    for await (const c of pager.all(componentsNav.target, { navigation: componentsNav, key: String(v.values[VULNERABILITY.p.id]) })) components.push(c);
    yield vulnerabilityToStix(v, components, o);
    counts.vulnerabilities++;
  }

  for await (const a of pager.all(articleType, undefined)) {
    const id = String(a.values[ARTICLE.p.id]);
    const published = structural(a, o)[ARTICLE.p.createdDateTime] as string;
    const refs: string[] = [];
    for await (const i of pager.all(indicatorsNav.target, { navigation: indicatorsNav, key: id }, [artifactNav])) {
      const out = articleIndicatorToStix(i, id, published, o);
      if ('skip' in out) {
        skip(out.skip as string);
        continue;
      }
      refs.push(out['id'] as string);
      yield out;
      counts.articleIndicators++;
    }
    const listedBy = a.listedBy;
    if (listedBy && listedBy.navigation.name === VULNERABILITY.n.articles) refs.push(vulnerabilityStixId(listedBy.key));
    yield articleToStix(a, refs, o);
    counts.articles++;
  }
}
