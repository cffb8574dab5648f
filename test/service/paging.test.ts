/**
 * Keyset paging through the service in process: `$top` pages, `@odata.nextLink` continuation to the last page,
 * `$count=true`, `$orderby` desc, `$skip` on the first page only, the page-size caps, and a tampered token.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServiceHarness, graphError, ORIGIN, type ServiceHarness } from './service-harness.js';

const V1 = '/v1.0/security/threatIntelligence';

let h: ServiceHarness;
let capped: ServiceHarness;
before(async () => {
  h = await createServiceHarness();
  capped = await createServiceHarness({ defaultPageSize: 4, maxPageSize: 6 });
});
after(async () => {
  await h.close();
  await capped.close();
});

interface Page {
  readonly ids: string[];
  readonly body: any;
}

/** Follows `@odata.nextLink` from `first` to the end; every page must be a 200. */
async function walk(harness: ServiceHarness, first: string): Promise<Page[]> {
  const pages: Page[] = [];
  let next: string | undefined = first;
  while (next !== undefined) {
    const r = await harness.get(next);
    assert.equal(r.status, 200, `${next}: ${JSON.stringify(r.body)}`);
    pages.push({ ids: r.body.value.map((v: { id: string }) => v.id), body: r.body });
    const link: string | undefined = r.body['@odata.nextLink'];
    if (link !== undefined) assert.equal(link.slice(0, ORIGIN.length), ORIGIN, 'nextLink is absolute on this origin');
    next = link?.slice(ORIGIN.length);
    assert.ok(pages.length <= 50, 'the listing ends');
  }
  return pages;
}

/** The nextLink split into the part before the token and the token's decoded content [version, shape hash, sort values]. */
function splitNextLink(link: string): { before: string; token: [number, string, unknown[]] } {
  const at = link.indexOf('$skiptoken=');
  assert.notEqual(at, -1, link);
  const token = link.slice(at + '$skiptoken='.length);
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
  return { before: link.slice(0, at), token: JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) };
}

