import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL } from '../../../src/model/model.js';
import { ODataError } from '../../../src/errors/odata-error.js';
import { fieldSearchFilter } from '../../../src/odata/bind/bind-field-search.js';

const WHOIS = MODEL.entitySet('whoisRecords')!.entityType;
const CERTIFICATES = MODEL.entitySet('sslCertificates')!.entityType;

const refused = (search: string, message: string) => () =>
  assert.throws(
    () => fieldSearchFilter(search, WHOIS, 'whoisRecords'),
    (e: unknown) => e instanceof ODataError && e.status === 400 && e.message === message,
  );

describe('field-scoped $search → $filter', () => {
  it('a path through complex values, a collection of them and a reference inside one', () => {
    assert.equal(fieldSearchFilter('"admin/address/state:WA"', WHOIS, 'whoisRecords'), "admin/address/state eq 'WA'");
    assert.equal(fieldSearchFilter('"nameservers/host/id:contoso.com"', WHOIS, 'whoisRecords'), "nameservers/any(s0: s0/host/id eq 'contoso.com')");
    assert.equal(fieldSearchFilter('domainStatus:client hold', WHOIS, 'whoisRecords'), "domainStatus eq 'client hold'");
    assert.equal(fieldSearchFilter('"subject/commonName:O\'Brien:s"', CERTIFICATES, 'sslCertificates'), "subject/commonName eq 'O''Brien:s'");
  });

  it('an unknown property, a complex value, a reference other than by id and a missing value are 400', () => {
    refused('"nope:1"', "Invalid $search clause: there is no property 'nope' on microsoft.graph.security.whoisRecord to search for whoisRecords.")();
    refused('"admin:WA"', "Invalid $search clause: 'admin' names a complex value, not a property to search for whoisRecords.")();
    refused('"nameservers/host:x"', "Invalid $search clause: only 'nameservers/host/id' can be searched through 'host'.")();
    refused('"domainStatus/x:1"', "Invalid $search clause: 'domainStatus' has no properties to search for whoisRecords.")();
    refused('"domainStatus:"', 'Invalid $search clause: expected one \'property/path:value\' term for whoisRecords, as in "domainStatus:value".')();
  });
});
