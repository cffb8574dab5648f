/**
 * $metadata agrees with the official Graph CSDL (the full v1.0 and beta extracts `security-ti-all-*.xml` in
 * ../shared/datasets/graph-csdl) for every type reachable from threatIntelligence — all 46 microsoft.graph.security
 * types and their 14 capability annotation blocks, nothing omitted — and the comparison catches each kind of
 * deviation.
 */
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, MODEL, type Model } from '../../src/model/model.js';
import type { EntityTypeDecl, TypeDecl } from '../../src/model/edm.js';
import { SECURITY_NAMESPACE, TYPES } from '../../src/model/security-ti.js';
import { writeCsdlXml } from '../../src/csdl/write-csdl-xml.js';
import { compareCsdl, officialCsdlDir, officialFile, parseCsdl, readOfficial, type Omission, type ParsedCsdl } from './csdl-compare.js';

/** Every microsoft.graph.security type of the full extracts (46: 26 entity, 12 complex, 8 enum types). */
const COMPARED = [
  'contentFormat', 'hostPortProtocol', 'hostPortStatus', 'hostReputationClassification', 'hostReputationRuleSeverity', 'indicatorSource',
  'intelligenceProfileKind', 'vulnerabilitySeverity',
  'autonomousSystem', 'cvssSummary', 'formattedContent', 'hostPortBanner', 'hostPortComponent', 'hostReputationRule', 'hostSslCertificatePort',
  'hyperlink', 'intelligenceProfileCountryOrRegionOfOrigin', 'sslCertificateEntity', 'whoisContact', 'whoisNameserver',
  'article', 'articleIndicator', 'artifact', 'host', 'hostComponent', 'hostCookie', 'hostname', 'hostPair', 'hostPort', 'hostReputation',
  'hostSslCertificate', 'hostTracker', 'indicator', 'intelligenceProfile', 'intelligenceProfileIndicator', 'ipAddress', 'passiveDnsRecord',
  'sslCertificate', 'subdomain', 'threatIntelligence', 'unclassifiedArtifact', 'vulnerability', 'vulnerabilityComponent', 'whoisBaseRecord',
  'whoisHistoryRecord', 'whoisRecord',
].map((n) => `${SECURITY_NAMESPACE}.${n}`);
const NO_OMISSIONS: readonly Omission[] = [];

const DIR = officialCsdlDir();
const SKIP = DIR
  ? false
  : '!!! OFFICIAL CSDL NOT FOUND: ../shared/datasets/graph-csdl/security-ti-{,all-}{v1.0,beta}.xml is absent (run from the repo root with ../shared checked out); the $metadata golden comparison DID NOT RUN !!!';

const ours = (model: Model = MODEL): ParsedCsdl => parseCsdl(writeCsdlXml(model, { enumSpelling: 'csdl', includeExtensions: false }));
const compareWith = (official: ParsedCsdl, model: Model = MODEL, omitted: readonly Omission[] = NO_OMISSIONS) => compareCsdl(ours(model), official, COMPARED, omitted);

/** A model built from TYPES with one declaration replaced. */
function mutated(name: string, change: (d: TypeDecl) => TypeDecl): Model {
  let hit = false;
  const decls = TYPES.map((d) => (d.namespace === SECURITY_NAMESPACE && d.name === name ? ((hit = true), change(d)) : d));
  assert.ok(hit, `no declaration ${name}`);
  return buildModel(decls);
}
const entity = (d: TypeDecl): EntityTypeDecl => {
  assert.equal(d.kind, 'EntityType');
  return d as EntityTypeDecl;
};

for (const version of ['v1.0', 'beta'] as const) {
  test(`$metadata matches the official ${version} CSDL for the threat-intelligence types`, { skip: SKIP }, () => {
    const official = readOfficial(DIR!, version);
    const securityTypes = [...official.types.keys()].filter((qn) => qn.startsWith(`${SECURITY_NAMESPACE}.`));
    assert.deepEqual([...securityTypes].sort(), [...COMPARED].sort(), 'COMPARED is exactly the security types of the extract');
    assert.deepEqual(compareWith(official), []);
    // every Annotations element of the extract targets a compared type, so none is left unchecked
    for (const target of official.annotations.keys()) assert.ok(COMPARED.includes(target), `unchecked annotation target ${target}`);
    assert.equal(official.annotations.size, 14);
  });

  test(`$metadata elements are textually those of the official ${version} CSDL (every element of the full extract)`, { skip: SKIP }, () => {
    const official = elements(readFileSync(officialFile(DIR!, version), 'utf8'));
    const served = elements(writeCsdlXml(MODEL, { enumSpelling: 'csdl', includeExtensions: false }));
    // 46 security types + 14 Annotations + graph.entity + graph.physicalAddress (+ beta's graph.physicalAddressType)
    assert.equal(official.size, version === 'v1.0' ? 62 : 63);
    for (const [key, lines] of official) {
      // Known deviation, one model for both versions: beta's graph.physicalAddress adds postOfficeBox and type
      // (graph.physicalAddressType, reachable only in beta); tigraph serves the v1.0 shape on both versions.
      if (version === 'beta' && (key === 'ComplexType physicalAddress' || key === 'EnumType physicalAddressType')) continue;
      assert.deepEqual(served.get(key), lines, key);
    }
  });
}

