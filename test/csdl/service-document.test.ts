/** The service document lists the entity container's children, consistent with $metadata. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, MODEL } from '../../src/model/model.js';
import { GRAPH_NAMESPACE, TYPES } from '../../src/model/security-ti.js';
import { writeCsdlXml } from '../../src/csdl/write-csdl-xml.js';
import { writeServiceDocument } from '../../src/csdl/write-service-document.js';
import { parseCsdl } from './csdl-compare.js';

test('service document shape', () => {
  assert.deepEqual(writeServiceDocument(MODEL, 'http://127.0.0.1:7070/beta'), {
    '@odata.context': 'http://127.0.0.1:7070/beta/$metadata',
    value: [{ name: 'security', kind: 'Singleton', url: 'security' }],
  });
  assert.equal(writeServiceDocument(MODEL, 'http://127.0.0.1:7070/v1.0/')['@odata.context'], 'http://127.0.0.1:7070/v1.0/$metadata');
});

test('service document entries are exactly the EntityContainer children of $metadata', () => {
  const [container] = parseCsdl(writeCsdlXml(MODEL, { enumSpelling: 'csdl' })).containers;
  const doc = writeServiceDocument(MODEL, 'http://x/beta');
  assert.deepEqual(
    doc.value.map((e) => [e.kind, e.name, e.url]),
    container!.children.map((c) => [c.kind, c.name, c.name]),
  );
  assert.equal(JSON.parse(JSON.stringify(doc))['@odata.context'], 'http://x/beta/$metadata');
});

test('a model without the singleton type is rejected', () => {
  assert.throws(() => buildModel(TYPES.filter((d) => !(d.namespace === GRAPH_NAMESPACE && d.name === 'security'))), /^Error: model: no entity type microsoft\.graph\.security$/);
});
