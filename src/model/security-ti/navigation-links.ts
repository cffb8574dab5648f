/**
 * How the members of a collection navigation are found, where Graph's CSDL (which declares no Partner
 * attributes) leaves it implicit. The model resolves these into `NavigationProperty.link`; the SQL schema and
 * query compiler derive storage and scoping from that, so no code outside the model names a relation.
 *
 * - `inverse`: the members are the target entities whose single-valued navigation(s) `of` point at the parent
 *   (a host's components are the hostComponents whose `host` is that host; a host's hostPairs are the pairs
 *   where it is the parent or the child host).
 * - `through`: the members are the entities that `via` entities link to the parent: sslCertificate.relatedHosts
 *   are the hosts of the hostSslCertificates whose `sslCertificate` is that certificate.
 * - `shared`: the members share the parent's value of single-valued navigation `on` (a whoisRecord's history is
 *   the whoisHistoryRecords of the same host).
 * - Any collection navigation not listed here is stored with a foreign key to its parent on the target table
 *   (intelligenceProfile.indicators, article.indicators, vulnerability.components, vulnerability.articles).
 */
import type { NavigationLinkDecl } from '../edm.js';

const NS = 'microsoft.graph.security';
const host = `${NS}.host`;

export const NAVIGATION_LINKS: readonly NavigationLinkDecl[] = [
  { type: host, navigation: 'childHostPairs', inverse: ['parentHost'] },
  { type: host, navigation: 'components', inverse: ['host'] },
  { type: host, navigation: 'cookies', inverse: ['host'] },
  { type: host, navigation: 'hostPairs', inverse: ['parentHost', 'childHost'] },
  { type: host, navigation: 'parentHostPairs', inverse: ['childHost'] },
  { type: host, navigation: 'passiveDns', inverse: ['parentHost'] },
  { type: host, navigation: 'passiveDnsReverse', inverse: ['artifact'] },
  { type: host, navigation: 'ports', inverse: ['host'] },
  { type: host, navigation: 'sslCertificates', inverse: ['host'] },
  { type: host, navigation: 'subdomains', inverse: ['host'] },
  { type: host, navigation: 'trackers', inverse: ['host'] },
  { type: `${NS}.sslCertificate`, navigation: 'relatedHosts', through: { type: `${NS}.hostSslCertificate`, from: 'sslCertificate', to: 'host' } },
  { type: `${NS}.whoisRecord`, navigation: 'history', shared: 'host' },
];

/**
 * Single-valued navigations that Graph does not write inline as `{"@odata.type","id"}` in the entity (the docs'
 * host bodies carry neither): they are reached by their own path (`hosts/{id}/reputation`, `hosts/{id}/whois`)
 * or by `$expand`.
 */
export const NOT_INLINED: readonly { readonly type: string; readonly navigation: string }[] = [
  { type: host, navigation: 'reputation' },
  { type: host, navigation: 'whois' },
];
