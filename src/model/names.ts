/**
 * Typed accessors for the names of the model, generated from its declarations: code outside `src/model/` writes
 * `PROFILE.p.title`, `INDICATOR.n.artifact`, `SETS.intelProfiles` or `INDICATOR_SOURCE.m.osint` instead of the
 * strings, so a name is spelled once (in the declaration) and a renamed or removed one is a compile error
 * everywhere it is used. Each accessor's value is the name itself, typed as its literal.
 *
 * `p` lists structural properties and `n` navigation properties, inherited ones included (a type's accessor is
 * built from its declaration and those of its base types, most derived first).
 */
import * as D from './security-ti.js';
import { ACTIONS, ENTITY_CONTAINER, GRAPH_NAMESPACE, SECURITY_NAMESPACE } from './security-ti.js';
import * as X from './tigraph-extensions.js';

type Named = { readonly name: string };
type NameMap<T extends readonly Named[]> = { readonly [I in T[number] as I['name']]: I['name'] };

const nameMap = <T extends readonly Named[]>(items: T): NameMap<T> => Object.freeze(Object.fromEntries(items.map((i) => [i.name, i.name]))) as NameMap<T>;

interface StructuredDecl {
  readonly namespace: string;
  readonly name: string;
  readonly properties: readonly Named[];
  readonly navigationProperties?: readonly Named[];
}

type Props<L extends readonly StructuredDecl[]> = L[number]['properties'];
type Navs<L extends readonly StructuredDecl[]> = NonNullable<L[number]['navigationProperties']>;

export interface TypeNames<N extends string, P extends readonly Named[], V extends readonly Named[]> {
  readonly name: N;
  /** 'microsoft.graph.security.intelligenceProfile' */
  readonly qualifiedName: string;
  /** The `@odata.type` annotation: '#microsoft.graph.security.intelligenceProfile'. */
  readonly annotation: string;
  readonly p: NameMap<P>;
  readonly n: NameMap<V>;
}

/** Names of a type and its base types (most derived first). */
export function typeNames<const L extends readonly [StructuredDecl, ...StructuredDecl[]]>(...decls: L): TypeNames<L[0]['name'], Props<L>, Navs<L>> {
  const [own] = decls;
  const qualifiedName = `${own.namespace}.${own.name}`;
  return Object.freeze({
    name: own.name as L[0]['name'],
    qualifiedName,
    annotation: `#${qualifiedName}`,
    p: nameMap(decls.flatMap((d) => d.properties)) as NameMap<Props<L>>,
    n: nameMap(decls.flatMap((d) => d.navigationProperties ?? [])) as NameMap<Navs<L>>,
  });
}

export interface EnumNames<N extends string, M extends string> {
  readonly name: N;
  readonly qualifiedName: string;
  readonly m: { readonly [K in M]: K };
  /** Members a client may write: all but the evolvable-enum sentinel `unknownFutureValue`. */
  readonly writable: readonly Exclude<M, 'unknownFutureValue'>[];
}

function enumNames<const N extends string, const M extends string>(decl: { readonly namespace: string; readonly name: N; readonly members: readonly { readonly name: M }[] }): EnumNames<N, M> {
  const names = decl.members.map((m) => m.name);
  return Object.freeze({
    name: decl.name,
    qualifiedName: `${decl.namespace}.${decl.name}`,
    m: Object.freeze(Object.fromEntries(names.map((n) => [n, n]))) as { readonly [K in M]: K },
    writable: names.filter((n): n is Exclude<M, 'unknownFutureValue'> => n !== 'unknownFutureValue'),
  });
}

export { GRAPH_NAMESPACE, SECURITY_NAMESPACE };

// entity types
export const ENTITY = typeNames(D.entity);
export const PROFILE = typeNames(D.intelligenceProfile, D.entity);
export const INDICATOR = typeNames(D.intelligenceProfileIndicator, D.indicator, D.entity);
export const ARTIFACT = typeNames(D.artifact, D.entity);
export const HOST = typeNames(D.host, D.artifact, D.entity);
export const HOSTNAME = typeNames(D.hostname, D.host, D.artifact, D.entity);
export const IP_ADDRESS = typeNames(D.ipAddress, D.host, D.artifact, D.entity);
export const UNCLASSIFIED_ARTIFACT = typeNames(D.unclassifiedArtifact, D.artifact, D.entity);
export const WHOIS_RECORD = typeNames(D.whoisRecord, D.whoisBaseRecord, D.entity);
export const IMPORT_JOB = typeNames(X.importJob, D.entity);

