/**
 * readEntity: navigations inside complex values (whoisNameserver.host, hostPortComponent.component) are read as
 * references and written back as `{"@odata.type","id"}`; a deep-inserted child with children of its own is linked
 * to its parent (issue 13's demo seed needs both).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL } from '../../../src/model/model.js';
import { readEntity } from '../../../src/odata/deserialize/read-entity.js';
import { writeEntity } from '../../../src/odata/serialize/write-entity.js';
import { createEnumSpelling } from '../../../src/odata/serialize/enum-spelling.js';

const whois = MODEL.entityType('microsoft.graph.security.whoisRecord');
const vulnerability = MODEL.entityType('microsoft.graph.security.vulnerability');
const host = { '@odata.type': '#microsoft.graph.security.hostname', id: 'example.example' };

describe('readEntity', () => {
  it('reads a navigation inside a complex value as a typed reference, and writes it back as one', () => {
    const { record } = readEntity(MODEL, whois, { id: 'w1', host, nameservers: [{ host: { '@odata.type': '#microsoft.graph.security.hostname', id: 'ns1.example' } }, { host: { id: 'ns2.example' } }] }, { partial: false });
    assert.deepEqual(record.values['nameservers'], [
      { firstSeenDateTime: null, lastSeenDateTime: null, host: { type: 'microsoft.graph.security.hostname', id: 'ns1.example' } },
      { firstSeenDateTime: null, lastSeenDateTime: null, host: { type: null, id: 'ns2.example' } },
    ]);
    const json = writeEntity(record, undefined, [], { enums: createEnumSpelling('csdl'), includeUnknownEnumMembers: false });
    assert.deepEqual(json['nameservers'], [
      { firstSeenDateTime: null, lastSeenDateTime: null, host: { '@odata.type': '#microsoft.graph.security.hostname', id: 'ns1.example' } },
      { firstSeenDateTime: null, lastSeenDateTime: null, host: { id: 'ns2.example' } },
    ]);
  });

  it('rejects a complex-value reference without an id, of a type that is not the target, or null where required', () => {
    assert.throws(() => readEntity(MODEL, whois, { id: 'w1', host, nameservers: [{ host: {} }] }, { partial: false }), /nameservers\/0\/host\/id.*the id is required/);
    assert.throws(() => readEntity(MODEL, whois, { id: 'w1', host, nameservers: [{ host: { '@odata.type': '#microsoft.graph.security.article', id: 'a' } }] }, { partial: false }), /article/);
    assert.throws(() => readEntity(MODEL, whois, { id: 'w1', host, nameservers: [{ host: null }] }, { partial: false }), /nameservers\/0\/host.*cannot be null/);
  });

  it('links a deep-inserted child that has children of its own to its parent', () => {
    const article = { id: 'a1', title: 't', summary: { content: 's', format: 'text' }, body: { content: 'b', format: 'text' }, createdDateTime: '2024-01-01T00:00:00Z', lastUpdatedDateTime: '2024-01-01T00:00:00Z', isFeatured: false, indicators: [{ id: 'i1', source: 'public', artifact: host }] };
    const { writes } = readEntity(MODEL, vulnerability, { id: 'V1', description: { content: 'd', format: 'text' }, severity: 'low', priorityScore: 1, activeExploitsObserved: false, exploitsAvailable: false, hasChatter: false, commonWeaknessEnumerationIds: [], createdDateTime: '2024-01-01T00:00:00Z', lastModifiedDateTime: '2024-01-01T00:00:00Z', publishedDateTime: '2024-01-01T00:00:00Z', cvss2Summary: { score: 1 }, cvss3Summary: { score: 1 }, articles: [article] }, { partial: false });
    const parents = writes.map((w) => [w.record.type.name, w.record.values['id'], w.parent ? `${w.parent.navigation.name}:${w.parent.key}` : null]);
    assert.deepEqual(parents, [
      ['vulnerability', 'V1', null],
      ['article', 'a1', 'articles:V1'],
      ['hostname', 'example.example', null],
      ['articleIndicator', 'i1', 'indicators:a1'],
    ]);
  });
});
