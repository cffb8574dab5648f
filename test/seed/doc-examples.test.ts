import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  DOC_ACTINIUM_INDICATOR_ID,
  DOC_ACTINIUM_PROFILE_ID,
  DOC_AQUA_BLIZZARD_PROFILE_ID,
  DOC_CONTOSO_INDICATOR_ID,
  DOC_EXAMPLES,
  DOC_INDICATOR_ID,
  buildDocExamples,
} from '../../src/seed/doc-examples.js';
import { indicatorId } from '../../src/model/ids.js';

type Json = Record<string, unknown>;

// dist/test/seed/ → repository root → ../shared/spec (laid beside the repository; tests skip without it).
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SPEC = join(repoRoot, '..', 'shared', 'spec', 'graph-ti-api.md');

const profile = (id: string): Json => {
  const p = DOC_EXAMPLES.profiles.find((x) => x['id'] === id);
  assert.ok(p, `profile ${id}`);
  return p;
};
const withoutIndicators = (p: Json): Json => {
  const { indicators: _ignored, ...rest } = p;
  return rest;
};
const indicatorsOf = (p: Json): Json[] => p['indicators'] as Json[];

/** Drops `@odata.type` from nested (complex) objects, keeping the top-level and artifact (entity) annotations. */
function stripComplexAnnotations(v: unknown, depth = 0, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => stripComplexAnnotations(x, depth + 1, key));
  if (v === null || typeof v !== 'object') return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '@odata.type' && depth > 0 && key !== 'artifact') continue;
    out[k] = stripComplexAnnotations(x, depth + 1, k);
  }
  return out;
}

/** The JSON bodies of the ```json blocks of the spec section starting at `heading`. */
function specBodies(text: string, heading: string): unknown[] {
  const start = text.indexOf(heading);
  assert.ok(start >= 0, heading);
  const end = text.indexOf('\n### ', start + heading.length);
  const section = text.slice(start, end < 0 ? undefined : end);
  const bodies: unknown[] = [];
  for (const m of section.matchAll(/```json\n([\s\S]*?)```/g)) {
    const block = m[1] as string;
    bodies.push(JSON.parse(block.slice(block.indexOf('{'))));
  }
  return bodies;
}

