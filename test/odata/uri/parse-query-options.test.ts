import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseQueryString } from '../../../src/odata/uri/parse-query-options.js';
import { assertBadRequest } from './assert-odata-error.js';

describe('parseQueryString', () => {
  it('normalizes names and decodes values', () => {
    const o = parseQueryString("%24Filter=title%20eq+'a%2Bb'&TOP=5&select=id,title&$skipToken=X&custom=1");
    assert.deepEqual([...o.entries()], [
      ['filter', { name: '$Filter', value: "title eq 'a+b'" }],
      ['top', { name: 'TOP', value: '5' }],
      ['select', { name: 'select', value: 'id,title' }],
      ['skiptoken', { name: '$skipToken', value: 'X' }],
    ]);
  });
  it('tolerates a leading ?', () => assert.equal(parseQueryString('?$top=1').get('top')?.value, '1'));
  it('keeps "=" inside values', () => assert.equal(parseQueryString('$expand=artifact($select=id)').get('expand')?.value, 'artifact($select=id)'));
  it('an option without "=" has an empty value', () => assert.equal(parseQueryString('$count').get('count')?.value, ''));
  it('unknown $ options are 400, listing the supported ones', () => void assertBadRequest(() => parseQueryString('$compute=x'), "Query option '$compute' is not supported. Supported options: $select"));
  it('a space before "=" makes an unknown option', () => void assertBadRequest(() => parseQueryString('$filter =true'), "Query option '$filter ' is not supported"));
  it('duplicates are 400', () => void assertBadRequest(() => parseQueryString('$select=id&SELECT=id'), "Query option '$select' was specified more than once."));
  it('bad percent-encoding is 400', () => void assertBadRequest(() => parseQueryString('$filter=%zz'), 'Malformed request URL'));
});
