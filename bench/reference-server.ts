/**
 * The two reference servers of `npm run bench`, each run in its own child process:
 *
 * - `ceiling <responses.json>`: bare node:http answering each known URL with pre-serialized bytes (fetched from
 *   tigraph before measuring). Nothing is computed per request but a Map lookup: what the machine and node:http
 *   can do at all.
 * - `minimum <db file>`: hand-written node:http + better-sqlite3 prepared statements + JSON.stringify answering
 *   the bench's URLs with the same bodies as tigraph (verified byte for byte, origin aside, before measuring):
 *   what any implementation on this store must at least pay. It parses only the URL shapes the bench sends.
 * - `minimum-pg <database url> <schema> <pool size>`: the same on PostgreSQL: node:http + a `pg` pool + the SQL
 *   texts tigraph sends for these URLs (same statements, same parameters, unnamed extended-protocol queries as
 *   tigraph's pool.query) + JSON.stringify.
 *
 * Both print `listening <port>` on stdout once ready.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { decodeSkipToken, encodeSkipToken } from '../src/odata/paging/skip-token.js';
import type { SortValue } from '../src/odata/plan/query-plan.js';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export interface CeilingResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

function ceiling(file: string): RequestListener {
  const table = JSON.parse(readFileSync(file, 'utf8')) as Record<string, CeilingResponse>;
  const bytes = new Map(Object.entries(table).map(([url, r]) => [url, { status: r.status, body: Buffer.from(r.body), headers: { 'Content-Type': r.contentType, 'OData-Version': '4.0', 'Content-Length': Buffer.byteLength(r.body) } }]));
  return (req, res) => {
    const r = bytes.get(req.url ?? '');
    if (!r) return void res.writeHead(404).end();
    res.writeHead(r.status, r.headers).end(r.body);
  };
}

// ---- row → Graph JSON, shared by both minimum servers (the rows are the store's columns) ----
const NS = '#microsoft.graph.security.';
const SOURCE = ['microsoft', 'osint', 'public'];
const KIND = ['actor', 'tool'];
const FORMAT = ['text', 'html', 'markdown'];
const ROOT = '/v1.0/security/threatIntelligence/';
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const fc = (text: string | null): unknown => {
  if (text === null) return null;
  const v = JSON.parse(text) as { content: string | null; format: number | null };
  return { content: v.content, format: v.format === null ? null : FORMAT[v.format] };
};
type P = { id: string; aliases: string; countries_or_regions_of_origin: string; description: string; first_active_date_time: number; kind: number; summary: string; targets: string; title: string; tradecraft: string | null };
type I = { id: string; source: number; first_seen_date_time: number; last_seen_date_time: number | null; artifact_id: string; artifact_type: string };
const profile = (p: P) => ({
  '@odata.type': `${NS}intelligenceProfile`,
  id: p.id,
  aliases: JSON.parse(p.aliases ?? '[]'),
  countriesOrRegionsOfOrigin: JSON.parse(p.countries_or_regions_of_origin ?? '[]'),
  description: fc(p.description),
  firstActiveDateTime: iso(p.first_active_date_time),
  kind: KIND[p.kind],
  summary: fc(p.summary),
  targets: JSON.parse(p.targets ?? '[]'),
  title: p.title,
  tradecraft: fc(p.tradecraft),
});
const indicator = (i: I) => ({
  '@odata.type': `${NS}intelligenceProfileIndicator`,
  id: i.id,
  source: SOURCE[i.source],
  firstSeenDateTime: iso(i.first_seen_date_time),
  lastSeenDateTime: iso(i.last_seen_date_time),
  artifact: { '@odata.type': `${NS}${i.artifact_type}`, id: i.artifact_id },
});

// ---- paging, shared by both minimum servers: tigraph's own skip-token format (odata/paging/skip-token.ts) ----

/** tigraph's `$skiptoken` MAC key, read from the store it shares with tigraph (`tigraph_secrets`) before listening. */
let tokenKey: Buffer = Buffer.alloc(0);
let keyReady: Promise<void> = Promise.resolve();
const token = (shape: unknown[], values: unknown[]): string => encodeSkipToken(JSON.stringify(shape), values as SortValue[], tokenKey);
/** The sort values a `$skiptoken` continues after, checked against the listing's shape like tigraph does. */
const after = (q: URLSearchParams, shape: unknown[], n: number): SortValue[] | undefined => {
  const t = q.get('$skiptoken');
  return t ? decodeSkipToken(t, JSON.stringify(shape), n, tokenKey) : undefined;
};
/** Collection body: context, count, nextLink (same query, new token), value. */
const page = (origin: string, url: string, context: string, rows: Record<string, unknown>[], size: number, shape: unknown[], sortKey: (r: never) => unknown[], item: (r: never) => unknown, n?: number): string => {
  const body: Record<string, unknown> = { '@odata.context': `${origin}/v1.0/$metadata#security/threatIntelligence/${context}` };
  if (n !== undefined) body['@odata.count'] = n;
  if (rows.length > size) body['@odata.nextLink'] = `${origin}${url.replace(/&\$skiptoken=[^&]*/, '')}&$skiptoken=${token(shape, sortKey(rows[size - 1] as never))}`;
  body['value'] = rows.slice(0, size).map((r) => item(r as never));
  return JSON.stringify(body);
};

