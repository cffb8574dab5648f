/**
 * The records of the documented certificate GET examples (`shared/spec/graph-ti-api.md` E16–E17,
 * `graph-ti-api-all.md` A7, A12, A13) as seed data. Choices, where the docs contradict the CSDL (asserted by
 * `test/http/doc-examples-certificates.test.ts`):
 *
 * - `sslVersion` is a property of no type: left out. `alternateName` is the CSDL's `alternateNames`.
 * - `address.postOfficeBox` and `address.type` belong to beta's `graph.physicalAddress` only; the model serves the
 *   v1.0 type (city, countryOrRegion, postalCode, state, street) on both versions: left out.
 * - E16/A7 inline the whole certificate in the hostSslCertificate; tigraph stores it once (E17) and links it.
 * - A13's three related hosts are linked to certificate `MDJj…` by hostSslCertificates the docs do not show; their
 *   ids say they are tigraph's (`tigraph-doc-a13-<host>`).
 */
import { T_HOSTNAME, T_IP_ADDRESS } from './seed-dataset.js';
import { DOC_HOST_ID } from './doc-examples.js';
import { DOC_SSL_CERTIFICATE_ID } from './doc-examples-hosts.js';
import { HOST_SSL_CERTIFICATE, SSL_CERTIFICATE } from '../model/names.js';

type Json = Record<string, unknown>;

export const DOC_HOST_SSL_CERTIFICATE_ID = 'Y29udG9zby5jb20xNTUwMGZiOTY1NTE1MDVmMWVkYjI0ZGQzYjM2ZmNmZmRiNzY1ODMzYjgxMTg=';
export const DOC_RELATED_HOSTS_CERTIFICATE_ID = 'MDJjODMzNDIzYzYwOTIzNjM1YTA0OTRhMmI2NThjYWM5NDFmM2FmMA==';
export const DOC_RELATED_HOSTS = ['20.112.250.133', '20.231.239.246', '20.236.44.162'] as const;

const SEEN = { firstSeenDateTime: '2023-03-10T01:20:47.000Z', lastSeenDateTime: '2023-04-02T00:00:00.000Z' };

const entity = (commonName: string, address: Json, alternateNames: string[]): Json => ({
  commonName,
  address,
  email: null,
  givenName: null,
  organizationName: 'Microsoft Corporation',
  organizationUnitName: null,
  serialNumber: null,
  surname: null,
  alternateNames,
});

/** E17 (also inlined by E16/A7, listed by A12), and A13's certificate (only its id is documented). */
export function docSslCertificates(): Json[] {
  return [
    {
      '@odata.type': SSL_CERTIFICATE.annotation,
      id: DOC_SSL_CERTIFICATE_ID,
      ...SEEN,
      fingerprint: 'fb:96:55:15:05:f1:ed:b2:4d:d3:b3:6f:cf:fd:b7:65:83:3b:81:18',
      expirationDateTime: '2024-03-03T18:56:17.000Z',
      issueDateTime: '2023-03-09T18:56:17.000Z',
      sha1: 'fb96551505f1edb24dd3b36fcffdb765833b8118',
      serialNumber: '1137389559885717770175191329273386705719099773',
      subject: entity(
        'microsoft.com',
        { city: 'Redmond', countryOrRegion: 'US', postalCode: null, state: 'WA', street: null },
        ['pymes.microsoft.com', 'mac2.microsoft.com', 'sponsors.microsoft.com', 'oemcommunity.microsoft.com', 'gigjam.microsoft.com', 'businesscentral.microsoft.com'],
      ),
      issuer: entity('Microsoft Azure TLS Issuing CA 05', { city: null, countryOrRegion: 'US', postalCode: null, state: null, street: null }, []),
    },
    { '@odata.type': SSL_CERTIFICATE.annotation, id: DOC_RELATED_HOSTS_CERTIFICATE_ID },
  ];
}

/** E16/A7 (contoso.com's certificate on ports 80 and 3000), and the links behind A13's related hosts. */
export function docHostSslCertificates(): Json[] {
  const ref = (id: string): Json => ({ '@odata.type': SSL_CERTIFICATE.annotation, id });
  return [
    {
      '@odata.type': HOST_SSL_CERTIFICATE.annotation,
      id: DOC_HOST_SSL_CERTIFICATE_ID,
      ...SEEN,
      ports: [
        { port: 80, ...SEEN },
        { port: 3000, ...SEEN },
      ],
      host: { '@odata.type': T_HOSTNAME, id: DOC_HOST_ID },
      sslCertificate: ref(DOC_SSL_CERTIFICATE_ID),
    },
    ...DOC_RELATED_HOSTS.map((h) => ({
      '@odata.type': HOST_SSL_CERTIFICATE.annotation,
      id: `tigraph-doc-a13-${h}`,
      host: { '@odata.type': T_IP_ADDRESS, id: h },
      sslCertificate: ref(DOC_RELATED_HOSTS_CERTIFICATE_ID),
    })),
  ];
}
