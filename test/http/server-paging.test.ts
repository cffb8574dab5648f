import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { MODEL } from '../../src/model/model.js';
import { readEntity } from '../../src/odata/deserialize/read-entity.js';
import { LARGE_PROFILE_ID } from '../../src/seed/demo-dataset.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ defaultPageSize: 100, maxPageSize: 50 });
});
after(() => s.close());

const profileSet = MODEL.entitySet('intelProfiles')!;

async function insertIndicator(id: string, firstSeen: string): Promise<void> {
  const { writes } = readEntity(
    MODEL,
    profileSet.entityType,
    {
      id: LARGE_PROFILE_ID,
      title: 'Cobalt Strike',
      kind: 'tool',
      firstActiveDateTime: '2012-01-01T00:00:00Z',
      summary: { content: 'Demo record.', format: 'text' },
      description: { content: 'Demo record.', format: 'text' },
      indicators: [{ id, source: 'osint', firstSeenDateTime: firstSeen, artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: `${id}.paging.example` } }],
    },
    { partial: false },
  );
  // Only the indicator (and its artifact): the profile row stays as seeded.
  await s.store.write(writes.filter((w) => w.record.type !== profileSet.entityType));
}

async function walk(first: string, between?: (page: number) => Promise<void>): Promise<{ ids: string[]; pages: number; links: string[] }> {
  const ids: string[] = [];
  const links: string[] = [];
  let next: string | undefined = `${s.url}${first}`;
  let pages = 0;
  while (next) {
    const r: Response = await fetch(next, { headers: { Authorization: `Bearer ${s.token}` } });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { value: { id: string }[]; '@odata.nextLink'?: string };
    ids.push(...body.value.map((v) => v.id));
    pages++;
    next = body['@odata.nextLink'];
    if (next) links.push(next);
    if (between) await between(pages);
  }
  return { ids, pages, links };
}

describe('server-driven paging', () => {
  it('walks a profile larger than one page to the end with no duplicate and no gap', async () => {
    const before = await walk(`/v1.0${TI}/intelProfiles/${LARGE_PROFILE_ID}/indicators?$top=999`);
    assert.ok(before.pages >= 3, 'the maximum page size (50) caps $top');
    assert.equal(before.ids.length, 150);
    const pages = await walk(`/v1.0${TI}/intelProfiles/${LARGE_PROFILE_ID}/indicators?$top=17&$orderby=firstSeenDateTime desc`);
    assert.equal(pages.pages, Math.ceil(150 / 17));
    assert.deepEqual([...pages.ids].sort(), [...before.ids].sort());
    for (const link of pages.links) {
      assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/security\/threatIntelligence\/intelProfiles\/cobalt-strike\/indicators\?/);
      assert.ok(/^[\x21-\x7e]+$/.test(link) && !/[{} ]/.test(link), 'absolute, ASCII, brace- and space-free');
      assert.match(link, /\$top=17&\$orderby=firstSeenDateTime%20desc&\$skiptoken=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    }
  });

  it('stays exact while rows are inserted between pages (keyset, not offsets)', async () => {
    const original = await walk(`/beta${TI}/intelProfiles/${LARGE_PROFILE_ID}/indicators?$top=999`);
    const inserted: string[] = [];
    const result = await walk(`/beta${TI}/intelProfiles/${LARGE_PROFILE_ID}/indicators?$top=10&$orderby=firstSeenDateTime`, async (page) => {
      // Each time: one row dated before everything (behind the cursor) and one after everything (ahead of it).
      const early = `00000000-0000-4000-8000-${String(page).padStart(12, '0')}`;
      const late = `ffffffff-0000-4000-8000-${String(page).padStart(12, '0')}`; // sorts after every earlier late row
      await insertIndicator(early, '2000-01-01T00:00:00Z');
      await insertIndicator(late, '2099-01-01T00:00:00Z');
      inserted.push(late);
    });
    assert.equal(new Set(result.ids).size, result.ids.length, 'no duplicates');
    for (const id of original.ids) assert.ok(result.ids.includes(id), `no gap: ${id}`);
    assert.ok(!result.ids.some((id) => id.startsWith('00000000-0000-4000-8000-')), 'rows inserted behind the cursor are not served');
    assert.ok(inserted.slice(0, -1).every((id) => result.ids.includes(id)), 'rows inserted ahead of the cursor are served');
  });

  it('$skip applies to the first page and the nextLink continues by token', async () => {
    const all = (await walk(`/v1.0${TI}/intelProfiles/${LARGE_PROFILE_ID}/indicators?$top=999`)).ids;
    const r = await s.json(`/v1.0${TI}/intelProfiles/${LARGE_PROFILE_ID}/indicators?$top=20&$skip=25`);
    const rest = await walk(new URL(r.body['@odata.nextLink']).pathname + new URL(r.body['@odata.nextLink']).search);
    assert.doesNotMatch(r.body['@odata.nextLink'], /\$skip=/);
    assert.deepEqual([...r.body.value.map((v: { id: string }) => v.id), ...rest.ids], all.slice(25));
  });

  it('a token from another process of the same store continues the listing', async () => {
    const other = await startTestServer({ store: s.store, defaultPageSize: 100, maxPageSize: 50 });
    try {
      const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$top=5`);
      const link = new URL(r.body['@odata.nextLink']);
      const page = await other.json(`${link.pathname}${link.search}`);
      assert.equal(page.status, 200);
      assert.equal(page.body.value.length, 5);
      assert.ok(page.body.value[0].id > r.body.value[4].id);
    } finally {
      await other.close();
    }
  });

  it('nextLinks use X-Forwarded-Proto/-Host only when the server trusts its proxy', async () => {
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'tigraph.internal' };
    const untrusted = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$top=2`, forwarded);
    assert.ok(untrusted.body['@odata.nextLink'].startsWith(s.url));
    const proxied = await startTestServer({ store: s.store, trustProxy: true });
    try {
      const r = await proxied.json(`/v1.0${TI}/intelligenceProfileIndicators?$top=2`, forwarded);
      assert.ok(r.body['@odata.nextLink'].startsWith('https://tigraph.internal/v1.0/'), r.body['@odata.nextLink']);
      assert.ok(r.body['@odata.context'].startsWith('https://tigraph.internal/v1.0/$metadata#'));
    } finally {
      await proxied.close();
    }
  });

  it('Prefer: odata.maxpagesize lowers the page size', async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators`, { Prefer: 'odata.maxpagesize=3' });
    assert.equal(r.body.value.length, 3);
    assert.equal(r.headers.get('preference-applied'), 'odata.maxpagesize=3');
  });

  it('rejects tokens that are forged, stale for another query, or garbage with 400', async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$top=5&$orderby=firstSeenDateTime`);
    const token = new URL(r.body['@odata.nextLink']).searchParams.get('$skiptoken')!;
    const other = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$top=5&$orderby=lastSeenDateTime&$skiptoken=${token}`);
    assert.equal(other.status, 400);
    assert.equal(other.body.error.message, 'Invalid $skiptoken: the token belongs to a different query ($filter, $orderby, $search or path changed).');
    for (const bad of ['x', 'W10', '!!!', Buffer.from('[1,"abc",[1]]').toString('base64url'), 'A'.repeat(5000)]) {
      const b = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$skiptoken=${bad}`);
      assert.equal(b.status, 400, bad.slice(0, 20));
      assert.equal(b.body.error.code, 'BadRequest');
    }
  });
});
