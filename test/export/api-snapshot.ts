/**
 * The API responses the STIX round-trip tests compare between the exported store and the store the export is
 * imported into: profiles and their indicators (the original comparison), articles with their indicators, and
 * vulnerabilities with their articles and components, on v1.0 and beta, every page, ids included.
 */
import assert from 'node:assert/strict';
import { exportStix, type StixExportOptions } from '../../src/export/export-stix.js';
import { TI, VERSIONS, type TestServer } from '../support/test-server.js';

export async function bundleText(options: StixExportOptions): Promise<string> {
  let out = '';
  for await (const chunk of exportStix(options)) out += chunk;
  return out;
}

/**
 * A body with the server's origin replaced and each skiptoken's MAC too: every store signs its tokens with its own
 * secret (issue 10), so the same position gives the same token body and a different MAC.
 */
function comparable(server: TestServer, body: unknown): unknown {
  return JSON.parse(JSON.stringify(body).split(server.url).join('<origin>').replace(/(\$skiptoken=[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+/g, '$1.<mac>'));
}

/** One response body with the server's origin replaced. */
async function one(server: TestServer, path: string): Promise<unknown> {
  const r = await server.json(path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  return comparable(server, r.body);
}

/** Every page of a collection (following nextLinks), with the server's origin replaced. */
async function allPages(server: TestServer, path: string): Promise<unknown[]> {
  const pages: unknown[] = [];
  let next: string | undefined = `${server.url}${path}`;
  while (next) {
    const r = await server.json(next.slice(server.url.length));
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    pages.push(comparable(server, r.body));
    next = r.body['@odata.nextLink'];
  }
  return pages;
}

const ids = (pages: unknown[]): string[] => (pages as { value: { id: string }[] }[]).flatMap((p) => p.value.map((v) => v.id));

/** The responses compared: profile list, each profile, its indicators (expanded), each indicator by id. */
export async function profileSnapshot(server: TestServer): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const v of VERSIONS) {
    const list = await allPages(server, `/${v}${TI}/intelProfiles`);
    out.set(`${v} list`, list);
    for (const p of ids(list)) {
      const id = encodeURIComponent(p);
      out.set(`${v} profile ${p}`, await one(server, `/${v}${TI}/intelProfiles/${id}`));
      const indicators = await allPages(server, `/${v}${TI}/intelProfiles/${id}/indicators?$expand=artifact`);
      out.set(`${v} indicators of ${p}`, indicators);
      for (const i of ids(indicators)) {
        out.set(`${v} indicator ${i}`, await one(server, `/${v}${TI}/intelligenceProfileIndicators/${encodeURIComponent(i)}?$expand=artifact`));
      }
    }
  }
  return out;
}

/**
 * The responses compared for articles and vulnerabilities: the lists, each by id, `articles/{id}/indicators`
 * (plain and with $expand=artifact), each article indicator by id (expanded), `vulnerabilities/{id}/articles`
 * and `vulnerabilities/{id}/components`.
 */
export async function articleSnapshot(server: TestServer): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const v of VERSIONS) {
    const articles = await allPages(server, `/${v}${TI}/articles`);
    out.set(`${v} articles`, articles);
    for (const a of ids(articles)) {
      const id = encodeURIComponent(a);
      out.set(`${v} article ${a}`, await one(server, `/${v}${TI}/articles/${id}`));
      out.set(`${v} indicators of article ${a}`, await allPages(server, `/${v}${TI}/articles/${id}/indicators`));
      const expanded = await allPages(server, `/${v}${TI}/articles/${id}/indicators?$expand=artifact`);
      out.set(`${v} indicators of article ${a} expanded`, expanded);
      for (const i of ids(expanded)) {
        out.set(`${v} article indicator ${i}`, await one(server, `/${v}${TI}/articleIndicators/${encodeURIComponent(i)}?$expand=artifact`));
      }
    }
    const vulnerabilities = await allPages(server, `/${v}${TI}/vulnerabilities`);
    out.set(`${v} vulnerabilities`, vulnerabilities);
    for (const x of ids(vulnerabilities)) {
      const id = encodeURIComponent(x);
      out.set(`${v} vulnerability ${x}`, await one(server, `/${v}${TI}/vulnerabilities/${id}`));
      out.set(`${v} articles of vulnerability ${x}`, await allPages(server, `/${v}${TI}/vulnerabilities/${id}/articles`));
      out.set(`${v} components of vulnerability ${x}`, await allPages(server, `/${v}${TI}/vulnerabilities/${id}/components`));
    }
  }
  return out;
}

/** Both snapshots of both servers are equal, key for key; returns the number of responses compared per snapshot. */
export async function assertSameResponses(a: TestServer, b: TestServer): Promise<{ profiles: number; articles: number }> {
  const sizes = { profiles: 0, articles: 0 };
  for (const [name, take] of [['profiles', profileSnapshot], ['articles', articleSnapshot]] as const) {
    const before = await take(a);
    const afterImport = await take(b);
    assert.deepEqual([...afterImport.keys()], [...before.keys()], name);
    for (const [k, v] of before) assert.deepEqual(afterImport.get(k), v, k);
    sizes[name] = before.size;
  }
  return sizes;
}
