import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpand, parseOrderBy, parseSelect } from '../../../src/odata/uri/parse-select-expand.js';
import { assertBadRequest } from './assert-odata-error.js';

const O = { maxLiteralLength: 100 };
const paths = (text: string) => parseSelect(text, O).map((s) => (s.kind === 'SelectAll' ? '*' : s.path.segments.map((x) => x.name).join('/')));

describe('parseSelect / parseOrderBy / parseExpand', () => {
  it('select lists', () => {
    assert.deepEqual(paths('id,source, artifact'), ['id', 'source', 'artifact']);
    assert.deepEqual(paths('*'), ['*']);
    assert.deepEqual(paths('Address/Street'), ['Address/Street']);
  });
  it('orderby items', () => {
    assert.deepEqual(
      parseOrderBy('Name\tasc,Rating,ReleaseDate DESC', O).map((i) => [i.path.segments.map((s) => s.name).join('/'), i.direction]),
      [['Name', 'asc'], ['Rating', 'asc'], ['ReleaseDate', 'desc']],
    );
  });
  it('expand items with nested options and positions', () => {
    const [a, b] = parseExpand("artifact($select=id;$filter=x eq 'a,b;c'),*", O);
    assert.equal(a!.path !== '*' && a!.path.segments[0]!.name, 'artifact');
    assert.deepEqual(a!.options, [
      { name: '$select', value: 'id', position: 9, valuePosition: 17 },
      { name: '$filter', value: "x eq 'a,b;c'", position: 20, valuePosition: 28 },
    ]);
    assert.equal(b!.path, '*');
  });
  it('errors', () => {
    assertBadRequest(() => parseSelect('id,', O), "Invalid $select clause: expected a property name but found end of input at position 3.");
    assertBadRequest(() => parseSelect('a.b', O), "qualified segment 'a.b' is not supported at position 0");
    assertBadRequest(() => parseExpand('artifact)', O), "Invalid $expand clause: found ')' without a matching '(' at position 8.");
    assertBadRequest(() => parseExpand('artifact()', O), "expected a nested query option but found ')' at position 9");
    assertBadRequest(() => parseExpand('artifact($select)', O), "expected '=' in the nested query option '$select' at position 9");
    assertBadRequest(() => parseExpand('artifact($select=id)x', O), "unexpected text after ')' at position 20");
    assertBadRequest(() => parseExpand('Customer/$ref', O), "'$ref' is not supported here at position 9");
  });
});
