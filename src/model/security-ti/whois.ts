/**
 * WHOIS records of hosts (current and historical) with their contacts and nameservers, transcribed from the
 * official CSDL (`security-ti-all-v1.0.xml`; beta identical). `whoisNameserver.host` is a navigation property
 * of a complex type, as in the CSDL.
 */
import { complexType, entityType } from '../declare.js';

const NN = false; // Nullable="false"

export const whoisContact = complexType('whoisContact', [
  { name: 'address', type: 'graph.physicalAddress' },
  { name: 'email', type: 'Edm.String' },
  { name: 'fax', type: 'Edm.String' },
  { name: 'name', type: 'Edm.String' },
  { name: 'organization', type: 'Edm.String' },
  { name: 'telephone', type: 'Edm.String' },
]);
export const whoisNameserver = complexType(
  'whoisNameserver',
  [
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
  ],
  undefined,
  false,
  [{ name: 'host', type: 'self.host', nullable: NN }],
);

export const whoisBaseRecord = entityType(
  'whoisBaseRecord',
  'graph.entity',
  [
    { name: 'abuse', type: 'self.whoisContact' },
    { name: 'admin', type: 'self.whoisContact' },
    { name: 'billing', type: 'self.whoisContact' },
    { name: 'domainStatus', type: 'Edm.String' },
    { name: 'expirationDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'lastUpdateDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'nameservers', type: 'Collection(self.whoisNameserver)' },
    { name: 'noc', type: 'self.whoisContact' },
    { name: 'rawWhoisText', type: 'Edm.String', freeText: true },
    { name: 'registrant', type: 'self.whoisContact' },
    { name: 'registrar', type: 'self.whoisContact' },
    { name: 'registrationDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'technical', type: 'self.whoisContact' },
    { name: 'whoisServer', type: 'Edm.String' },
    { name: 'zone', type: 'self.whoisContact' },
  ],
  [{ name: 'host', type: 'self.host', nullable: NN }],
  { abstract: true },
);
export const whoisHistoryRecord = entityType('whoisHistoryRecord', 'self.whoisBaseRecord', []);
export const whoisRecord = entityType('whoisRecord', 'self.whoisBaseRecord', [], [{ name: 'history', type: 'Collection(self.whoisHistoryRecord)' }]);