describe('service: keyset paging', () => {
  it('$top=3 over intelProfiles: four pages in key order, each nextLink continuing after the last id served', async () => {
    const pages = await walk(h, `${V1}/intelProfiles?$top=3&$select=id,title`);
    assert.deepEqual(
      pages.map((p) => p.ids),
      [
        ['9b01de37bf66d1760954a16dc2b52fed2a7bd4e093dfc8a4905e108e4843da80', 'actinium', 'cobalt-strike'],
        ['emerald-sleet', 'forest-blizzard', 'midnight-blizzard'],
        ['mimikatz', 'mint-sandstorm', 'seashell-blizzard'],
        ['volt-typhoon'],
      ],
    );
    const links = pages.slice(0, 3).map((p) => splitNextLink(p.body['@odata.nextLink']));
    for (const l of links) assert.equal(l.before, `${ORIGIN}${V1}/intelProfiles?$top=3&$select=id%2Ctitle&`);
    assert.deepEqual(
      links.map((l) => [l.token[0], l.token[2]]),
      [
        [2, ['cobalt-strike']],
        [2, ['midnight-blizzard']],
        [2, ['seashell-blizzard']],
      ],
    );
    assert.equal(new Set(links.map((l) => l.token[1])).size, 1, 'one listing, one shape hash');
    assert.deepEqual(Object.keys(pages[3]!.body), ['@odata.context', 'value'], 'the last page has no nextLink');
  });

  it('$orderby=firstSeenDateTime desc with $count=true: 14 indicators of one profile in 5+5+4, newest first, the count on every page', async () => {
    const pages = await walk(h, `${V1}/intelProfiles/mint-sandstorm/indicators?$top=5&$orderby=firstSeenDateTime%20desc&$count=true&$select=id,firstSeenDateTime`);
    assert.deepEqual(
      pages.map((p) => p.body['@odata.count']),
      [14, 14, 14],
    );
    const served = pages.map((p) => p.body.value.map((v: { firstSeenDateTime: string }) => v.firstSeenDateTime));
    assert.deepEqual(served, [
      ['2025-02-18T00:07:54.000Z', '2025-01-26T21:44:19.000Z', '2025-01-18T15:08:35.000Z', '2024-12-16T09:29:24.000Z', '2024-11-30T04:37:10.000Z'],
      ['2024-08-01T11:05:38.000Z', '2024-04-22T02:08:30.000Z', '2023-08-28T20:12:25.000Z', '2023-04-23T07:11:12.000Z', '2022-12-23T08:09:22.000Z'],
      ['2022-08-03T11:26:16.000Z', '2021-04-10T08:57:56.000Z', '2021-03-09T14:14:28.000Z', '2021-01-20T16:52:02.000Z'],
    ]);
    assert.deepEqual(pages.map((p) => p.ids), [
      ['5bb1bd49-6d5c-cbff-f849-1fa0a92e9150', '8985a900-53f5-ee94-d267-516f6d32400f', '48b8c75b-92f1-2069-74f0-646e0896ae0f', '5debaf64-22cf-2031-ca1d-2087f6766384', 'f7778db5-070c-36d3-d865-23c04b704369'],
      ['610a4d91-4576-3f6f-5c93-475a95a82996', '74ae212c-8003-8a6f-2d86-6bf957f77fa1', 'ef638e99-66a8-77f1-12df-cf60c5bd391e', '223360b4-5d1e-6d7e-4d36-12f166ca143b', '796cef8b-de88-27e9-ab2b-fa1dcc1c53f8'],
      ['1dd73314-b65a-4be5-e6c8-04a319d710ca', '0a7b6ea9-b4ed-1ae1-5696-1508708cfbac', '274f9a51-3fc1-cee2-425f-1eadeb2deb34', 'f55d092a-d1a4-e058-1d1d-82a0b715efe2'],
    ]);
    // The token holds the sort values of the last row served: firstSeenDateTime (epoch ms) then the key.
    const first = splitNextLink(pages[0]!.body['@odata.nextLink']);
    assert.equal(first.before, `${ORIGIN}${V1}/intelProfiles/mint-sandstorm/indicators?$top=5&$orderby=firstSeenDateTime%20desc&$count=true&$select=id%2CfirstSeenDateTime&`);
    assert.deepEqual(first.token[2], [Date.UTC(2024, 10, 30, 4, 37, 10), 'f7778db5-070c-36d3-d865-23c04b704369']);
    assert.deepEqual(splitNextLink(pages[1]!.body['@odata.nextLink']).token[2], [Date.UTC(2022, 11, 23, 8, 9, 22), '796cef8b-de88-27e9-ab2b-fa1dcc1c53f8']);
  });

  it('$count=true counts the filtered collection, not the page', async () => {
    const r = await h.get(`${V1}/intelligenceProfileIndicators?$filter=source%20eq%20'public'&$count=true&$top=2`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['@odata.context', '@odata.count', '@odata.nextLink', 'value']);
    assert.equal(r.body['@odata.count'], 64);
    assert.equal(r.body.value.length, 2);
    assert.deepEqual([...new Set(r.body.value.map((v: { source: string }) => v.source))], ['public']);
    const all = await walk(h, `${V1}/intelligenceProfileIndicators?$filter=source%20eq%20'public'&$top=30&$select=id`);
    assert.deepEqual(all.map((p) => p.ids.length), [30, 30, 4]);
    assert.equal(new Set(all.flatMap((p) => p.ids)).size, 64);
  });

  it('/$count is the bare number as text/plain', async () => {
    const r = await h.request(`${V1}/intelProfiles/$count`);
    assert.deepEqual([r.status, r.headers['Content-Type'], r.text], [200, 'text/plain;charset=utf-8', '10']);
    const filtered = await h.request(`${V1}/intelProfiles/mint-sandstorm/indicators/$count`);
    assert.equal(filtered.text, '14');
  });

  it('$skip applies to the first page only and is dropped from the nextLink', async () => {
    const pages = await walk(h, `${V1}/intelProfiles?$skip=2&$top=4&$select=id`);
    assert.deepEqual(
      pages.map((p) => p.ids),
      [
        ['cobalt-strike', 'emerald-sleet', 'forest-blizzard', 'midnight-blizzard'],
        ['mimikatz', 'mint-sandstorm', 'seashell-blizzard', 'volt-typhoon'],
      ],
    );
    assert.equal(splitNextLink(pages[0]!.body['@odata.nextLink']).before, `${ORIGIN}${V1}/intelProfiles?$top=4&$select=id&`);
  });

  it('without $top the default page size applies; $top is capped by the maximum; Prefer odata.maxpagesize lowers it', async () => {
    const byDefault = await walk(capped, `${V1}/intelProfiles?$select=id`);
    assert.deepEqual(byDefault.map((p) => p.ids.length), [4, 4, 2]);
    const overMax = await walk(capped, `${V1}/intelProfiles?$top=50&$select=id`);
    assert.deepEqual(overMax.map((p) => p.ids.length), [6, 4]);
    const preferred = await capped.request(`${V1}/intelProfiles?$select=id`, { prefer: 'odata.maxpagesize=3' });
    assert.equal(preferred.status, 200);
    assert.equal(preferred.headers['Preference-Applied'], 'odata.maxpagesize=3');
    assert.deepEqual(preferred.json().value.map((v: { id: string }) => v.id), ['9b01de37bf66d1760954a16dc2b52fed2a7bd4e093dfc8a4905e108e4843da80', 'actinium', 'cobalt-strike']);
  });

  it('a token from another listing, or an altered one, is a 400 with the reason', async () => {
    const first = await h.get(`${V1}/intelProfiles?$top=3`);
    const link: string = first.body['@odata.nextLink'];
    const token = link.slice(link.indexOf('$skiptoken=') + '$skiptoken='.length);
    const otherOrder = await h.request(`${V1}/intelProfiles?$top=3&$orderby=title&$skiptoken=${token}`);
    assert.equal(otherOrder.status, 400);
    assert.deepEqual(otherOrder.json(), graphError('BadRequest', 'Invalid $skiptoken: the token belongs to a different query ($filter, $orderby, $search or path changed).'));
    const [body, mac] = token.split('.') as [string, string];
    const [version, hash] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [number, string, unknown[]];
    // The values edited, the server's MAC kept: refused before the values reach SQL.
    const forged = `${Buffer.from(JSON.stringify([version, hash, ['a', 'b']])).toString('base64url')}.${mac}`;
    const tampered = await h.request(`${V1}/intelProfiles?$top=3&$skiptoken=${forged}`);
    assert.deepEqual([tampered.status, tampered.json()], [400, graphError('BadRequest', 'Invalid $skiptoken: the token was not issued by this server or was altered.')]);
    const garbage = await h.request(`${V1}/intelProfiles?$top=3&$skiptoken=${token.slice(0, -3)}`);
    assert.deepEqual([garbage.status, garbage.json()], [400, graphError('BadRequest', 'Invalid $skiptoken: the token is not in the format this server issues.')]);
  });
});