describe('seed: doc examples', () => {
  it('has the two doc profiles and the documented ids', () => {
    assert.deepEqual(
      DOC_EXAMPLES.profiles.map((p) => p['id']),
      [DOC_ACTINIUM_PROFILE_ID, DOC_AQUA_BLIZZARD_PROFILE_ID],
    );
    assert.equal(DOC_AQUA_BLIZZARD_PROFILE_ID, '9b01de37bf66d1760954a16dc2b52fed2a7bd4e093dfc8a4905e108e4843da80');
    assert.equal(DOC_INDICATOR_ID, 'ff3eecd2-a2be-27c2-8dc0-40d1c0eada55');
  });

  it('actinium equals the beta E2 example (without complex-value annotations)', () => {
    assert.deepEqual(withoutIndicators(profile('actinium')), {
      '@odata.type': '#microsoft.graph.security.intelligenceProfile',
      id: 'actinium',
      kind: 'actor',
      title: 'ACTINIUM',
      firstActiveDateTime: '2022-01-31T16:00:00.000Z',
      aliases: ['Primitive Bear', 'TEMP.Armageddon', 'Shuckworm', 'Gamaredon'],
      targets: ['Government', 'Humanitarian'],
      countriesOrRegionsOfOrigin: [{ label: 'Country/Region', code: 'Country/Region code' }],
      summary: {
        content:
          'ACTINIUM is an activity group with a long history of targeting government and private sector organizations that have a presence in or an association with Ukraine',
        format: 'text',
      },
      description: {
        content:
          '### Summary\n\nACTINIUM is an activity group with a long history of targeting government and private sector organizations that have a presence in or an association with Ukraine. On February 4, 2022, Microsoft released a [blog]...',
        format: 'markdown',
      },
      tradecraft: {
        content:
          '#### Tactics, Techniques, and Procedures\n\n[ACTINIUM](https://attack.mitre.org/groups/G0047/) has exhibited use of the following attack techniques...',
        format: 'markdown',
      },
    });
  });

  it('the v1.0 profile lists exactly the E3 indicator ff3eecd2…', () => {
    assert.deepEqual(indicatorsOf(profile(DOC_AQUA_BLIZZARD_PROFILE_ID)), [
      {
        '@odata.type': '#microsoft.graph.security.intelligenceProfileIndicator',
        id: 'ff3eecd2-a2be-27c2-8dc0-40d1c0eada55',
        source: 'microsoft',
        firstSeenDateTime: '2022-05-02T23:09:20.000Z',
        lastSeenDateTime: null,
        artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'fake-malicious.site' },
      },
    ]);
  });

  it('actinium has its own copy of the fake-malicious.site indicator and the contoso.com indicator', () => {
    const [copy, contoso] = indicatorsOf(profile('actinium'));
    assert.equal(DOC_ACTINIUM_INDICATOR_ID, indicatorId('actinium', 'fake-malicious.site'));
    assert.notEqual(DOC_ACTINIUM_INDICATOR_ID, DOC_INDICATOR_ID);
    assert.match(DOC_ACTINIUM_INDICATOR_ID, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const original = indicatorsOf(profile(DOC_AQUA_BLIZZARD_PROFILE_ID))[0] as Json;
    assert.deepEqual(copy, { ...original, id: DOC_ACTINIUM_INDICATOR_ID });
    assert.ok(contoso);
    assert.equal(contoso['id'], DOC_CONTOSO_INDICATOR_ID);
    assert.deepEqual(contoso['artifact'], {
      '@odata.type': '#microsoft.graph.security.hostname',
      id: 'contoso.com',
      firstSeenDateTime: '2009-09-02T03:29:10.000Z',
      lastSeenDateTime: '2009-09-02T03:29:10.000Z',
      registrar: 'MarkMonitor Inc.',
      registrant: 'Microsoft Corporation',
    });
  });

  it('is frozen, and buildDocExamples returns equal fresh copies', () => {
    assert.ok(Object.isFrozen(DOC_EXAMPLES.profiles[0]));
    const fresh = buildDocExamples();
    assert.deepEqual(fresh, DOC_EXAMPLES);
    assert.ok(!Object.isFrozen(fresh.profiles[0]));
  });

  describe('against the spec text (shared/spec/graph-ti-api.md)', () => {
    const skip = existsSync(SPEC) ? false : `spec not found at ${SPEC}`;
    const text = skip ? '' : readFileSync(SPEC, 'utf8');

    it('E1/E2 profile bodies equal the seed profiles, complex-value annotations aside', { skip }, () => {
      const [e2Beta, e2V1] = specBodies(text, '### 3.2 E2');
      assert.deepEqual(withoutIndicators(profile('actinium')), stripComplexAnnotations(e2Beta));
      assert.deepEqual(withoutIndicators(profile(DOC_AQUA_BLIZZARD_PROFILE_ID)), stripComplexAnnotations(e2V1));
      const [e1Beta, e1V1] = specBodies(text, '### 3.1 E1') as { value: unknown[] }[];
      assert.equal(e1Beta?.value.length, 1);
      assert.equal(e1V1?.value.length, 1);
      assert.deepEqual(stripComplexAnnotations(e1Beta?.value[0]), stripComplexAnnotations(e2Beta));
      assert.deepEqual(stripComplexAnnotations(e1V1?.value[0]), stripComplexAnnotations(e2V1));
    });

    it('the v1.0 E3 list, and the E4 get (v1.0), equal the v1.0 profile indicators', { skip }, () => {
      const e3 = specBodies(text, '### 3.3 E3') as { value: unknown[] }[];
      assert.deepEqual(indicatorsOf(profile(DOC_AQUA_BLIZZARD_PROFILE_ID)), e3[1]?.value);
      // beta list: same record under actinium, except for the id (see doc-examples.ts)
      assert.deepEqual(indicatorsOf(profile('actinium'))[0], { ...(e3[0]?.value[0] as Json), id: DOC_ACTINIUM_INDICATOR_ID });
      const e4 = specBodies(text, '### 3.4 E4') as Json[];
      assert.deepEqual(indicatorsOf(profile(DOC_AQUA_BLIZZARD_PROFILE_ID))[0], e4[2]);
      assert.deepEqual(indicatorsOf(profile(DOC_AQUA_BLIZZARD_PROFILE_ID))[0], e4[0]?.['value']);
    });

    it('the E5 host body equals the stored contoso.com artifact', { skip }, () => {
      const [e5V1, e5Beta] = specBodies(text, '### 3.5 E5') as Json[];
      const artifact = (indicatorsOf(profile('actinium'))[1] as Json)['artifact'];
      assert.deepEqual(artifact, e5V1);
      assert.deepEqual(artifact, e5Beta?.['value']);
    });
  });
});
