/**
 * Fuzz: hundreds of generated bad inputs through the public entry point. Each must end in a catalog
 * ODataError with status 400: never another exception type, never a stack overflow, never a hang.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ODataError } from '../../../src/errors/odata-error.js';
import { MODEL } from '../../../src/model/model.js';
import { bindQueryOptions, type QueryContext } from '../../../src/odata/bind/bind-query-options.js';
import { DEFAULT_LIMITS } from '../../../src/odata/limits/query-limits.js';
import { mulberry32 as prng } from '../../../src/seed/random.js';

const PROFILE = MODEL.entityType('microsoft.graph.security.intelligenceProfile');
const INDICATOR = MODEL.entityType('microsoft.graph.security.intelligenceProfileIndicator');
const base = (limits = DEFAULT_LIMITS): QueryContext => ({ model: MODEL, type: PROFILE, isCollection: true, where: 'intelProfiles', strict: false, includeUnknownEnumMembers: false, limits });
const ROOMY = { ...DEFAULT_LIMITS, maxOptionLength: 2_000_000 };


function expect400(query: string, ctx: QueryContext = base()): void {
  const started = Date.now();
  let thrown: unknown;
  try {
    bindQueryOptions(query, ctx);
  } catch (e) {
    thrown = e;
  }
  const shown = JSON.stringify(query.length > 120 ? `${query.slice(0, 120)}…(${query.length} chars)` : query);
  assert.ok(thrown !== undefined, `expected a 400 for ${shown}`);
  assert.ok(thrown instanceof ODataError, `expected an ODataError for ${shown} but got ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`);
  assert.equal(thrown.status, 400, `${shown}: ${thrown.message}`);
  assert.ok(Date.now() - started < 2000, `${shown} took ${Date.now() - started} ms`);
}

describe('hostile input: every bad query option is a clean 400', { timeout: 20_000 }, () => {
  it('300 random byte strings as $filter, $orderby, $select, $expand, $top', () => {
    const rand = prng(20_240_501);
    const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ()'\",/:;=$%&+-*.[]{}@#!?\\\t\n\u0000\u00e9\u{1F600}";
    const options = ['$filter', '$orderby', '$select', '$expand', '$top'];
    for (let n = 0; n < 300; n++) {
      const len = 1 + Math.floor(rand() * 120);
      let s = '';
      for (let i = 0; i < len; i++) s += rand() < 0.15 ? String.fromCharCode(Math.floor(rand() * 256)) : alphabet[Math.floor(rand() * alphabet.length)];
      // An unbalanced ')' first guarantees the input is invalid for every option.
      expect400(`${options[n % options.length]}=)${s}`);
    }
  });

  it('every proper prefix of valid filters (truncated expressions)', () => {
    const valid = [
      "(title eq 'x' and kind eq 'actor')",
      "(indicators/any(i: i/artifact/id eq 'a''b' or i/source eq microsoft.graph.security.indicatorSource'osint'))",
      "(firstActiveDateTime ge 2022-05-02T23:09:20.123+02:00 and not(aliases/any(a: startswith(tolower(a), 'apt'))))",
      "(kind in ('actor', 'tool', null) and length(trim(summary/content)) gt 10)",
    ];
    let count = 0;
    for (const f of valid) {
      bindQueryOptions(`$filter=${encodeURIComponent(f)}`, base()); // the whole expression is fine
      for (let cut = 1; cut < f.length; cut++) {
        expect400(`$filter=${encodeURIComponent(f.slice(0, cut))}`);
        count++;
      }
    }
    assert.ok(count > 300, `${count} truncations`);
  });

  it('50,000-deep nesting of parentheses, not, lambdas and function calls', () => {
    const deep = 50_000;
    for (const ctx of [base(), base(ROOMY)]) {
      expect400(`$filter=${'('.repeat(deep)}true${')'.repeat(deep)}`, ctx);
      expect400(`$filter=${'not '.repeat(deep)}true`, ctx);
      expect400(`$filter=${'NOT('.repeat(deep)}true${')'.repeat(deep)}`, ctx);
      expect400(`$filter=${'aliases/any(a:'.repeat(deep)}true${')'.repeat(deep)}`, ctx);
      expect400(`$filter=${'tolower('.repeat(deep)}title${')'.repeat(deep)} eq 'x'`, ctx);
      expect400(`$filter=${'('.repeat(deep)}`, ctx);
      expect400(`$search=${'('.repeat(deep)}a${')'.repeat(deep)}`, ctx);
      expect400(`$search=${'NOT '.repeat(deep)}a`, ctx);
      expect400(`$expand=${'artifact('.repeat(deep)}`, { ...ctx, type: INDICATOR });
    }
  });

  it('very long chains and lists hit the node and list limits', () => {
    expect400(`$filter=${Array.from({ length: 3000 }, (_, i) => `title eq '${i}'`).join(' or ')}`, base(ROOMY));
    expect400(`$filter=title in (${Array.from({ length: 5000 }, (_, i) => `'${i}'`).join(',')})`, base(ROOMY));
    expect400(`$select=${Array.from({ length: 1000 }, () => 'id').join(',')}`, base(ROOMY));
    expect400(`$orderby=${Array.from({ length: 1000 }, () => 'title').join(',')}`, base(ROOMY));
    expect400(`$search=${Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ')}`, base(ROOMY));
  });

  it('1 MB literals and option values', () => {
    const mb = 'x'.repeat(1_000_000);
    for (const ctx of [base(), base(ROOMY)]) {
      expect400(`$filter=title eq '${mb}'`, ctx);
      expect400(`$filter=title eq '${mb}`, ctx);
      expect400(`$filter=${mb} eq 'x'`, ctx);
      expect400(`$filter=title eq ${'9'.repeat(1_000_000)}`, ctx);
      expect400(`$select=${mb}`, ctx);
      expect400(`$search="${mb}`, ctx);
      expect400(`$top=${'9'.repeat(1_000_000)}`, ctx);
    }
  });

  it('SQL fragments', () => {
    const fragments = [
      "'; DROP TABLE x; --",
      "title eq ''; DROP TABLE x; --'",
      "title eq 'x' OR 1=1",
      "title eq 'x' or 1 eq 1 --",
      "title eq 'x'/**/or/**/1 eq 1",
      "1=1",
      "title eq 'x' UNION SELECT * FROM sqlite_master",
      "title; DELETE FROM intelligence_profile",
      "title eq \"x\" or \"1\"=\"1\"",
      "title eq 'x'); DROP TABLE x; --",
      "title eq char(39)",
      "title eq 0x27",
      "id eq 1 -- comment",
      "`title` eq 'x'",
      "title eq 'x' || 'y'",
      "title LIKE '%x%'",
    ];
    for (const f of fragments) {
      expect400(`$filter=${encodeURIComponent(f)}`);
      expect400(`$orderby=${encodeURIComponent(f)}`);
      expect400(`$select=${encodeURIComponent(f)}`);
      expect400(`$expand=${encodeURIComponent(f)}`, { ...base(), type: INDICATOR });
      expect400(`$top=${encodeURIComponent(f)}`);
    }
  });

  it('bad percent-encoding and option names', () => {
    for (const q of ['$filter=%', '$filter=%G1', '%E0%A4%A=1', '$filter=%uD800', '$=1', '$$filter=true', '$filter&$filter', '$top=1&TOP=1', '$count=maybe', '$format=text/html']) expect400(q);
  });
});
