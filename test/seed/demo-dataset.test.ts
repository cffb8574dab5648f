import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_DATASET, LARGE_PROFILE_ID, SYNTHETIC_LABEL, buildDemoDataset } from '../../src/seed/demo-dataset.js';
import { slugId as slug } from '../../src/model/ids.js';
import { DOC_EXAMPLES } from '../../src/seed/doc-examples.js';
import { indicatorId, unclassifiedArtifactId } from '../../src/model/ids.js';
import { SECURITY_NAMESPACE, TYPES } from '../../src/model/security-ti.js';

type Json = Record<string, unknown>;

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MAPPING = join(repoRoot, '..', 'shared', 'datasets', 'mstic', 'MicrosoftMapping.json');

const profiles = DEMO_DATASET.profiles as readonly Json[];
const docIds = new Set(DOC_EXAMPLES.profiles.map((p) => p['id'] as string));
const synthetic = profiles.filter((p) => !docIds.has(p['id'] as string));
const indicatorsOf = (p: Json): Json[] => p['indicators'] as Json[];
const allIndicators = profiles.flatMap((p) => indicatorsOf(p).map((i) => ({ profile: p, indicator: i })));

const DOC_HOSTS = new Set(['fake-malicious.site', 'contoso.com']);
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ARTIFACT_TYPES = new Set([
  '#microsoft.graph.security.hostname',
  '#microsoft.graph.security.ipAddress',
  '#microsoft.graph.security.unclassifiedArtifact',
]);

const enumMembers = (name: string): string[] => {
  const t = TYPES.find((x) => x.kind === 'EnumType' && x.name === name);
  assert.ok(t && t.kind === 'EnumType', name);
  return t.members.map((m) => m.name).filter((m) => m !== 'unknownFutureValue');
};
/** Properties declared Nullable="false" on the given type (own properties only). */
const nonNullable = (name: string): string[] => {
  const t = TYPES.find((x) => x.kind === 'EntityType' && x.name === name);
  assert.ok(t && t.kind === 'EntityType', name);
  const props = t.properties.filter((p) => p.nullable === false).map((p) => p.name);
  const navs = t.navigationProperties.filter((n) => n.nullable === false).map((n) => n.name);
  return [...props, ...navs];
};

/** IPv4 documentation blocks (RFC 5737) and the IPv6 documentation prefix 2001:db8::/32 (RFC 3849). */
function isReservedIp(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) return /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/.test(ip) && Number(ip.split('.')[3]) <= 255;
  if (v === 6) return /^2001:0?db8(:|$)/i.test(ip);
  return false;
}
const isReservedHost = (h: string): boolean => h.endsWith('.example') || DOC_HOSTS.has(h);

const ms = (s: unknown): number => {
  assert.equal(typeof s, 'string');
  assert.match(s as string, ISO_Z);
  const t = Date.parse(s as string);
  assert.ok(!Number.isNaN(t), String(s));
  return t;
};

