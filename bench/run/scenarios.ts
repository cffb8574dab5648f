/** The URLs each scenario drives, found by walking the generated data through tigraph itself. */
import type { GeneratedData } from '../generate-data.js';
import type { Scenario } from './bench-options.js';
import { ROOT } from './paths.js';

const listQuery = "$filter=source%20eq%20%27osint%27&$orderby=firstSeenDateTime%20desc&$top=100";
const pivotPath = (artifactId: string): string =>
  `${ROOT}intelProfiles?$filter=${encodeURIComponent(`indicators/any(i: i/artifact/id eq '${artifactId.replace(/'/g, "''")}')`).replace(/'/g, '%27')}`;

export async function get(base: string, path: string, token: string): Promise<{ status: number; contentType: string; body: string }> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** Walks the big profile's listing through its nextLinks; returns each page's path and item count (page 1 first). */
async function walkPages(base: string, token: string, firstPath: string, maxPages: number): Promise<{ path: string; items: number }[]> {
  const pages: { path: string; items: number }[] = [];
  let path: string | undefined = firstPath;
  while (path && pages.length < maxPages) {
    const r = await get(base, path, token);
    if (r.status !== 200) throw new Error(`walking pages: ${path} answered ${r.status}: ${r.body.slice(0, 300)}`);
    const body = JSON.parse(r.body) as { '@odata.nextLink'?: string; value: unknown[] };
    pages.push({ path, items: body.value.length });
    const next = body['@odata.nextLink'];
    path = next ? next.slice(new URL(next).origin.length) : undefined;
  }
  return pages;
}

export async function buildScenarios(data: GeneratedData, base: string, token: string, mode: 'default' | 'scale', log: (l: string) => void): Promise<Scenario[]> {
  const first = `${ROOT}intelProfiles/${data.bigProfileId}/indicators?${listQuery}`;
  const walkTo = Number.MAX_SAFE_INTEGER; // to the last page: the page-cost measurement
  const started = Date.now();
  const pages = await walkPages(base, token, first, walkTo);
  log(`  walked ${pages.length} page(s) of the big profile's osint listing in ${Date.now() - started} ms`);
  const page50 = pages[Math.min(50, pages.length) - 1]!.path;
  const n50 = Math.min(50, pages.length);
  // The page-cost comparison wants the same work per page: the deepest page with as many items as page 1 (the
  // very last page is usually partial, and cheaper for it).
  let lastFull = pages.length - 1;
  while (lastFull > 0 && pages[lastFull]!.items < pages[0]!.items) lastFull--;
  const pivots = data.pivotArtifactIds.slice(0, 200).map(pivotPath);
  const all: Scenario[] = [
    { name: 'get-indicator', label: 'GET indicator by id (random of 1,000)', paths: data.sampleIndicatorIds.map((id) => `${ROOT}intelligenceProfileIndicators/${id}`) },
    { name: 'get-profile', label: 'GET profile by id (random)', paths: data.sampleProfileIds.map((id) => `${ROOT}intelProfiles/${id}`) },
    { name: 'list-first-page', label: "profile's indicators, $filter+$orderby+$top=100, page 1", paths: [first] },
    { name: 'list-page-50', label: `the same, page ${n50} via $skiptoken`, paths: [page50] },
    { name: 'list-last-page', label: `the same, last full page (${lastFull + 1})`, paths: [pages[lastFull]!.path] },
    { name: 'count-filter', label: "$count=true&$filter=source eq 'osint'&$top=10", paths: [`${ROOT}intelProfiles/${data.bigProfileId}/indicators?$count=true&$filter=source%20eq%20%27osint%27&$top=10`] },
    { name: 'search-profiles', label: `intelProfiles?$search=${data.searchTerm}`, paths: [`${ROOT}intelProfiles?$search=${data.searchTerm}`] },
    { name: 'pivot-artifact', label: 'intelProfiles?$filter=indicators/any(i: i/artifact/id eq …) (random)', paths: pivots },
  ];
  return mode === 'scale' ? all.filter((s) => ['list-first-page', 'list-page-50', 'list-last-page', 'pivot-artifact'].includes(s.name)) : all;
}

export const normalize = (body: string, origin: string): string => body.split(origin).join('http://ORIGIN');
