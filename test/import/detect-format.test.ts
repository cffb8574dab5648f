import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat } from '../../src/import/detect-format.js';

describe('detectFormat({name, head}): one pure rule for the CLI and the import action', () => {
  const cases: [string, string, string | undefined][] = [
    ['bundle.json', '{"type": "bundle", "id": "bundle--1", "objects": []}', 'stix'],
    ['x.json', '\uFEFF{"spec_version": "2.1"}', 'stix'],
    ['objects.txt', '{"objects": [ {"type": "indicator"} ]}', 'stix'],
    ['event.json', '{"Event": {"info": "x"}}', 'misp'],
    ['attrs.json', '{"Attribute": []}', 'misp'],
    ['galaxy.json', '{"name": "Threat Actor", "values": [ ]}', 'misp'],
    ['other.json', '{"hello": "world"}', undefined],
    ['list.txt', '[1, 2, 3]', undefined],
    ['Nobelium.CSV', 'anything,at all\n', 'mstic-csv'],
    ['iocs', 'Name,IoC,Type\nx,1.2.3.4,IP\n', 'mstic-csv'],
    ['iocs', '"IoC","Type"\n', 'mstic-csv'],
    ['apt_x.txt', '# comment\nevil.example\n192.0.2.1\n', 'ioc-list'],
    ['ioc-named.txt', 'IoC\n', 'ioc-list'],
  ];
  for (const [name, head, expected] of cases) {
    it(`${name}: ${JSON.stringify(head.slice(0, 30))} → ${expected ?? 'undefined'}`, () => {
      assert.equal(detectFormat({ name, head }), expected);
    });
  }
});
