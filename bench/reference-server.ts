/**
 * The two reference servers of `npm run bench`, each run in its own child process:
 *
 * - `ceiling <responses.json>`: bare node:http answering each known URL with pre-serialized bytes (fetched from
 *   tigraph before measuring). Nothing is computed per request but a Map lookup: what the machine and node:http
 *   can do at all.
 * - `minimum <db file>`: hand-written node:http + better-sqlite3 prepared statements + JSON.stringify answering
 *   the bench's URLs with the same bodies as tigraph (verified byte for byte, origin aside, before measuring):
 *   what any implementation on this store must at least pay. It parses only the URL shapes the bench sends.
 *
 * Both print `listening <port>` on stdout once ready.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
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

// ---- the minimum: ~100 lines for seven URL shapes ----
function minimum(file: string): RequestListener {
  const db = new Database(file, { readonly: true });
  db.pragma('mmap_size = 1073741824');
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
  type P = Record<string, never> & { id: string; aliases: string; countries_or_regions_of_origin: string; description: string; first_active_date_time: number; kind: number; summary: string; targets: string; title: string; tradecraft: string | null };
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
  const IND = 'SELECT * FROM intelligence_profile_indicator';
  const byId = db.prepare(`${IND} WHERE id = ?`);
  const profileById = db.prepare('SELECT * FROM intelligence_profile WHERE id = ?');
  const list = db.prepare(`${IND} WHERE intelligence_profile_id = ? AND source = ? ORDER BY first_seen_date_time DESC, id DESC LIMIT ?`);
  const listAfter = db.prepare(`${IND} WHERE intelligence_profile_id = ? AND source = ? AND (first_seen_date_time < ? OR (first_seen_date_time = ? AND id < ?)) ORDER BY first_seen_date_time DESC, id DESC LIMIT ?`);
  const byKey = db.prepare(`${IND} WHERE intelligence_profile_id = ? AND source = ? AND id > ? ORDER BY id LIMIT ?`);
  const count = db.prepare('SELECT count(*) AS n FROM intelligence_profile_indicator WHERE intelligence_profile_id = ? AND source = ?');
  const search = db.prepare(
    "SELECT * FROM intelligence_profile t WHERE t.id > ? AND (instr(lower(t.title), ?) > 0 OR EXISTS (SELECT 1 FROM json_each(t.aliases) a WHERE instr(lower(a.value), ?) > 0) OR instr(lower(json_extract(t.summary, '$.content')), ?) > 0) ORDER BY t.id LIMIT ?",
  );
  const pivot = db.prepare('SELECT * FROM intelligence_profile WHERE id > ? AND id IN (SELECT intelligence_profile_id FROM intelligence_profile_indicator WHERE artifact_id = ?) ORDER BY id LIMIT ?');
  const token = (shape: unknown[], values: unknown[]): string =>
    Buffer.from(JSON.stringify([1, createHash('sha256').update(JSON.stringify(shape)).digest('base64url').slice(0, 12), values])).toString('base64url');
  const after = (q: URLSearchParams): unknown[] | undefined => {
    const t = q.get('$skiptoken');
    return t ? (JSON.parse(Buffer.from(t, 'base64url').toString()) as unknown[][])[2] : undefined;
  };
  /** Collection body: context, count, nextLink (same query, new token), value. */
  const page = (origin: string, url: string, context: string, rows: Record<string, unknown>[], size: number, shape: unknown[], sortKey: (r: never) => unknown[], item: (r: never) => unknown, n?: number): string => {
    const body: Record<string, unknown> = { '@odata.context': `${origin}/v1.0/$metadata#security/threatIntelligence/${context}` };
    if (n !== undefined) body['@odata.count'] = n;
    if (rows.length > size) body['@odata.nextLink'] = `${origin}${url.replace(/&\$skiptoken=[^&]*/, '')}&$skiptoken=${token(shape, sortKey(rows[size - 1] as never))}`;
    body['value'] = rows.slice(0, size).map((r) => item(r as never));
    return JSON.stringify(body);
  };
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
        const a = after(q) as [number, string] | undefined;
        const rows = (a ? listAfter.all(key, source, a[0], a[0], a[1], top + 1) : list.all(key, source, top + 1)) as I[];
        body = page(origin, url, context, rows, top, [T_IND, 'indicators', key, ['firstSeenDateTime desc', 'id desc'], filter, ''], (r: I) => [r.first_seen_date_time, r.id], indicator);
      } else {
        const a = after(q) as [string] | undefined;
        const rows = byKey.all(key, source, a ? a[0] : '', top + 1) as I[];
        const n = q.get('$count') === 'true' ? (count.get(key, source) as { n: number }).n : undefined;
        body = page(origin, url, context, rows, top, [T_IND, 'indicators', key, ['id asc'], filter, ''], (r: I) => [r.id], indicator, n);
      }
    } else if (parts[0] === 'intelProfiles' && parts.length === 1) {
      const a = after(q) as [string] | undefined;
      const term = q.get('$search');
      const filter = q.get('$filter');
      const artifact = filter ? /eq '(.*)'\)$/.exec(filter)![1]!.replace(/''/g, "'") : '';
      const rows = (term ? search.all(a ? a[0] : '', term.toLowerCase(), term.toLowerCase(), term.toLowerCase(), top + 1) : pivot.all(a ? a[0] : '', artifact, top + 1)) as P[];
      body = page(origin, url, 'intelProfiles', rows, top, [T_PROF, '', '', ['id asc'], filter ?? '', term ?? ''], (r: P) => [r.id], profile);
    }
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0', 'Content-Length': Buffer.byteLength(body) }).end(body);
  };
}

const [mode, file] = process.argv.slice(2);
if (mode === 'ceiling' || mode === 'minimum') {
  const server = createServer({ keepAliveTimeout: 5000 }, mode === 'ceiling' ? ceiling(file!) : minimum(file!));
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : 0}\n`);
  });
  process.once('SIGTERM', () => process.exit(0));
}