// ---- the minimum: ~100 lines for seven URL shapes ----
function minimum(file: string): RequestListener {
  const db = new Database(file, { readonly: true });
  db.pragma('mmap_size = 1073741824');
  tokenKey = Buffer.from(db.prepare(`SELECT "value" FROM "tigraph_secrets" WHERE "name" = 'skiptoken'`).pluck().get() as string, 'base64url');
  const IND = 'SELECT * FROM intelligence_profile_indicator';
  const byId = db.prepare(`${IND} WHERE id = ?`);
  const profileById = db.prepare('SELECT * FROM intelligence_profile WHERE id = ?');
  const list = db.prepare(`${IND} WHERE intelligence_profile_id = ? AND source = ? ORDER BY first_seen_date_time DESC, id DESC LIMIT ?`);
  // Row-value keyset, as tigraph compiles it (an OR-expanded keyset makes SQLite scan the profile's whole range).
  const listAfter = db.prepare(`${IND} WHERE intelligence_profile_id = ? AND source = ? AND ((first_seen_date_time, id) < (?, ?)) ORDER BY first_seen_date_time DESC, id DESC LIMIT ?`);
  const byKey = db.prepare(`${IND} WHERE intelligence_profile_id = ? AND source = ? AND id > ? ORDER BY id LIMIT ?`);
  const count = db.prepare('SELECT count(*) AS n FROM intelligence_profile_indicator WHERE intelligence_profile_id = ? AND source = ?');
  const search = db.prepare(
    "SELECT * FROM intelligence_profile t WHERE t.id > ? AND (instr(lower(t.title), ?) > 0 OR EXISTS (SELECT 1 FROM json_each(t.aliases) a WHERE instr(lower(a.value), ?) > 0) OR instr(lower(json_extract(t.summary, '$.content')), ?) > 0) ORDER BY t.id LIMIT ?",
  );
  const pivot = db.prepare('SELECT * FROM intelligence_profile WHERE id > ? AND id IN (SELECT intelligence_profile_id FROM intelligence_profile_indicator WHERE artifact_id = ?) ORDER BY id LIMIT ?');
  const T_IND = 'microsoft.graph.security.intelligenceProfileIndicator';
  const T_PROF = 'microsoft.graph.security.intelligenceProfile';
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const origin = `http://${req.headers.host}`;
    const u = new URL(url, origin);
    const q = u.searchParams;
    const parts = decodeURIComponent(u.pathname).slice(ROOT.length).split('/');
    const top = Number(q.get('$top') ?? 100);
    let body: string | undefined;
    if (parts[0] === 'intelligenceProfileIndicators' && parts.length === 2) {
      const r = byId.get(parts[1]) as I | undefined;
      if (r) body = JSON.stringify({ '@odata.context': `${origin}/v1.0/$metadata#security/threatIntelligence/intelligenceProfileIndicators/$entity`, ...indicator(r) });
    } else if (parts[0] === 'intelProfiles' && parts.length === 2) {
      const r = profileById.get(parts[1]) as P | undefined;
      if (r) body = JSON.stringify({ '@odata.context': `${origin}/v1.0/$metadata#security/threatIntelligence/intelProfiles/$entity`, ...profile(r) });
    } else if (parts[0] === 'intelProfiles' && parts[2] === 'indicators') {
      const key = parts[1]!;
      const filter = q.get('$filter')!;
      const source = SOURCE.indexOf(/source eq '(\w+)'/.exec(filter)![1]!);
      const context = `intelProfiles('${key}')/indicators`;
      if (q.get('$orderby') === 'firstSeenDateTime desc') {
        const shape = [T_IND, 'indicators', key, ['firstSeenDateTime desc', 'id desc'], filter, ''];
        const a = after(q, shape, 2) as [number, string] | undefined;
        const rows = (a ? listAfter.all(key, source, a[0], a[1], top + 1) : list.all(key, source, top + 1)) as I[];
        body = page(origin, url, context, rows, top, shape, (r: I) => [r.first_seen_date_time, r.id], indicator);
      } else {
        const shape = [T_IND, 'indicators', key, ['id asc'], filter, ''];
        const a = after(q, shape, 1) as [string] | undefined;
        const rows = byKey.all(key, source, a ? a[0] : '', top + 1) as I[];
        const n = q.get('$count') === 'true' ? (count.get(key, source) as { n: number }).n : undefined;
        body = page(origin, url, context, rows, top, shape, (r: I) => [r.id], indicator, n);
      }
    } else if (parts[0] === 'intelProfiles' && parts.length === 1) {
      const term = q.get('$search');
      const filter = q.get('$filter');
      const shape = [T_PROF, '', '', ['id asc'], filter ?? '', term ?? ''];
      const a = after(q, shape, 1) as [string] | undefined;
      const artifact = filter ? /eq '(.*)'\)$/.exec(filter)![1]!.replace(/''/g, "'") : '';
      const rows = (term ? search.all(a ? a[0] : '', term.toLowerCase(), term.toLowerCase(), term.toLowerCase(), top + 1) : pivot.all(a ? a[0] : '', artifact, top + 1)) as P[];
      body = page(origin, url, 'intelProfiles', rows, top, shape, (r: P) => [r.id], profile);
    }
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0', 'Content-Length': Buffer.byteLength(body) }).end(body);
  };
}