// complex types
export const FORMATTED_CONTENT = typeNames(D.formattedContent);
export const COUNTRY_OF_ORIGIN = typeNames(D.intelligenceProfileCountryOrRegionOfOrigin);
export const AUTONOMOUS_SYSTEM = typeNames(D.autonomousSystem);
export const IMPORT_SUMMARY = typeNames(X.importSummary);
export const IMPORT_PROFILE_COUNTS = typeNames(X.importProfileCounts);
export const IMPORT_INDICATOR_COUNTS = typeNames(X.importIndicatorCounts);
export const IMPORT_REASONS = typeNames(X.importReasons);
export const IMPORT_REASON = typeNames(X.importReason);

// enums
export const INDICATOR_SOURCE = enumNames(D.indicatorSource);
export const PROFILE_KIND = enumNames(D.intelligenceProfileKind);
export const CONTENT_FORMAT = enumNames(D.contentFormat);
export const IMPORT_JOB_STATUS = enumNames(X.importJobStatus);

/** The collections below the service root, by name (contained navigations of threatIntelligence). */
export const SETS = nameMap(D.threatIntelligence.navigationProperties);

/** Bound actions by local name, each with its qualified name. */
export const ACTION_NAMES = Object.freeze(
  Object.fromEntries(ACTIONS.map((a) => [a.name, `${a.namespace}.${a.name}`])) as { readonly [A in (typeof ACTIONS)[number] as A['name']]: string },
);

/** 'security/threatIntelligence': the path from the service root to the collections. */
export const SERVICE_ROOT_PATH = [ENTITY_CONTAINER.serviceRoot.singleton, ...ENTITY_CONTAINER.serviceRoot.navigations].join('/');

/** Unclassified artifacts of this kind hold a URL (tigraph's convention; Graph leaves `kind` free text). */
export const URL_ARTIFACT_KIND = 'url';

// issue 13 (demo data and doc examples for every type): the other entity types reachable from threatIntelligence
export const ARTICLE = typeNames(D.article, D.entity);
export const ARTICLE_INDICATOR = typeNames(D.articleIndicator, D.indicator, D.entity);
export const HOST_COMPONENT = typeNames(D.hostComponent, D.artifact, D.entity);
export const HOST_COOKIE = typeNames(D.hostCookie, D.artifact, D.entity);
export const HOST_TRACKER = typeNames(D.hostTracker, D.artifact, D.entity);
export const HOST_SSL_CERTIFICATE = typeNames(D.hostSslCertificate, D.artifact, D.entity);
export const SSL_CERTIFICATE = typeNames(D.sslCertificate, D.artifact, D.entity);
export const PASSIVE_DNS_RECORD = typeNames(D.passiveDnsRecord, D.artifact, D.entity);
export const HOST_PAIR = typeNames(D.hostPair, D.entity);
export const HOST_PORT = typeNames(D.hostPort, D.entity);
export const HOST_REPUTATION = typeNames(D.hostReputation, D.entity);
export const SUBDOMAIN = typeNames(D.subdomain, D.entity);
export const VULNERABILITY = typeNames(D.vulnerability, D.entity);
export const VULNERABILITY_COMPONENT = typeNames(D.vulnerabilityComponent, D.entity);
export const WHOIS_HISTORY_RECORD = typeNames(D.whoisHistoryRecord, D.whoisBaseRecord, D.entity);
// Importers of the other threatIntelligence entities (issue 13 point 5): the complex and enum types they build.
export const CVSS_SUMMARY = typeNames(D.cvssSummary);
export const HYPERLINK = typeNames(D.hyperlink);
export const VULNERABILITY_SEVERITY = enumNames(D.vulnerabilitySeverity);
export const WHOIS_CONTACT = typeNames(D.whoisContact);
export const WHOIS_NAMESERVER = typeNames(D.whoisNameserver);
export const PHYSICAL_ADDRESS = typeNames(D.physicalAddress);
export const SSL_CERTIFICATE_ENTITY = typeNames(D.sslCertificateEntity);
export const HOST_SSL_CERTIFICATE_PORT = typeNames(D.hostSslCertificatePort);
