import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalize, refang } from '../../src/import/canonicalize.js';
import { MAX_RECORD_LINES, parseCsvRecord, readCsv } from '../../src/import/csv.js';
import { parseStixPattern } from '../../src/import/stix-pattern.js';
import { JsonSplitter, JsonStreamError } from '../../src/import/stream-json-array.js';
import { titleFromFileName } from '../../src/import/readers/ioc-list.js';
import { slugId as slugOf } from '../../src/model/ids.js';
import { parseCsvDate } from '../../src/import/types.js';

const id = (v: string, hint?: Parameters<typeof canonicalize>[1]): string => {
  const c = canonicalize(v, hint);
  assert.ok(c.ok, `${v}: ${c.ok ? '' : c.reason}`);
  return c.artifact.id;
};
const fail = (v: string, hint?: Parameters<typeof canonicalize>[1]) => {
  const c = canonicalize(v, hint);
  assert.ok(!c.ok, `${v} should not canonicalize`);
  return { outcome: c.outcome, reason: c.reason };
};

describe('canonical artifact values', () => {
  it('hostnames: lower case, trailing dot, IDNA, refanged', () => {
    assert.equal(id('Example.COM.'), 'example.com');
    assert.equal(id('evil[.]example(.)org', 'hostname'), 'evil.example.org');
    assert.equal(id('bücher.de'), 'xn--bcher-kva.de');
    assert.equal(id('XN--BCHER-KVA.DE'), 'xn--bcher-kva.de');
    assert.deepEqual(fail('not a host!', 'hostname'), { outcome: 'reject', reason: 'invalid hostname' });
    assert.equal(refang('hxxps[:]//a[.]b/c'), 'https://a.b/c');
  });
  it('IP addresses: canonical forms, hosts vs networks', () => {
    assert.equal(id('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(id('::ffff:192.0.2.1', 'ipv6'), '192.0.2.1');
    assert.equal(id('192.0.2.1/32', 'ipv4'), '192.0.2.1');
    assert.equal(id('2001:db8::1/128', 'ipv6'), '2001:db8::1');
    assert.equal(id('192.0.2.1:8080'), '192.0.2.1');
    assert.equal(id('161.35.41.9:53:53'), '161.35.41.9');
    assert.equal(id('[2001:db8::2]:443'), '2001:db8::2');
    assert.deepEqual(fail('223.166.0.0/15', 'ipv4'), { outcome: 'skip', reason: 'network, not a host' });
    assert.deepEqual(fail('999.1.1.1', 'ipv4'), { outcome: 'reject', reason: 'invalid IPv4 address' });
    assert.deepEqual(fail('999.1.1.1'), { outcome: 'reject', reason: 'invalid IPv4 address' });
    assert.deepEqual(fail('010.1.1.1', 'ip'), { outcome: 'reject', reason: 'invalid IP address' });
    assert.deepEqual(fail('2001:db8::1', 'ipv4'), { outcome: 'reject', reason: 'not an IPv4 address' });
  });
  it('URLs become unclassifiedArtifact kind url', () => {
    const c = canonicalize('hxxp://Evil.EXAMPLE.com:80/a/B?x=1');
    assert.ok(c.ok);
    assert.equal(c.artifact['@odata.type'], '#microsoft.graph.security.unclassifiedArtifact');
    assert.equal(c.artifact['kind'], 'url');
    assert.equal(c.artifact['value'], 'http://evil.example.com/a/B?x=1');
    const bare = canonicalize('JPIC.gov.sy/css/images/_cgi/');
    assert.ok(bare.ok);
    assert.equal(bare.artifact['value'], 'jpic.gov.sy/css/images/_cgi/');
    assert.deepEqual(fail('/um2NxySaF4L5mSYE/'), { outcome: 'skip', reason: 'URL path without host' });
  });
});

describe('STIX patterns', () => {
  it('single comparisons and OR chains fan out', () => {
    const r = parseStixPattern("[domain-name:value = 'a.example' OR ipv4-addr:value = '192.0.2.1'] OR [url:value = 'http://x.example/\\'q']");
    assert.equal(r.kind, 'values');
    assert.deepEqual(
      r.kind === 'values' && r.values.map((v) => [v.hint, v.value]),
      [
        ['hostname', 'a.example'],
        ['ipv4', '192.0.2.1'],
        ['url', "http://x.example/'q"],
      ],
    );
  });
  it('AND, FOLLOWEDBY, qualifiers, MATCHES and hashes are skipped with a reason', () => {
    assert.deepEqual(parseStixPattern("[x509-certificate:issuer = 'a' AND x509-certificate:serial_number = 'b']"), { kind: 'skip', reason: 'pattern with AND' });
    assert.deepEqual(parseStixPattern("[domain-name:value = 'a.b'] FOLLOWEDBY [domain-name:value = 'c.d']"), { kind: 'skip', reason: 'pattern with FOLLOWEDBY' });
    assert.deepEqual(parseStixPattern("[domain-name:value = 'a.b'] WITHIN 300 SECONDS"), { kind: 'skip', reason: 'pattern with a qualifier' });
    assert.deepEqual(parseStixPattern("[domain-name:value MATCHES '^a']"), { kind: 'skip', reason: 'pattern with MATCHES' });
    assert.deepEqual(parseStixPattern("[file:hashes.'SHA-256' = 'ab']"), { kind: 'skip', reason: 'hash pattern' });
    assert.deepEqual(parseStixPattern("[file:hashes.md5 = 'ab']"), { kind: 'skip', reason: 'hash pattern' });
  });
  it('malformed patterns are rejected', () => {
    for (const p of ["[domain-name:value = 'a.b'", "[domain-name:value = 'a.b]", 'domain-name:value = 1', '[domain-name:value]', '[]']) {
      assert.equal(parseStixPattern(p).kind, 'reject', p);
    }
  });
});

describe('CSV and dates', () => {
  it('parses RFC 4180 records', () => {
    assert.deepEqual(parseCsvRecord('a,"b,c","d ""e""",'), ['a', 'b,c', 'd "e"', '']);
  });
  it('readCsv: a record ends where its quoted fields close; blank lines skipped; an unterminated quote is one bounded error and the lines after it still read', async () => {
    const lines = async function* (texts: string[]) {
      for (let i = 0; i < texts.length; i++) yield { lineNo: i + 1, text: texts[i]! };
    };
    const all = async (texts: string[]) => {
      const out = [];
      for await (const r of readCsv(lines(texts))) out.push(r);
      return out;
    };
    assert.deepEqual(await all(['a,"b', 'c",d', '', 'e,f']), [
      { lineNo: 1, fields: ['a', 'b\nc', 'd'] },
      { lineNo: 4, fields: ['e', 'f'] },
    ]);
    // A quote inside an unquoted field is a character: two such lines are two records, not one joined record.
    assert.deepEqual(await all(['d,the 5" screen lure,x', 'e,another 7" lure,y', 'f,"a ""quoted"" word",z']), [
      { lineNo: 1, fields: ['d', 'the 5" screen lure', 'x'] },
      { lineNo: 2, fields: ['e', 'another 7" lure', 'y'] },
      { lineNo: 3, fields: ['f', 'a "quoted" word', 'z'] },
    ]);
    assert.deepEqual(await all(['x,"open', 'more']), [
      { lineNo: 1, fields: undefined, error: 'truncated: the input ends inside a quoted field' },
      { lineNo: 2, fields: ['more'] },
    ]);
    // A stray opening quote on line 2 of a 5,000-line file: one error at line 2 after MAX_RECORD_LINES lines, then
    // every line after it reads, from line 3.
    const texts = ['h1,h2', 'a,"oops', ...Array.from({ length: 4998 }, (_, i) => `v${i},w${i}`)];
    const got = await all(texts);
    assert.deepEqual(got[0], { lineNo: 1, fields: ['h1', 'h2'] });
    assert.deepEqual(got[1], { lineNo: 2, fields: undefined, error: `unterminated quoted field (still open after ${MAX_RECORD_LINES} lines)` });
    assert.deepEqual(got[2], { lineNo: 3, fields: ['v0', 'w0'] });
    assert.deepEqual(got[5000 - 1], { lineNo: 5000, fields: ['v4997', 'w4997'] });
    assert.equal(got.length, 5000);
  });
  it('M/D/YYYY → UTC midnight; invalid dates are refused', () => {
    assert.equal(parseCsvDate('12/7/2022'), Date.parse('2022-12-07T00:00:00Z'));
    assert.equal(parseCsvDate('19/20/2022'), undefined);
    assert.equal(parseCsvDate('2/30/2022'), undefined);
    assert.equal(parseCsvDate('2021-05-27'), Date.parse('2021-05-27T00:00:00Z'));
  });
  it('CSV times: minutes and seconds past 59, an hour past 23 or a 13 PM are refused, not rolled over; years below 100 stay', () => {
    assert.equal(parseCsvDate('12/7/2022 10:75'), undefined);
    assert.equal(parseCsvDate('12/7/2022 10:00:99'), undefined);
    assert.equal(parseCsvDate('12/7/2022 24:00'), undefined);
    assert.equal(parseCsvDate('12/7/2022 13:00 PM'), undefined);
    assert.equal(parseCsvDate('12/7/2022 0:30 AM'), undefined);
    assert.equal(parseCsvDate('12/7/2022 12:30 AM'), Date.parse('2022-12-07T00:30:00Z'));
    assert.equal(parseCsvDate('12/7/2022 1:02:03 PM'), Date.parse('2022-12-07T13:02:03Z'));
    assert.equal(parseCsvDate('2/29/2024'), Date.parse('2024-02-29T00:00:00Z'));
    assert.equal(parseCsvDate('2/29/2023'), undefined);
    // Date.UTC would read year 99 as 1999.
    assert.equal(parseCsvDate('1/1/0099'), Date.parse('0099-01-01T00:00:00Z'));
    assert.equal(parseCsvDate('1/1/0000'), undefined);
    assert.equal(parseCsvDate('2024-02-30'), undefined);
  });
  it('names profiles from IOC list file names', () => {
    assert.equal(titleFromFileName('/x/apt_kimsuky.txt'), 'kimsuky');
    assert.equal(titleFromFileName('apt_gamaredon-1.txt'), 'gamaredon');
    assert.equal(titleFromFileName('apt_12.txt'), 'apt12');
    assert.equal(slugOf('Storm-1061'), 'storm-1061');
    assert.equal(slugOf('HUC Packet Transmit Tool (HTRAN)'), 'huc-packet-transmit-tool-htran');
  });
});

describe('incremental JSON splitter', () => {
  const split = (text: string, chunkSize: number) => {
    const s = new JsonSplitter((p) => (p.length < 2 ? 'descend' : p[0] === 'objects' && p.length === 2 ? 'emit' : 'skip'));
    const bytes = Buffer.from(text);
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i += chunkSize) out.push(...s.push(bytes.subarray(i, i + chunkSize)).map((v) => v.bytes.toString()));
    out.push(...s.end().map((v) => v.bytes.toString()));
    return out;
  };
  const doc = '\uFEFF{"type":"bundle","x":{"objects":[1]},"objects":[{"a":"}]\\"","b":[1,{"c":2}]}, "str\\"ing" ,42,null,[],{}],"id":"z"}';
  it('yields each element, at every chunk size', () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      assert.deepEqual(split(doc, size), ['{"a":"}]\\"","b":[1,{"c":2}]}', '"str\\"ing"', '42', 'null', '[]', '{}'], `chunk ${size}`);
    }
  });
  it('reports truncation and structural errors with a byte offset', () => {
    assert.throws(() => split('{"objects":[{"a":1},{"b":', 4), (e) => e instanceof JsonStreamError && e.truncated);
    assert.throws(() => split('{"objects" [1]}', 4), (e) => e instanceof JsonStreamError && !e.truncated && e.offset === 11);
  });
});
