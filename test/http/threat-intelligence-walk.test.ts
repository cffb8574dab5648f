/**
 * Issue 13, done-when #1: a walk of every navigation of the CSDL's `threatIntelligence`, derived from the model
 * (every collection, each item by key, every navigation of each item type and its subtypes, the documented deeper
 * paths), on both versions, against a real `tigraph serve` child process on the demo data. Each request must answer
 * a Graph-shaped 200 (`@odata.context`, entities with a concrete `@odata.type` assignable to the declared type and
 * an `id`), and each navigation must be non-empty for at least one item of the demo data.
 *
 * Hosts are not listable (as in Graph): the host ids walked are those the other collections' host navigations
 * answer with.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MODEL, type EntityType, type NavigationProperty } from '../../src/model/model.js';
import { serve, stop, type ServeProcess } from '../support/cli-process.js';
import { VERSIONS } from '../support/test-server.js';

type Json = Record<string, any>;

let server: ServeProcess;
let token: string;
before(async () => {
  server = await serve(['--in-memory']);
  token = /token:\s+(\S+)/.exec(server.banner)![1]!;
});
after(async () => {
  await stop(server.child);
});

const TI = `/${MODEL.servicePath}`;
/** The CSDL's collections of threatIntelligence: every set but tigraph's own (importJobs). */
const SETS = MODEL.entitySets.filter((s) => !s.entityType.extension);

async function get(version: string, path: string): Promise<{ status: number; body: Json; type: string }> {
  const r = await fetch(`${server.url}/${version}${TI}/${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await r.text();
  return { status: r.status, body: text.startsWith('{') ? (JSON.parse(text) as Json) : { text }, type: r.headers.get('content-type') ?? '' };
}

const key = (id: string): string => encodeURIComponent(id);

/** An entity as Graph writes it: a concrete `@odata.type` of (a subtype of) `declared`, and an id. */
function assertEntity(e: Json, declared: EntityType, where: string): void {
  const annotation = e['@odata.type'];
  assert.equal(typeof annotation, 'string', `${where}: @odata.type`);
  const type = MODEL.entityType((annotation as string).slice(1));
  assert.ok(annotation.startsWith('#') && !type.abstract && MODEL.isAssignable(type, declared), `${where}: ${annotation} is a concrete ${declared.name}`);
  assert.equal(typeof e['id'], 'string', `${where}: id`);
}

function assertContext(r: { status: number; body: Json; type: string }, where: string): void {
  assert.equal(r.status, 200, `${where}: ${JSON.stringify(r.body).slice(0, 300)}`);
  assert.match(r.type, /^application\/json/, `${where}: content type`);
  assert.match(String(r.body['@odata.context']), /\/\$metadata#/, `${where}: @odata.context`);
}

/** A collection response with at least one entity; returns its ids. */
function assertNonEmptyCollection(r: { status: number; body: Json; type: string }, declared: EntityType, where: string): string[] {
  assertContext(r, where);
  const value = r.body['value'] as Json[];
  assert.ok(Array.isArray(value) && value.length > 0, `${where}: a non-empty value`);
  value.forEach((e, i) => assertEntity(e, declared, `${where} value[${i}]`));
  return value.map((e) => e['id'] as string);
}

/** Every navigation of a type and of its subtypes (a host's navigations serve hostnames and ipAddresses alike). */
const navigationsOf = (type: EntityType): NavigationProperty[] => [...new Map(MODEL.subtypesOf(type).flatMap((t) => t.navigationProperties).map((n) => [n.name, n])).values()];

for (const version of VERSIONS) {
  describe(`${version}: every threatIntelligence navigation answers on the demo data`, () => {
    const ids = new Map<string, string[]>();
    const hostIds = new Set<string>();
    const hostsSet = MODEL.entitySets.find((s) => s.listable === false && !s.entityType.extension);

    it('the walk covers the 17 collections of the CSDL', () => {
      assert.equal(SETS.length, 17);
      assert.ok(hostsSet, 'one collection (hosts) is not listable');
    });

    for (const set of SETS.filter((s) => s.listable)) {
      it(`${set.name}: list, $count and get by key`, async () => {
        const list = await get(version, set.name);
        const found = assertNonEmptyCollection(list, set.entityType, set.name);
        ids.set(set.name, found);
        const count = await get(version, `${set.name}/$count`);
        assert.equal(count.status, 200, `${set.name}/$count`);
        assert.ok(Number(count.body['text']) >= found.length, `${set.name}/$count ≥ the first page`);
        const one = await get(version, `${set.name}/${key(found[0]!)}`);
        assertContext(one, `${set.name}/{id}`);
        assertEntity(one.body, set.entityType, `${set.name}/{id}`);
        assert.equal(one.body['id'], found[0]);
      });
    }

    for (const set of [...SETS.filter((s) => s.listable), ...(hostsSet ? [hostsSet] : [])]) {
      for (const nav of navigationsOf(set.entityType)) {
        it(`${set.name}/{id}/${nav.name}`, async () => {
          const candidates = set === hostsSet ? [...hostIds] : (ids.get(set.name) ?? []);
          assert.ok(candidates.length > 0, `${set.name}: ids to walk`);
          let hit: string | undefined;
          for (const id of candidates) {
            const path = `${set.name}/${key(id)}/${nav.name}`;
            const r = await get(version, path);
            if (nav.collection) {
              assertContext(r, path);
              const value = r.body['value'] as Json[];
              assert.ok(Array.isArray(value), `${path}: value`);
              value.forEach((e, i) => assertEntity(e, nav.target, `${path} value[${i}]`));
              if (value.length > 0) {
                hit ??= id;
                if (MODEL.isAssignable(nav.target, hostsSet!.entityType)) for (const e of value) hostIds.add(e['id']);
              }
            } else {
              // An absent single-valued navigation (a host without whois) is a 404; anything else must be an entity.
              if (r.status === 404) continue;
              assertContext(r, path);
              assertEntity(r.body, nav.target, path);
              hit ??= id;
              if (MODEL.isAssignable(nav.target, hostsSet!.entityType)) hostIds.add(r.body['id']);
            }
          }
          assert.ok(hit !== undefined, `${set.name}/{id}/${nav.name} is non-empty for at least one of ${candidates.length} items`);
        });
      }
    }

    it('the documented deeper paths: hosts/{id}/whois/history and vulnerabilities/{id}/components/{id}', async () => {
      let history = 0;
      for (const id of hostIds) {
        const r = await get(version, `hosts/${key(id)}/whois/history`);
        if (r.status === 404) continue; // no whois
        assertContext(r, `hosts/${id}/whois/history`);
        const value = r.body['value'] as Json[];
        value.forEach((e, i) => assertEntity(e, MODEL.entityType('microsoft.graph.security.whoisHistoryRecord'), `hosts/${id}/whois/history value[${i}]`));
        history += value.length;
      }
      assert.ok(history > 0, 'some host has a whois history');
      const vulnerabilities = ids.get('vulnerabilities') ?? [];
      assert.ok(vulnerabilities.length > 0);
      for (const v of vulnerabilities) {
        const type = MODEL.entityType('microsoft.graph.security.vulnerabilityComponent');
        const [first] = assertNonEmptyCollection(await get(version, `vulnerabilities/${key(v)}/components`), type, `vulnerabilities/${v}/components`);
        const one = await get(version, `vulnerabilities/${key(v)}/components/${key(first!)}`);
        assertContext(one, `vulnerabilities/${v}/components/{id}`);
        assertEntity(one.body, type, `vulnerabilities/${v}/components/{id}`);
        assert.equal(one.body['id'], first);
      }
    });
  });
}
