/**
 * Entity records → Graph JSON, record by record: the exact JSON (key order included) for an indicator and a
 * profile, enum spelling per mode, the evolvable-enum sentinel, $select, and every state of a single navigation
 * (reference, expanded record, null, not loaded).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TypeDecl } from '../../../src/model/edm.js';
import { buildModel, MODEL, type EntityType, type Model } from '../../../src/model/model.js';
import { ARTIFACT, HOSTNAME, INDICATOR, PROFILE } from '../../../src/model/names.js';
import type { EntityRecord } from '../../../src/model/records.js';
import { TYPES } from '../../../src/model/security-ti.js';
import type { ExpandItem, SelectItem } from '../../../src/odata/bind/semantic-tree.js';
import { createEnumSpelling, readEnumMember } from '../../../src/odata/serialize/enum-spelling.js';
import { typeAnnotation, writeEntity, type WriteOptions } from '../../../src/odata/serialize/write-entity.js';

const CSDL: WriteOptions = { enums: createEnumSpelling('csdl'), includeUnknownEnumMembers: false };
const DOCUMENTED: WriteOptions = { enums: createEnumSpelling('documented'), includeUnknownEnumMembers: false };

const indicatorType = MODEL.entityType(INDICATOR.qualifiedName);
const profileType = MODEL.entityType(PROFILE.qualifiedName);
const hostnameType = MODEL.entityType(HOSTNAME.qualifiedName);

const record = (type: EntityType, values: Record<string, unknown>, navigations: EntityRecord['navigations'] = {}): EntityRecord => ({ kind: 'record', type, values, navigations });
const select = (type: EntityType, ...names: string[]): SelectItem[] => names.map((n) => ({ property: type.property(n) ?? type.navigation(n)! }));
const expand = (type: EntityType, name: string, nested?: SelectItem[]): ExpandItem => ({ navigation: type.navigation(name)!, select: nested });

/** 2022-05-02T23:09:20.000Z as stored (epoch ms). */
const MAY_2 = Date.UTC(2022, 4, 2, 23, 9, 20);

const hostnameRecord = record(hostnameType, { id: 'fake-malicious.site', firstSeenDateTime: MAY_2, lastSeenDateTime: null, registrant: 'Contoso', registrar: null });
const indicator = (artifact: EntityRecord['navigations'][string] | 'absent'): EntityRecord =>
  record(indicatorType, { id: '47ccdbeb-816b-ac86-b96b-f31459d34b08', source: 0, firstSeenDateTime: MAY_2, lastSeenDateTime: null }, artifact === 'absent' ? {} : { artifact });

