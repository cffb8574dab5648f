/** $metadata is a well-formed, complete, deterministic CSDL document that matches the model it is derived from. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { MODEL } from '../../src/model/model.js';
import { DOCUMENTED_ENUM_SPELLINGS, GRAPH_NAMESPACE, SECURITY_NAMESPACE } from '../../src/model/security-ti.js';
import { writeCsdlXml } from '../../src/csdl/write-csdl-xml.js';
import { escapeXml } from '../../src/csdl/xml.js';
import { checkComplete, parseCsdl, resolveRef } from './csdl-compare.js';

const csdl = writeCsdlXml(MODEL, { enumSpelling: 'csdl' });
const documented = writeCsdlXml(MODEL, { enumSpelling: 'documented' });

test('$metadata is well-formed XML with the edmx envelope and two aliased schemas', () => {
  assert.equal(XMLValidator.validate(csdl), true);
  assert.equal(XMLValidator.validate(documented), true);
  assert.match(csdl, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<edmx:Edmx Version="4\.0" xmlns:edmx="http:\/\/docs\.oasis-open\.org\/odata\/ns\/edmx">\n  <edmx:DataServices>\n/);
  const doc = parseCsdl(csdl);
  assert.deepEqual([...doc.aliases], [['graph', GRAPH_NAMESPACE], ['self', SECURITY_NAMESPACE]]);
  assert.deepEqual(doc.containers, [{ name: 'GraphService', children: [{ kind: 'Singleton', name: 'security', type: `${GRAPH_NAMESPACE}.security` }] }]);
  const entity = doc.types.get(`${GRAPH_NAMESPACE}.entity`)!;
  assert.deepEqual(entity.key, ['id']);
  assert.ok(doc.types.has(`${GRAPH_NAMESPACE}.physicalAddress`));
});

test('$metadata is complete: every type reference, key, annotation target and property path resolves', () => {
  assert.deepEqual(checkComplete(parseCsdl(csdl)), []);
  assert.deepEqual(checkComplete(parseCsdl(documented)), []);
});

test('the completeness check catches dangling references', () => {
  const broken = csdl
    .replace('Type="self.contentFormat"', 'Type="self.noSuchEnum"')
    .replace('BaseType="self.indicator"', 'BaseType="graph.nothing"')
    .replace('<PropertyPath>tradecraft</PropertyPath>', '<PropertyPath>tradecraftz</PropertyPath>')
    .replace('Type="Collection(self.host)"', 'Type="Collection(self.intelligenceProfileKind)"');
  const problems = checkComplete(parseCsdl(broken));
  for (const needle of ['self.noSuchEnum', 'graph.nothing', 'tradecraftz', 'Collection(self.intelligenceProfileKind)']) {
    assert.ok(problems.some((p) => p.includes(needle)), `not reported: ${needle} in ${JSON.stringify(problems)}`);
  }
});

test('every model type is written once, with its own members only', () => {
  const doc = parseCsdl(csdl);
  assert.deepEqual([...doc.types.keys()].sort(), MODEL.types.map((t) => t.qualifiedName).sort());
  for (const t of MODEL.types) {
    const x = doc.types.get(t.qualifiedName)!;
    if (t.kind === 'entity') {
      assert.deepEqual(x.properties.map((p) => p.name), t.ownProperties.map((p) => p.name), t.qualifiedName);
      assert.deepEqual(x.navigations.map((p) => p.name), t.ownNavigationProperties.map((p) => p.name), t.qualifiedName);
      assert.equal(x.baseType && resolveRef(doc, x.baseType).name, t.baseType?.qualifiedName, t.qualifiedName);
      assert.equal(x.key !== undefined, t.baseType === undefined, `${t.qualifiedName}: Key only on the root type`);
    }
  }
});

test('threatIntelligence contains exactly the served collections, reached from the security singleton', () => {
  const doc = parseCsdl(csdl);
  const ti = doc.types.get(`${SECURITY_NAMESPACE}.threatIntelligence`)!;
  assert.deepEqual(
    ti.navigations.map((n) => [n.name, resolveRef(doc, n.type).name, n.containsTarget]).sort(),
    MODEL.container.rootType.navigationProperties.filter((n) => n.containsTarget && n.collection).map((n) => [n.name, n.target.qualifiedName, true]).sort(),
  );
  const security = doc.types.get(`${GRAPH_NAMESPACE}.security`)!;
  assert.equal(security.baseType, 'graph.entity');
  assert.deepEqual(security.navigations, [{ name: 'threatIntelligence', type: 'self.threatIntelligence', nullable: true, containsTarget: true }]);
});

test('documented spelling renames exactly the listed enum members and keeps their values', () => {
  const indicatorSource = (xml: string) => parseCsdl(xml).types.get(`${SECURITY_NAMESPACE}.indicatorSource`)!.members;
  assert.deepEqual(indicatorSource(documented), [
    { name: 'microsoftDefenderThreatIntelligence', value: '0' },
    { name: 'openSourceIntelligence', value: '1' },
    { name: 'public', value: '2' },
    { name: 'unknownFutureValue', value: '3' },
  ]);
  assert.deepEqual(indicatorSource(csdl).map((m) => m.name), ['microsoft', 'osint', 'public', 'unknownFutureValue']);
  const a = csdl.split('\n');
  const b = documented.split('\n');
  assert.equal(a.length, b.length);
  const changed = a.flatMap((line, i) => (line === b[i] ? [] : [`${line.trim()} → ${b[i]!.trim()}`]));
  const renames = Object.values(DOCUMENTED_ENUM_SPELLINGS).flatMap((m) => Object.keys(m));
  assert.equal(changed.length, renames.length, changed.join('\n'));
});

test('output is deterministic', () => {
  assert.equal(writeCsdlXml(MODEL, { enumSpelling: 'csdl' }), csdl);
  assert.equal(writeCsdlXml(MODEL, { enumSpelling: 'documented' }), documented);
});

test('XML special characters are escaped', () => {
  assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
  assert.equal(escapeXml('plain'), 'plain');
});

test("tigraph's extensions are written by default and left out with includeExtensions: false", () => {
  const lines = (xml: string) => xml.split('\n').map((l) => l.trim());
  const served = lines(csdl);
  const official = lines(writeCsdlXml(MODEL, { enumSpelling: 'csdl', includeExtensions: false }));
  const action = ['<Action Name="import" IsBound="true">', '<Parameter Name="bindingParameter" Type="self.threatIntelligence" />', '<ReturnType Type="self.importJob" />', '</Action>'];
  const at = served.indexOf(action[0]!);
  assert.deepEqual(served.slice(at, at + 4), action);
  assert.ok(served.includes('<NavigationProperty Name="importJobs" Type="Collection(self.importJob)" ContainsTarget="true" />'));
  assert.ok(served.includes('<EntityType Name="importJob" BaseType="graph.entity">'));
  const extensionLines = served.filter((l) => !official.includes(l));
  assert.deepEqual(
    extensionLines.filter((l) => /^<(EntityType|ComplexType|EnumType|Action|NavigationProperty) /.test(l)).map((l) => l.replace(/ (Type|BaseType|IsBound)="[^"]*"| \/?>|>/g, '')).sort(),
    [
      '<Action Name="import"',
      '<ComplexType Name="importEntityCounts"',
      '<ComplexType Name="importFileSummary"',
      '<ComplexType Name="importIndicatorCounts"',
      '<ComplexType Name="importPlacement"',
      '<ComplexType Name="importProfileCounts"',
      '<ComplexType Name="importReason"',
      '<ComplexType Name="importReasons"',
      '<ComplexType Name="importSummary"',
      '<EntityType Name="importJob"',
      '<EnumType Name="importJobStatus"',
      '<NavigationProperty Name="importJobs" ContainsTarget="true"',
    ],
  );
});
