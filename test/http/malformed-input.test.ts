/**
 * A few hundred generated bad requests (random bytes, truncated expressions, deep nesting, huge literals,
 * SQL fragments) must each get a 4xx Graph error, never a 500 or a hang, and the server must keep answering.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { mulberry32 } from '../../src/seed/random.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());


function generate(): string[] {
  const rnd = mulberry32(20261127);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const valid = [
    "source eq 'osint' and firstSeenDateTime ge 2024-01-01T00:00:00Z",
    "startswith(artifact/id,'update') or lastSeenDateTime eq null",
    "source in ('public','osint') and not (lastSeenDateTime lt 2025-01-01T00:00:00Z)",
  ];
  const sqlFragments = ["'; DROP TABLE intelligence_profile_indicator; --", "1=1 --", "' OR '1'='1", 'id) OR (1=1', "x' UNION SELECT * FROM sqlite_master --", '`', '"; SELECT pg_sleep(10); --'];
  const queries: string[] = [];
  // truncations of valid filters at every position
  for (const v of valid) for (let i = 1; i < v.length; i += 3) queries.push(`$filter=${encodeURIComponent(v.slice(0, i))}`);
  // random bytes as option values
  for (let i = 0; i < 200; i++) {
    const bytes = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256));
    const value = bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    queries.push(`${pick(['$filter', '$orderby', '$select', '$expand', '$top', '$skip', '$count', '$skiptoken', '$search'])}=${value}`);
  }
  // SQL fragments in every position
  for (const f of sqlFragments) {
    queries.push(`$filter=${encodeURIComponent(`source eq '${f}'`)}`, `$filter=${encodeURIComponent(f)}`, `$orderby=${encodeURIComponent(f)}`, `$select=${encodeURIComponent(f)}`, `$skiptoken=${encodeURIComponent(f)}`);
  }
  // deep nesting and long chains
  for (const depth of [100, 1000, 3000]) {
    queries.push(`$filter=${encodeURIComponent(`${'('.repeat(depth)}source eq 'osint'${')'.repeat(depth)}`)}`);
    queries.push(`$filter=${encodeURIComponent(`${'not '.repeat(depth)}(source eq 'osint')`)}`);
    queries.push(`$filter=${encodeURIComponent(Array.from({ length: depth }, () => "source eq 'osint'").join(' or '))}`);
  }
  // huge literals (bounded by the URL limit: beyond it the answer is 414)
  queries.push(`$filter=${encodeURIComponent(`artifact/id eq '${'x'.repeat(7000)}'`)}`, `$top=${'9'.repeat(400)}`, `$filter=${encodeURIComponent(`firstSeenDateTime eq ${'2'.repeat(300)}`)}`);
  queries.push(`$filter=${'a'.repeat(20000)}`);
  // type confusion and unsupported constructs
  queries.push(
    ...[
      'source eq 1.5e999',
      "firstSeenDateTime eq 2024-13-45T99:99:99Z",
      "artifact/nope eq 'x'",
      "indicators/any(i: i/nope eq 'x')",
      "aliases/all(a: a eq 'x')",
      "aliases/any(a: a/b eq 'x')",
      'source has osint',
      "length(source) eq 'x'",
      "contains(firstSeenDateTime, 'x')",
      'true',
      'null',
      "id eq 'a' eq 'b'",
      "'unterminated",
      "id eq 'a''",
      '$it eq null',
      "microsoft.graph.security.nosuch'x' eq source",
    ].map((f) => `$filter=${encodeURIComponent(f)}`),
  );
  return queries;
}

describe('malformed input', () => {
  it('hundreds of bad queries get only 4xx Graph errors, and the server still answers', async () => {
    const queries = generate();
    assert.ok(queries.length >= 300, `${queries.length} generated`);
    const statuses = new Map<number, number>();
    for (const q of queries) {
      for (const path of [`/v1.0${TI}/intelligenceProfileIndicators`, `/beta${TI}/intelProfiles`]) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 5000);
        const res = await fetch(`${s.url}${path}?${q}`, { headers: { Authorization: `Bearer ${s.token}` }, signal: controller.signal });
        clearTimeout(timer);
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200) continue; // some random inputs are valid queries (e.g. a harmless $search)
        assert.ok(res.status >= 400 && res.status < 500, `${res.status} for ${path}?${q.slice(0, 200)}: ${text.slice(0, 300)}`);
        assert.match(res.headers.get('content-type')!, /^application\/json/);
        const body = JSON.parse(text) as { error: { code: string; message: string } };
        assert.ok(body.error.code && body.error.message, q.slice(0, 200));
        assert.doesNotMatch(body.error.message, /\n\s+at |SQLITE|sqlite|node_modules/, 'no stack trace or driver internals');
      }
    }
    assert.ok((statuses.get(400) ?? 0) > 250, JSON.stringify([...statuses]));
    const health = await s.json(`/v1.0${TI}/intelligenceProfileIndicators/ff3eecd2-a2be-27c2-8dc0-40d1c0eada55`);
    assert.equal(health.status, 200, 'still answering');
  });
});