// ---- the minimum on PostgreSQL: the same bodies from tigraph's own SQL texts ----
function minimumPg(connectionString: string, schema: string, poolSize: number): RequestListener {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    options: `-c search_path=${schema}`,
    application_name: 'tigraph-bench-minimum',
    // BIGINT (epoch ms) as a number, as tigraph's store does.
    types: { getTypeParser: (oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format)) } as unknown as pg.CustomTypesConfig,
  });
  pool.on('error', () => {});
  keyReady = pool.query<{ value: string }>(`SELECT "value" FROM "tigraph_secrets" WHERE "name" = 'skiptoken'`).then((r) => {
    tokenKey = Buffer.from(r.rows[0]!.value, 'base64url');
  });
  // The statements tigraph's PostgreSQL store compiles for the bench's URLs (captured from its pool), verbatim.
  const SQL = {
    byId: 'SELECT t.* FROM "intelligence_profile_indicator" AS t WHERE "t"."id" = $1',
    profileById: 'SELECT t.* FROM "intelligence_profile" AS t WHERE "t"."id" = $1',
    list: 'SELECT t.*, "t"."first_seen_date_time" AS "__k0", "t"."id" AS "__k1" FROM "intelligence_profile_indicator" AS t WHERE "t"."intelligence_profile_id" = $1 AND ("t"."source" = $2) ORDER BY "t"."first_seen_date_time" DESC, "t"."id" DESC LIMIT $3',
    listAfter:
      'SELECT t.*, "t"."first_seen_date_time" AS "__k0", "t"."id" AS "__k1" FROM "intelligence_profile_indicator" AS t WHERE "t"."intelligence_profile_id" = $1 AND ("t"."source" = $2) AND (("t"."first_seen_date_time", "t"."id") < ($3, $4)) ORDER BY "t"."first_seen_date_time" DESC, "t"."id" DESC LIMIT $5',
    byKey: 'SELECT t.*, "t"."id" AS "__k0" FROM "intelligence_profile_indicator" AS t WHERE "t"."intelligence_profile_id" = $1 AND ("t"."source" = $2) ORDER BY "t"."id" ASC LIMIT $3',
    byKeyAfter: 'SELECT t.*, "t"."id" AS "__k0" FROM "intelligence_profile_indicator" AS t WHERE "t"."intelligence_profile_id" = $1 AND ("t"."source" = $2) AND ("t"."id" > $3) ORDER BY "t"."id" ASC LIMIT $4',
    count: 'SELECT COUNT(*) AS n FROM "intelligence_profile_indicator" AS t WHERE "t"."intelligence_profile_id" = $1 AND ("t"."source" = $2)',
    search:
      'SELECT t.*, "t"."id" AS "__k0" FROM "intelligence_profile" AS t WHERE ((strpos(lower(("t"."title")::text), lower(($1)::text)) > 0) OR EXISTS (SELECT 1 FROM jsonb_array_elements(("t"."aliases")::jsonb) AS "s0"(value) WHERE (strpos(lower((("s0"."value" #>> $2::text[]))::text), lower(($3)::text)) > 0)) OR (strpos(lower(((("t"."summary")::jsonb #>> $4::text[]))::text), lower(($5)::text)) > 0)) ORDER BY "t"."id" ASC LIMIT $6',
    pivot:
      'SELECT t.*, "t"."id" AS "__k0" FROM "intelligence_profile" AS t WHERE "t"."id" IN (SELECT "l0"."intelligence_profile_id" FROM "intelligence_profile_indicator" AS "l0" WHERE ("l0"."artifact_id" = $1)) ORDER BY "t"."id" ASC LIMIT $2',
  };
  const q = async <R>(text: string, values: unknown[]): Promise<R[]> => (await pool.query({ text, values })).rows as R[];
  const T_IND = 'microsoft.graph.security.intelligenceProfileIndicator';
  const T_PROF = 'microsoft.graph.security.intelligenceProfile';
  const answer = async (url: string, origin: string): Promise<string | undefined> => {
    const u = new URL(url, origin);
    const qs = u.searchParams;
    const parts = decodeURIComponent(u.pathname).slice(ROOT.length).split('/');
    const top = Number(qs.get('$top') ?? 100);
    if (parts[0] === 'intelligenceProfileIndicators' && parts.length === 2) {
      const r = (await q<I>(SQL.byId, [parts[1]]))[0];
      return r && JSON.stringify({ '@odata.context': `${origin}/v1.0/$metadata#security/threatIntelligence/intelligenceProfileIndicators/$entity`, ...indicator(r) });
    }
    if (parts[0] === 'intelProfiles' && parts.length === 2) {
      const r = (await q<P>(SQL.profileById, [parts[1]]))[0];
      return r && JSON.stringify({ '@odata.context': `${origin}/v1.0/$metadata#security/threatIntelligence/intelProfiles/$entity`, ...profile(r) });
    }
    if (parts[0] === 'intelProfiles' && parts[2] === 'indicators') {
      const key = parts[1]!;
      const filter = qs.get('$filter')!;
      const source = SOURCE.indexOf(/source eq '(\w+)'/.exec(filter)![1]!);
      const context = `intelProfiles('${key}')/indicators`;
      if (qs.get('$orderby') === 'firstSeenDateTime desc') {
        const shape = [T_IND, 'indicators', key, ['firstSeenDateTime desc', 'id desc'], filter, ''];
        const a = after(qs, shape, 2) as [number, string] | undefined;
        const rows = a ? await q<I>(SQL.listAfter, [key, source, a[0], a[1], top + 1]) : await q<I>(SQL.list, [key, source, top + 1]);
        return page(origin, url, context, rows, top, shape, (r: I) => [r.first_seen_date_time, r.id], indicator);
      }
      const shape = [T_IND, 'indicators', key, ['id asc'], filter, ''];
      const a = after(qs, shape, 1) as [string] | undefined;
      const wantCount = qs.get('$count') === 'true';
      const [rows, n] = await Promise.all([
        a ? q<I>(SQL.byKeyAfter, [key, source, a[0], top + 1]) : q<I>(SQL.byKey, [key, source, top + 1]),
        wantCount ? q<{ n: number }>(SQL.count, [key, source]).then((r) => Number(r[0]!.n)) : Promise.resolve(undefined),
      ]);
      return page(origin, url, context, rows, top, shape, (r: I) => [r.id], indicator, n);
    }
    if (parts[0] === 'intelProfiles' && parts.length === 1) {
      if (qs.has('$skiptoken')) return undefined; // the bench only sends first pages here
      const term = qs.get('$search');
      const filter = qs.get('$filter');
      const artifact = filter ? /eq '(.*)'\)$/.exec(filter)![1]!.replace(/''/g, "'") : '';
      const rows = term ? await q<P>(SQL.search, [term, '{}', term, '{content}', term, top + 1]) : await q<P>(SQL.pivot, [artifact, top + 1]);
      return page(origin, url, 'intelProfiles', rows, top, [T_PROF, '', '', ['id asc'], filter ?? '', term ?? ''], (r: P) => [r.id], profile);
    }
    return undefined;
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    answer(req.url ?? '/', `http://${req.headers.host}`).then(
      (body) => {
        if (body === undefined) return void res.writeHead(404).end();
        res.writeHead(200, { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0', 'Content-Length': Buffer.byteLength(body) }).end(body);
      },
      (e: Error) => void res.writeHead(500, { 'Content-Type': 'text/plain' }).end(e.message),
    );
  };
}

const [mode, file, schema, poolSize] = process.argv.slice(2);
if (mode === 'ceiling' || mode === 'minimum' || mode === 'minimum-pg') {
  const handler = mode === 'ceiling' ? ceiling(file!) : mode === 'minimum' ? minimum(file!) : minimumPg(file!, schema!, Number(poolSize ?? 10));
  const server = createServer({ keepAliveTimeout: 5000 }, handler);
  await keyReady;
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : 0}\n`);
  });
  process.once('SIGTERM', () => process.exit(0));
}
