/** Paths deeper than set/key/navigation bind to a hop (resolved by the service) or to a scoped member. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../../src/model/model.js';
import { SERVICE_ROOT_PATH } from '../../../src/model/names.js';
import { bindResourcePath } from '../../../src/odata/path/bind-resource-path.js';
import { parseResourcePath } from '../../../src/odata/path/parse-resource-path.js';

const bind = (path: string) => {
  const parsed = parseResourcePath(`/v1.0/${SERVICE_ROOT_PATH}/${path}`, MODEL.container.rootPath);
  assert.equal(parsed.kind, 'resource');
  return bindResourcePath(MODEL, parsed.kind === 'resource' ? parsed.segments : []);
};

test('hosts/{id}/whois/history is a hop from the whois navigation with the rest to bind', () => {
  const r = bind('hosts/contoso.example/whois/history');
  assert.equal(r.kind, 'hop');
  if (r.kind !== 'hop') return;
  assert.equal(r.from.kind, 'navigation');
  // the parser cannot tell a name from a key-as-segment here; bindHopRest reads it as a name
  assert.deepEqual(r.rest, [{ kind: 'key', key: 'history', segment: true }]);
  assert.equal(r.contextPath, "security/threatIntelligence/hosts('contoso.example')/whois");
});

test('vulnerabilities/{id}/components/{id} is one component scoped by its vulnerability', () => {
  const r = bind('vulnerabilities/CVE-0000-0001/components/c1');
  assert.equal(r.kind, 'entity');
  if (r.kind !== 'entity') return;
  assert.equal(r.key, 'c1');
  assert.equal(r.parent?.key, 'CVE-0000-0001');
  assert.equal(r.parent?.navigation.name, 'components');
});

test('vulnerabilities/{id}/components is the collection contained in the vulnerability (no set of its own)', () => {
  const r = bind('vulnerabilities/CVE-0000-0001/components');
  assert.equal(r.kind, 'collection');
  if (r.kind !== 'collection') return;
  assert.equal(r.type.name, 'vulnerabilityComponent');
  assert.equal(r.parent?.key, 'CVE-0000-0001');
  assert.equal(r.set.name, 'components');
  assert.equal(r.set.writable, false);
  assert.equal(r.contextPath, "security/threatIntelligence/vulnerabilities('CVE-0000-0001')/components");
});
