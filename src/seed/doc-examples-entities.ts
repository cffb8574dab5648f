/**
 * The doc-example records of the sets other than intelProfiles (`doc-examples-{hosts,certificates,whois,articles}.ts`),
 * grouped by set in dependency order (targets before the entities that link them), for `SeedDataset.entities`.
 * The whois record hangs under its host (`docWhoisHosts`, for `SeedDataset.hosts`).
 */
import { SETS } from '../model/names.js';
import { docArticles, docVulnerabilities } from './doc-examples-articles.js';
import { docHostSslCertificates, docSslCertificates } from './doc-examples-certificates.js';
import { docHostComponents, docHostCookies, docHostPairs, docHostPorts, docHostTrackers, docPassiveDnsRecords, docSubdomains } from './doc-examples-hosts.js';
import { docWhoisHistoryRecords } from './doc-examples-whois.js';

export function buildDocExampleEntities(): { set: string; records: Record<string, unknown>[] }[] {
  return [
    { set: SETS.articles, records: docArticles() },
    { set: SETS.vulnerabilities, records: docVulnerabilities() },
    { set: SETS.hostComponents, records: docHostComponents() },
    { set: SETS.hostCookies, records: docHostCookies() },
    { set: SETS.hostTrackers, records: docHostTrackers() },
    { set: SETS.passiveDnsRecords, records: docPassiveDnsRecords() },
    { set: SETS.hostPairs, records: docHostPairs() },
    { set: SETS.subdomains, records: docSubdomains() },
    { set: SETS.sslCertificates, records: docSslCertificates() },
    { set: SETS.hostSslCertificates, records: docHostSslCertificates() },
    { set: SETS.hostPorts, records: docHostPorts() },
    { set: SETS.whoisHistoryRecords, records: docWhoisHistoryRecords() },
  ];
}
