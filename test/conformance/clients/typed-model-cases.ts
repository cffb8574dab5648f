/**
 * The records the Kiota typed-model checks read (kiota-types-suite.ts): the richest record of each type in the demo
 * seed, mostly the doc examples (src/seed/doc-examples-*.ts), else the synthetic demo records.
 */
import { DOC_ARTICLE_ID, DOC_VULNERABILITY_COMPONENT_ID, DOC_VULNERABILITY_ID } from '../../../src/seed/doc-examples-articles.js';
import { DOC_HOST_SSL_CERTIFICATE_ID } from '../../../src/seed/doc-examples-certificates.js';
import {
  DOC_COMPONENT_ID,
  DOC_COOKIE_ID,
  DOC_HOST_PAIR_ID,
  DOC_PASSIVE_DNS_ID,
  DOC_PORT_LIST_ID,
  DOC_REPUTATION_HOST,
  DOC_SSL_CERTIFICATE_ID,
  DOC_TRACKER_ID,
} from '../../../src/seed/doc-examples-hosts.js';
import { DOC_WHOIS_ID } from '../../../src/seed/doc-examples-whois.js';
import { DEMO_APEX, DEMO_IPV4, DEMO_SHOP, DEMO_WHOIS_ID as DEMO_WHOIS } from '../../../src/seed/demo-host-enrichment.js';

export const T_HOSTNAME = '#microsoft.graph.security.hostname';
export const T_IP = '#microsoft.graph.security.ipAddress';

export const ARTICLE_ID = DOC_ARTICLE_ID;
/** The synthetic article's second indicator (source osint, an ipAddress artifact). */
export const ARTICLE_INDICATOR_ID = 'tigraph-demo-article-1-ind-2';
export const VULNERABILITY_ID = DOC_VULNERABILITY_ID;
export const VULNERABILITY_COMPONENT_ID = DOC_VULNERABILITY_COMPONENT_ID;
export const WHOIS_ID = DOC_WHOIS_ID;
/** The synthetic whois record with two history snapshots. */
export const DEMO_WHOIS_ID = DEMO_WHOIS;
export const HOST_PAIR_ID = DOC_HOST_PAIR_ID;
/** A15's port (two banners, two services, every date set). */
export const HOST_PORT_ID = DOC_PORT_LIST_ID;
export const REPUTATION_HOST = DOC_REPUTATION_HOST;
/** A synthetic subdomain (the doc example's firstSeenDateTime is null); its id holds `$$`. */
export const SUBDOMAIN_ID = `${DEMO_SHOP}$$${DEMO_APEX}`;
export const HOST_SSL_CERTIFICATE_ID = DOC_HOST_SSL_CERTIFICATE_ID;
export const SSL_CERTIFICATE_ID = DOC_SSL_CERTIFICATE_ID;
export const PASSIVE_DNS_ID = DOC_PASSIVE_DNS_ID;
export const COMPONENT_ID = DOC_COMPONENT_ID;
export const COOKIE_ID = DOC_COOKIE_ID;
export const TRACKER_ID = DOC_TRACKER_ID;
export { DEMO_IPV4 };

/** The members of an entity response: OData control information, id, and the given properties. */
export const keys = (...properties: string[]): string[] => ['@odata.context', '@odata.type', 'id', ...properties].sort();

export const VULNERABILITY_MEMBERS = [
  'activeExploitsObserved',
  'commonWeaknessEnumerationIds',
  'createdDateTime',
  'cvss2Summary',
  'cvss3Summary',
  'description',
  'exploits',
  'exploitsAvailable',
  'hasChatter',
  'lastModifiedDateTime',
  'priorityScore',
  'publishedDateTime',
  'references',
  'remediation',
  'severity',
];

export const WHOIS_MEMBERS = [
  'abuse',
  'admin',
  'billing',
  'domainStatus',
  'expirationDateTime',
  'firstSeenDateTime',
  'host',
  'lastSeenDateTime',
  'lastUpdateDateTime',
  'nameservers',
  'noc',
  'rawWhoisText',
  'registrant',
  'registrar',
  'registrationDateTime',
  'technical',
  'whoisServer',
  'zone',
];

