/**
 * The bulk path's shortcuts in canonicalize.ts answer as the plain definitions do: refang skips its five
 * rewrites only for values they would not change, and canonicalHostname's one-pattern check of the labels equals
 * "split on dots; at least two labels of [a-z0-9_-]{1,63}; the last not all digits".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { domainToASCII } from 'node:url';
import { canonicalHostname, refang } from '../../src/import/canonicalize.js';

/** refang by its definition: every rewrite, always. */
const refangByDefinition = (value: string): string =>
  value
    .trim()
    .replace(/^hxxp(s?)(?=:|\[:\])/i, 'http$1')
    .replace(/^fxp(?=:|\[:\])/i, 'ftp')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[\/\]/g, '/');

/** canonicalHostname by its definition (label by label). */
function hostnameByDefinition(raw: string): string | undefined {
  let h = refangByDefinition(raw).toLowerCase();
  while (h.endsWith('.')) h = h.slice(0, -1);
  if (h.length === 0 || /[\s/\\@]/.test(h)) return undefined;
  const ascii = /^[\x21-\x7e]*$/.test(h) && !h.split('.').some((l) => l.startsWith('xn--')) ? h : domainToASCII(h);
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => /^[a-z0-9_-]{1,63}$/.test(l))) return undefined;
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return undefined;
  return ascii;
}

// Values built from the pieces the rules look at: dots, digits, brackets, defanged schemes, punycode, spaces.
const piece = fc.constantFrom('a', 'Z', '0', '9', '-', '_', '.', '..', 'xn--', 'XN--bcher-kva', 'ü', '[.]', '(.)', '{.}', '[dot]', '(DOT)', '[:]', '[/]', 'hxxp', 'hXXps', 'fxp', ':', '//', ' ', '\t', '@', '/', 'x'.repeat(63), 'x'.repeat(64));
const value = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));

describe('canonicalize fast paths', () => {
  it('refang equals its definition (five rewrites after a trim) on any value', () => {
    fc.assert(fc.property(fc.oneof(value, fc.string()), (v) => assert.equal(refang(v), refangByDefinition(v), JSON.stringify(v))), { numRuns: 3000 });
  });

  it('canonicalHostname equals the label-by-label definition on any value', () => {
    fc.assert(fc.property(fc.oneof(value, fc.string()), (v) => assert.equal(canonicalHostname(v), hostnameByDefinition(v), JSON.stringify(v))), { numRuns: 3000 });
  });

  it('examples: defanged, numeric top-level label, empty label, 64-character label, punycode', () => {
    assert.deepEqual(
      ['evil[.]example', ' Ex.COM ', 'a.b.123', 'a..b', `${'x'.repeat(64)}.com`, 'XN--BCHER-KVA.de', 'a.xn--b', 'host'].map((v) => canonicalHostname(v) ?? null),
      ['evil.example', 'ex.com', null, null, null, 'xn--bcher-kva.de', null, null],
    );
  });
});
