/**
 * Enrichment of the demo's doc-example host `fake-malicious.site`: its documented reputation (E11, four rules; see
 * `doc-examples-hosts.ts`) and a synthetic whois record, so that `hosts/{id}/reputation` and `hosts/{id}/whois`
 * answer on a fresh `npm start` and the explorer's artifact page shows them. Every whois value is made up and says
 * so; contacts use `*.example` addresses.
 */
import { DOC_INDICATOR_HOSTNAME } from './doc-examples.js';
import { T_HOSTNAME } from './seed-dataset.js';
import { docReputation } from './doc-examples-hosts.js';
import { WHOIS_RECORD } from '../model/names.js';

const T_WHOIS = WHOIS_RECORD.annotation;

export function buildDemoHosts(): Record<string, unknown>[] {
  const host = { '@odata.type': T_HOSTNAME, id: DOC_INDICATOR_HOSTNAME };
  return [
    {
      ...host,
      reputation: docReputation(),
      whois: {
        '@odata.type': T_WHOIS,
        id: `whois-${DOC_INDICATOR_HOSTNAME}`,
        domainStatus: 'clientTransferProhibited',
        registrationDateTime: '2021-03-01T00:00:00Z',
        expirationDateTime: '2027-03-01T00:00:00Z',
        lastUpdateDateTime: '2024-03-01T00:00:00Z',
        firstSeenDateTime: '2021-03-02T00:00:00Z',
        lastSeenDateTime: '2024-06-01T00:00:00Z',
        whoisServer: 'whois.registrar.example',
        registrar: { name: 'Example Registrar (synthetic)', email: 'abuse@registrar.example' },
        registrant: { name: 'Redacted for privacy (synthetic)', organization: 'Demo Data', email: 'registrant@privacy.example' },
        rawWhoisText: 'Demo data: a synthetic whois record.',
        host,
      },
    },
  ];
}
