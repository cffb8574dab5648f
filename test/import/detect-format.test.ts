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
    ['api.json', '{"response": [{"Event": {"info": "x"}}]}', 'misp'],
    ['api-empty.json', '{"response": []}', 'misp'],
    ['galaxy.json', '{"name": "Threat Actor", "values": [ ]}', 'misp'],
    ['other.json', '{"hello": "world"}', undefined],
    ['list.txt', '[1, 2, 3]', undefined],
    ['v6.txt', '[2001:db8::1]:443\n[2001:db8::2]\n', 'ioc-list'],
    ['defanged.txt', '{.}evil.example.com\n', 'ioc-list'],
    ['nested.txt', '[\n  {"cveMetadata": {}}\n]', 'cve'],
    ['Nobelium.CSV', 'anything,at all\n', 'mstic-csv'],
    ['iocs', 'Name,IoC,Type\nx,1.2.3.4,IP\n', 'mstic-csv'],
    ['iocs', '"IoC","Type"\n', 'mstic-csv'],
    ['apt_x.txt', '# comment\nevil.example\n192.0.2.1\n', 'ioc-list'],
    ['ioc-named.txt', 'IoC\n', 'ioc-list'],
    ['CVE-2099-0001.json', '{"dataType": "CVE_RECORD", "cveMetadata": {"cveId": "CVE-2099-0001"}}', 'cve'],
    ['records', '[{"cveMetadata": {}}]', 'cve'],
    ['example.json', '{"rdapConformance": ["rdap_level_0"], "objectClassName": "domain"}', 'rdap'],
    ['20c.com.input', '{"objectClassName": "domain", "ldhName": "20C.COM"}', 'rdap'],
    ['dnsdb.jsonl', '{"count":1,"time_first":1,"time_last":2,"rrname":"a.example.","rrtype":"A","rdata":"192.0.2.1"}\n', 'pdns-cof'],
    ['cert.txt', '# comment\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'x509'],
    ['cert.crt', 'anything', 'x509'],
    ['cert', '0\uFFFD\u0005', 'x509'],
    ['a-stix-bundle-mentioning-rrname.json', '{"type": "bundle", "objects": [{"x_rrname": 1}]}', 'stix'],
  ];
  for (const [name, head, expected] of cases) {
    it(`${name}: ${JSON.stringify(head.slice(0, 30))} → ${expected ?? 'undefined'}`, () => {
      assert.equal(detectFormat({ name, head }), expected);
    });
  }
});