describe('writeEntity', () => {
  it('an indicator: @odata.type first, properties in model order, enum by CSDL name, DateTimeOffset as ISO 8601 UTC, unset as null, the artifact as a reference', () => {
    const json = writeEntity(indicator({ kind: 'ref', type: hostnameType, id: 'fake-malicious.site' }), undefined, [], CSDL);
    assert.equal(
      JSON.stringify(json),
      '{"@odata.type":"#microsoft.graph.security.intelligenceProfileIndicator","id":"47ccdbeb-816b-ac86-b96b-f31459d34b08","source":"microsoft","firstSeenDateTime":"2022-05-02T23:09:20.000Z","lastSeenDateTime":null,"artifact":{"@odata.type":"#microsoft.graph.security.hostname","id":"fake-malicious.site"}}',
    );
  });

  it('the documented spelling writes the long member names where the resource page has them, the CSDL name elsewhere', () => {
    const names = [0, 1, 2, 3].map((source) => writeEntity(record(indicatorType, { id: 'x', source }), select(indicatorType, 'source'), [], DOCUMENTED)['source']);
    assert.deepEqual(names, ['microsoftDefenderThreatIntelligence', 'openSourceIntelligence', 'public', 'unknownFutureValue']);
    const csdl = [0, 1, 2, 3].map((source) => writeEntity(record(indicatorType, { id: 'x', source }), select(indicatorType, 'source'), [], CSDL)['source']);
    assert.deepEqual(csdl, ['microsoft', 'osint', 'public', 'unknownFutureValue']);
  });

  it('a profile: complex values with their enum members, collections (unset → []), unset complex → null; the collection navigation is never inlined', () => {
    const profile = record(profileType, {
      id: 'actinium',
      aliases: ['Primitive Bear', 'Gamaredon'],
      countriesOrRegionsOfOrigin: null,
      description: { content: '### Summary', format: 2 },
      firstActiveDateTime: Date.UTC(2022, 0, 31, 16),
      kind: 0,
      summary: { content: 'ACTINIUM is an activity group', format: 0 },
      targets: undefined,
      title: 'ACTINIUM',
      tradecraft: null,
    });
    assert.equal(
      JSON.stringify(writeEntity(profile, undefined, [], CSDL)),
      '{"@odata.type":"#microsoft.graph.security.intelligenceProfile","id":"actinium","aliases":["Primitive Bear","Gamaredon"],"countriesOrRegionsOfOrigin":[],"description":{"content":"### Summary","format":"markdown"},"firstActiveDateTime":"2022-01-31T16:00:00.000Z","kind":"actor","summary":{"content":"ACTINIUM is an activity group","format":"text"},"targets":[],"title":"ACTINIUM","tradecraft":null}',
    );
  });

  it('$select: only the selected properties, in model order, selected but unset as null; the navigation only when selected or expanded', () => {
    const r = indicator({ kind: 'ref', type: hostnameType, id: 'fake-malicious.site' });
    assert.deepEqual(writeEntity(r, select(indicatorType, 'lastSeenDateTime', 'id'), [], CSDL), {
      '@odata.type': '#microsoft.graph.security.intelligenceProfileIndicator',
      id: '47ccdbeb-816b-ac86-b96b-f31459d34b08',
      lastSeenDateTime: null,
    });
    assert.deepEqual(writeEntity(r, select(indicatorType, 'id', 'artifact'), [], CSDL), {
      '@odata.type': '#microsoft.graph.security.intelligenceProfileIndicator',
      id: '47ccdbeb-816b-ac86-b96b-f31459d34b08',
      artifact: { '@odata.type': '#microsoft.graph.security.hostname', id: 'fake-malicious.site' },
    });
  });

  it('an expanded navigation is the full entity of its concrete type, narrowed by a nested $select', () => {
    const r = indicator(hostnameRecord);
    assert.equal(
      JSON.stringify(writeEntity(r, select(indicatorType, 'id'), [expand(indicatorType, 'artifact')], CSDL)),
      '{"@odata.type":"#microsoft.graph.security.intelligenceProfileIndicator","id":"47ccdbeb-816b-ac86-b96b-f31459d34b08","artifact":{"@odata.type":"#microsoft.graph.security.hostname","id":"fake-malicious.site","firstSeenDateTime":"2022-05-02T23:09:20.000Z","lastSeenDateTime":null,"registrant":"Contoso","registrar":null}}',
    );
    const artifactType = MODEL.entityType(ARTIFACT.qualifiedName);
    assert.deepEqual(writeEntity(r, select(indicatorType, 'id'), [expand(indicatorType, 'artifact', select(artifactType, 'id'))], CSDL)['artifact'], {
      '@odata.type': '#microsoft.graph.security.hostname',
      id: 'fake-malicious.site',
    });
  });

  it('a loaded record that was not asked to be expanded is still written as a reference; null stays null; a navigation not loaded is left out', () => {
    assert.deepEqual(writeEntity(indicator(hostnameRecord), undefined, [], CSDL)['artifact'], { '@odata.type': '#microsoft.graph.security.hostname', id: 'fake-malicious.site' });
    assert.equal(writeEntity(indicator(null), undefined, [], CSDL)['artifact'], null);
    assert.deepEqual(Object.keys(writeEntity(indicator('absent'), undefined, [], CSDL)), ['@odata.type', 'id', 'source', 'firstSeenDateTime', 'lastSeenDateTime']);
  });

  it('typeAnnotation is # + the qualified name with the CSDL casing', () => {
    assert.equal(typeAnnotation(INDICATOR.qualifiedName), '#microsoft.graph.security.intelligenceProfileIndicator');
  });
});

describe('evolvable enums on the wire', () => {
  // A synthetic model whose enum has a member after the unknownFutureValue sentinel.
  const NS = 'test.sentinel';
  const DECLS: TypeDecl[] = [
    { kind: 'EntityType', namespace: NS, name: 'entity', abstract: true, key: ['id'], properties: [{ name: 'id', type: 'Edm.String', nullable: false }], navigationProperties: [] },
    {
      kind: 'EnumType',
      namespace: NS,
      name: 'color',
      members: [
        { name: 'red', value: 0 },
        { name: 'green', value: 1 },
        { name: 'unknownFutureValue', value: 2 },
        { name: 'ultraviolet', value: 3 },
      ],
    },
    { kind: 'EntityType', namespace: NS, name: 'widget', baseType: `${NS}.entity`, properties: [{ name: 'color', type: `${NS}.color` }], navigationProperties: [] },
  ];
  const model: Model = buildModel([...TYPES, ...DECLS]);
  const widget = model.entityType(`${NS}.widget`);
  const colors = (o: WriteOptions): unknown[] => [0, 1, 2, 3].map((color) => writeEntity(record(widget, { id: 'w', color }), undefined, [], o)['color']);

  it('members after the sentinel are written as unknownFutureValue unless the client asked for them', () => {
    assert.deepEqual(colors(CSDL), ['red', 'green', 'unknownFutureValue', 'unknownFutureValue']);
    assert.deepEqual(colors({ ...CSDL, includeUnknownEnumMembers: true }), ['red', 'green', 'unknownFutureValue', 'ultraviolet']);
  });
});

describe('readEnumMember', () => {
  it('reads either spelling, case-insensitively; anything else is undefined', () => {
    const source = indicatorType.property(INDICATOR.p.source)!.type;
    assert.equal(source.kind, 'enum');
    if (source.kind !== 'enum') return;
    assert.deepEqual(
      ['microsoft', 'MICROSOFT', 'microsoftDefenderThreatIntelligence', 'openSourceIntelligence', 'osint', 'public', 'unknownFutureValue', 'nosuch', ''].map((n) => readEnumMember(source, n)),
      [0, 0, 0, 1, 1, 2, 3, undefined, undefined],
    );
  });
});
