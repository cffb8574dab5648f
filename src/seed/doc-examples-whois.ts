/**
 * The records of the documented whois GET examples (`shared/spec/graph-ti-api-all.md` A8–A11) as seed data.
 * Choices (asserted by `test/http/doc-examples-whois.test.ts`):
 *
 * - A8 shows two different bodies for the same id `Y29udG9z…` (example 1 by host: markmonitor contacts and
 *   azure-dns nameservers; example 2 by id: contoso contacts and contoso-dns nameservers). A9, A10 and A11 repeat
 *   example 2, so example 2 is stored; `hosts/contoso.com/whois` returns it too.
 * - A10 (history) and A11 show a whoisHistoryRecord with the same id as the whoisRecord; A10 labels it
 *   `#…whoisRecord`. The CSDL types history items as `whoisHistoryRecord`, and that is what is stored and served.
 *   The record and its history entry share the id, as documented (they are entities of two different types).
 */
import { T_HOSTNAME } from './seed-dataset.js';
import { contosoCom, DOC_HOST_ID } from './doc-examples.js';
import { WHOIS_HISTORY_RECORD, WHOIS_RECORD } from '../model/names.js';

type Json = Record<string, unknown>;

export const DOC_WHOIS_ID = 'Y29udG9zby5jb20kJDY5NjQ3ODEyMDc3NDY1NzI0MzM=';

const redmond = { city: 'Redmond', countryOrRegion: 'US', postalCode: '98052', state: 'WA', street: '123 Fake St.' };
const contact = (name: string | null, organization: string | null, fax: string | null, address: Json | null, email: string | null = 'noreply@contoso.com', telephone: string | null = '+1.5555555555'): Json => ({
  email,
  name,
  organization,
  telephone,
  fax,
  address,
});

/** A8 example 2 / A9 / A10 / A11, without its `@odata.type`. */
export function docWhoisBody(): Json {
  return {
    id: DOC_WHOIS_ID,
    expirationDateTime: '2023-08-31T00:00:00Z',
    registrationDateTime: '2022-07-30T09:43:19Z',
    firstSeenDateTime: null,
    lastSeenDateTime: null,
    lastUpdateDateTime: '2023-06-24T08:34:15.984Z',
    billing: null,
    noc: null,
    zone: null,
    whoisServer: 'rdap.markmonitor.com',
    domainStatus: 'client update prohibited,client transfer prohibited,client delete prohibited',
    rawWhoisText: 'Registrar: \n  Handle: 1891582_DOMAIN_COM-VRSN\n  LDH Name: contoso.com\n  Nameserver: \n    LDH Name: ns1.contoso.com\n    Event: \n      Action: last changed\n...',
    abuse: contact(null, null, null, { city: null, countryOrRegion: null, postalCode: null, state: null, street: null }),
    admin: contact('Domain Administrator', 'Contoso Org', '+1.5555555555', redmond),
    registrar: contact(null, 'MarkMonitor Inc.', null, null, null, null),
    registrant: contact('Domain Administrator', 'Contoso Corporation', '+1.5555555555', redmond),
    technical: contact('Hostmaster', 'Contoso Corporation', '+1.5555555555', redmond),
    nameservers: [1, 2, 3, 4].map((n) => ({ firstSeenDateTime: null, lastSeenDateTime: null, host: { '@odata.type': T_HOSTNAME, id: `ns${n}.contoso-dns.com` } })),
    host: { '@odata.type': T_HOSTNAME, id: DOC_HOST_ID },
  };
}

/**
 * `contoso.com` with its whois record deep-inserted (`SeedDataset.hosts`): `host.whois` is the host's own link, so
 * the record is written through the host (which the profiles already wrote, with the same E5 values).
 */
export function docWhoisHosts(): Json[] {
  return [{ ...contosoCom(), whois: { '@odata.type': WHOIS_RECORD.annotation, ...docWhoisBody() } }];
}

export function docWhoisHistoryRecords(): Json[] {
  return [{ '@odata.type': WHOIS_HISTORY_RECORD.annotation, ...docWhoisBody() }];
}
