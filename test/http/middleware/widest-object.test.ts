import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { widestObject } from '../../../src/http/middleware/widest-object.js';

describe('widestObject', () => {
  it('counts the members of each object at its own depth, ignoring colons, braces and escaped quotes in strings', () => {
    assert.deepEqual(widestObject('{"a":1,"b":{"c":"x:y","d":"{\\"e\\":1}","f":[{"g":1}]}}'), { members: 3, at: 11, root: false });
    assert.deepEqual(widestObject('{"a":1,"b":2,"c":{"d":1}}'), { members: 3, at: 0, root: true });
    assert.deepEqual(widestObject('[1,2,{"a":1}]'), { members: 1, at: 5, root: false });
    assert.deepEqual(widestObject('"just a string: {"'), { members: 0, at: 0, root: false });
  });

  it('a million members in one pass, in well under a second', () => {
    const text = `{${Array.from({ length: 1_000_000 }, (_, i) => `"@k${i}":1`).join(',')}}`;
    const started = performance.now();
    assert.deepEqual(widestObject(text), { members: 1_000_000, at: 0, root: true });
    assert.ok(performance.now() - started < 1000, `${Math.round(performance.now() - started)} ms`);
  });
});