describe('seed: demo dataset', () => {
  it('is deterministic: two builds are deep-equal, and equal to DEMO_DATASET', () => {
    const a = buildDemoDataset();
    const b = buildDemoDataset();
    assert.deepEqual(a, b);
    assert.deepEqual(a, DEMO_DATASET);
    assert.notEqual(a.profiles[0], b.profiles[0]);
    assert.ok(Object.isFrozen(DEMO_DATASET.profiles[DEMO_DATASET.profiles.length - 1]));
  });

  it('is plain JSON (round-trips unchanged)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(DEMO_DATASET)), DEMO_DATASET);
  });

  it('starts with the doc-example profiles, unchanged', () => {
    assert.deepEqual(profiles.slice(0, DOC_EXAMPLES.profiles.length), DOC_EXAMPLES.profiles);
  });

  it('has ~8 real actors and tools, 12–40 indicators each, and one profile with more than 100', () => {
    assert.equal(synthetic.length, 8);
    assert.deepEqual(new Set(synthetic.map((p) => p['kind'])), new Set(['actor', 'tool']));
    for (const p of synthetic) {
      const n = indicatorsOf(p).length;
      if (p['id'] === LARGE_PROFILE_ID) assert.equal(n, 150);
      else assert.ok(n >= 12 && n <= 40, `${p['id']}: ${n}`);
    }
    assert.ok(profiles.some((p) => indicatorsOf(p).length > 100));
  });

  it('has unique profile ids, slugs of the title for synthetic profiles', () => {
    const ids = profiles.map((p) => p['id']);
    assert.equal(new Set(ids).size, ids.length);
    for (const p of synthetic) {
      assert.equal(p['id'], slug(p['title'] as string));
      assert.match(p['id'] as string, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    assert.equal(slug('Midnight Blizzard'), 'midnight-blizzard');
  });

  it('has unique, GUID-shaped indicator ids derived from profile and artifact', () => {
    const ids = allIndicators.map(({ indicator }) => indicator['id']);
    assert.equal(new Set(ids).size, ids.length);
    for (const { profile, indicator } of allIndicators) {
      assert.match(indicator['id'] as string, GUID);
      if (!docIds.has(profile['id'] as string)) {
        assert.equal(indicator['id'], indicatorId(profile['id'] as string, (indicator['artifact'] as Json)['id'] as string));
      }
    }
  });

  it('gives every profile its non-nullable properties, with valid enum values', () => {
    const required = nonNullable('intelligenceProfile');
    assert.deepEqual(new Set(required), new Set(['description', 'firstActiveDateTime', 'kind', 'summary', 'title']));
    const kinds = enumMembers('intelligenceProfileKind');
    const formats = enumMembers('contentFormat');
    for (const p of profiles) {
      assert.equal(p['@odata.type'], `#${SECURITY_NAMESPACE}.intelligenceProfile`);
      assert.equal(typeof p['id'], 'string');
      for (const name of required) assert.ok(p[name] !== undefined && p[name] !== null, `${p['id']}.${name}`);
      assert.equal(typeof p['title'], 'string');
      assert.ok(kinds.includes(p['kind'] as string));
      ms(p['firstActiveDateTime']);
      for (const f of ['summary', 'description', 'tradecraft']) {
        const c = p[f] as Json;
        assert.equal(typeof c['content'], 'string', `${p['id']}.${f}`);
        assert.ok(formats.includes(c['format'] as string), `${p['id']}.${f}.format`);
      }
      for (const f of ['aliases', 'targets']) assert.ok((p[f] as unknown[]).every((x) => typeof x === 'string'));
      for (const o of p['countriesOrRegionsOfOrigin'] as Json[]) {
        assert.equal(typeof o['label'], 'string');
        assert.equal(typeof o['code'], 'string');
        if (!docIds.has(p['id'] as string)) assert.match(o['code'] as string, /^[A-Z]{2}$/);
      }
      assert.ok(Array.isArray(p['indicators']));
    }
  });

  it('labels every synthetic profile as a demo record', () => {
    for (const p of synthetic) {
      assert.match((p['summary'] as Json)['content'] as string, /^Demo record\./);
      assert.equal((p['summary'] as Json)['format'], 'text');
      assert.equal((p['description'] as Json)['format'], 'markdown');
      assert.match((p['description'] as Json)['content'] as string, /synthetic/);
    }
  });

  it('gives every indicator its non-nullable properties, with lastSeen ≥ firstSeen', () => {
    const required = nonNullable('indicator').concat(nonNullable('intelligenceProfileIndicator'));
    assert.deepEqual(new Set(required), new Set(['source', 'artifact', 'firstSeenDateTime']));
    const sources = enumMembers('indicatorSource');
    let nullLast = 0;
    for (const { profile, indicator } of allIndicators) {
      assert.equal(indicator['@odata.type'], `#${SECURITY_NAMESPACE}.intelligenceProfileIndicator`);
      for (const name of required) assert.ok(indicator[name] !== undefined && indicator[name] !== null, name);
      assert.ok(sources.includes(indicator['source'] as string));
      const first = ms(indicator['firstSeenDateTime']);
      assert.ok('lastSeenDateTime' in indicator);
      if (indicator['lastSeenDateTime'] === null) nullLast++;
      else assert.ok(ms(indicator['lastSeenDateTime']) >= first);
      if (!docIds.has(profile['id'] as string)) {
        assert.ok(first >= Date.parse('2021-01-01T00:00:00Z') && first < Date.parse('2026-01-01T00:00:00Z'));
        assert.ok(first >= Date.parse(profile['firstActiveDateTime'] as string));
        if (indicator['lastSeenDateTime'] !== null) assert.ok(ms(indicator['lastSeenDateTime']) < Date.parse('2026-01-01T00:00:00Z'));
      }
    }
    assert.ok(nullLast > 0);
    const used = new Set(allIndicators.map(({ indicator }) => indicator['source']));
    assert.deepEqual(used, new Set(sources));
  });

  it('keeps every artifact within reserved example space, typed and complete', () => {
    const byId = new Map<string, Json>();
    const perProfileTypes = new Map<string, Set<string>>();
    for (const { profile, indicator } of allIndicators) {
      const a = indicator['artifact'] as Json;
      const type = a['@odata.type'] as string;
      const id = a['id'] as string;
      assert.ok(ARTIFACT_TYPES.has(type), type);
      assert.equal(typeof id, 'string');
      const seen = byId.get(id);
      if (seen) assert.deepEqual(a, seen, `artifact ${id} differs between its indicators`);
      byId.set(id, a);
      const isSynthetic = !docIds.has(profile['id'] as string);
      if (isSynthetic) {
        const key = profile['id'] as string;
        perProfileTypes.set(key, (perProfileTypes.get(key) ?? new Set()).add(type + (type.endsWith('ipAddress') ? isIP(id) : '')));
      }
      if (type.endsWith('.hostname')) {
        assert.ok(isReservedHost(id), id);
        assert.equal(isIP(id), 0);
        if (isSynthetic) {
          assert.match(id, /^[a-z0-9-]+\.[a-z0-9-]+\.example$/);
          assert.equal(a['registrant'], SYNTHETIC_LABEL);
          assert.equal(a['firstSeenDateTime'], indicator['firstSeenDateTime']);
        }
      } else if (type.endsWith('.ipAddress')) {
        assert.ok(isReservedIp(id), id);
        const as = a['autonomousSystem'] as Json;
        for (const f of ['name', 'number', 'organization', 'value']) assert.ok(as[f] !== undefined && as[f] !== null, f);
        assert.ok((as['number'] as number) >= 64496 && (as['number'] as number) <= 64511);
        assert.equal(as['value'], `AS${as['number']}`);
        assert.equal(a['hostingProvider'], SYNTHETIC_LABEL);
        const netblock = a['netblock'] as string;
        assert.ok(isReservedIp(netblock.split('/')[0] as string), netblock);
      } else {
        assert.equal(a['kind'], 'url');
        const url = new URL(a['value'] as string);
        assert.equal(url.protocol, 'https:');
        assert.ok(url.hostname.endsWith('.example'), url.hostname);
        assert.equal(id, unclassifiedArtifactId(a['value'] as string));
        assert.match(id, /^url-[0-9a-f]{16}$/);
      }
    }
    for (const [id, types] of perProfileTypes) assert.equal(types.size, 4, `${id}: ${[...types].join(', ')}`);
  });

  it('takes actor titles, aliases and origins from MicrosoftMapping.json', { skip: existsSync(MAPPING) ? false : `not found: ${MAPPING}` }, () => {
    const rows = JSON.parse(readFileSync(MAPPING, 'utf8')) as Record<string, string>[];
    const byName = new Map(rows.map((r) => [r['Threat actor name'], r]));
    for (const p of profiles.filter((x) => x['kind'] === 'actor' && !docIds.has(x['id'] as string))) {
      const row = byName.get(p['title'] as string);
      assert.ok(row, `${p['title']} in mapping`);
      const aliases = (row['Other names'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      assert.deepEqual(p['aliases'], aliases);
      const origins = (p['countriesOrRegionsOfOrigin'] as Json[]).map((o) => o['label']);
      assert.deepEqual(origins, [row['Origin/Threat']]);
    }
  });
});