/** Top-level schema elements by `kind name|target`, as trimmed lines (indentation differs, text must not). */
function elements(xml: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const re = /^[ \t]*<(EnumType|ComplexType|EntityType|Annotations) (?:Name|Target)="([^"]+)"[^\n]*?(\/?)>$/gm;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const [, kind, name, selfClosing] = m;
    const end = selfClosing ? m.index + m[0].length : xml.indexOf(`</${kind}>`, m.index) + kind!.length + 3;
    out.set(`${kind} ${name}`, xml.slice(m.index, end).split('\n').map((l) => l.trim()));
  }
  return out;
}

test('the comparison reports each kind of deviation', { skip: SKIP }, async (t) => {
  const official = readOfficial(DIR!, 'v1.0');
  const expectDiff = (diffs: string[], ...needles: string[]) => {
    assert.ok(diffs.length > 0, 'expected a difference');
    for (const n of needles) assert.ok(diffs.some((d) => d.includes(n)), `no difference mentions "${n}": ${JSON.stringify(diffs)}`);
  };

  await t.test('property nullability', () => {
    const m = mutated('indicator', (d) => ({ ...entity(d), properties: entity(d).properties.map((p) => ({ ...p, nullable: true })) }));
    expectDiff(compareWith(official, m), 'indicator.source: Nullable true ≠ official false');
  });
  await t.test('property type', () => {
    const m = mutated('formattedContent', (d) => ({ ...d, properties: (d as EntityTypeDecl).properties.map((p) => (p.name === 'format' ? { ...p, type: 'Edm.String' } : p)) }) as TypeDecl);
    expectDiff(compareWith(official, m), 'formattedContent.format: Type Edm.String ≠ official self.contentFormat');
  });
  await t.test('missing and extra properties', () => {
    const m = mutated('hostCookie', (d) => ({ ...entity(d), properties: [...entity(d).properties.filter((p) => p.name !== 'domain'), { name: 'extra', type: 'Edm.String' }] }));
    expectDiff(compareWith(official, m), 'hostCookie.domain: property missing', 'hostCookie.extra: property not in the official');
  });
  await t.test('base type and abstract flag', () => {
    const m = mutated('hostname', (d) => ({ ...entity(d), baseType: 'self.artifact', abstract: true }));
    expectDiff(compareWith(official, m), 'hostname: BaseType self.artifact ≠ official self.host', 'hostname: Abstract true');
  });
  await t.test('an undeclared omitted navigation', () => {
    const m = mutated('host', (d) => ({ ...entity(d), navigationProperties: entity(d).navigationProperties.filter((n) => n.name !== 'whois') }));
    expectDiff(compareWith(official, m), 'host.whois: navigation property missing from ours and not listed as omitted');
  });
  await t.test('navigation nullability and containment', () => {
    const m = mutated('passiveDnsRecord', (d) => ({
      ...entity(d),
      navigationProperties: entity(d).navigationProperties.map((n) => (n.name === 'parentHost' ? { ...n, nullable: true, containsTarget: true } : n)),
    }));
    expectDiff(compareWith(official, m), 'passiveDnsRecord.parentHost: Nullable true', 'passiveDnsRecord.parentHost: ContainsTarget true');
  });
  await t.test('stale or contradictory omission entries', () => {
    const omitted = [{ type: 'host', name: 'bogus' }, { type: 'threatIntelligence', name: 'hosts' }];
    expectDiff(compareWith(official, MODEL, omitted), 'host.bogus: listed as omitted but not in the official', 'threatIntelligence.hosts: listed as omitted but present');
  });
  await t.test('a navigation of a complex type', () => {
    const m = mutated('whoisNameserver', (d) => ({ ...d, navigationProperties: [] }) as TypeDecl);
    expectDiff(compareWith(official, m), 'whoisNameserver.host: navigation property missing from ours');
  });
  await t.test('enum members and values', () => {
    const m = mutated('intelligenceProfileKind', (d) => ({ ...d, members: [{ name: 'actor', value: 0 }, { name: 'tool', value: 5 }, { name: 'unknownFutureValue', value: 2 }] }) as TypeDecl);
    expectDiff(compareWith(official, m), 'intelligenceProfileKind: members');
  });
  await t.test('capability annotations', () => {
    const capabilitiesOf: Model['capabilitiesOf'] = (type) => {
      const c = MODEL.capabilitiesOf(type);
      if (c.target === `${SECURITY_NAMESPACE}.intelligenceProfile`) return { ...c, nonSortableProperties: c.nonSortableProperties!.filter((p) => p !== 'kind'), searchable: false };
      if (c.target === `${SECURITY_NAMESPACE}.ipAddress`) return { target: c.target };
      if (c.target === `${SECURITY_NAMESPACE}.hostCookie`) return { ...c, sortable: true };
      return c;
    };
    expectDiff(
      compareWith(official, { ...MODEL, capabilitiesOf }),
      'intelligenceProfile: annotation Org.OData.Capabilities.V1.SortRestrictions',
      'intelligenceProfile: annotation Org.OData.Capabilities.V1.SearchRestrictions',
      'ipAddress: annotation Org.OData.Capabilities.V1.CountRestrictions missing from ours',
      'hostCookie: annotation Org.OData.Capabilities.V1.SortRestrictions not in the official',
    );
  });
});

test('the comparison is symmetric in what it checks and empty for identical documents', () => {
  const doc = ours();
  assert.deepEqual(compareCsdl(doc, doc, COMPARED, []), []);
  const missing = compareCsdl(doc, doc, [`${SECURITY_NAMESPACE}.nope`], []);
  assert.deepEqual(missing, [`${SECURITY_NAMESPACE}.nope: not in the official CSDL`]);
});
