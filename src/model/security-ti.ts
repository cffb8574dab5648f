/**
 * The served model: the Microsoft Graph threat-intelligence types of namespace microsoft.graph.security,
 * transcribed from the official CSDL (msgraph-metadata schemas/v1.0-Prod.csdl; beta is element-for-element
 * identical for these types). Together with `tigraph-extensions.ts` (tigraph's own import job types) this is the
 * only place where type and property names are written; routing, query binding, SQL, serialization and
 * $metadata all derive from it, and code elsewhere reaches names through the typed accessors of `names.ts`.
 *
 * Declaration order inside each type follows the CSDL. Every type reachable from threatIntelligence in the official
 * CSDL (`security-ti-all-{v1.0,beta}.xml`) is declared: the profile/indicator/host core here, articles,
 * vulnerabilities, whois and host ports in `security-ti/*.ts`.
 */
import { complexType, entityType, enumType, GRAPH_NAMESPACE, SECURITY_NAMESPACE } from './declare.js';
import type { EntitySetBehaviour, EntityTypeDecl, IdRuleDecl, MergeRuleDecl, TypeDecl } from './edm.js';
import { IMPORT_ACTION, IMPORT_JOB_TYPES, IMPORT_JOBS_NAVIGATION } from './tigraph-extensions.js';
import { article } from './security-ti/articles.js';
import { cvssSummary, hyperlink, vulnerability, vulnerabilityComponent, vulnerabilitySeverity } from './security-ti/vulnerabilities.js';
import { whoisBaseRecord, whoisContact, whoisHistoryRecord, whoisNameserver, whoisRecord } from './security-ti/whois.js';
import { hostPort, hostPortBanner, hostPortComponent, hostPortProtocol, hostPortStatus } from './security-ti/host-ports.js';

export { article, cvssSummary, hyperlink, vulnerability, vulnerabilityComponent, vulnerabilitySeverity };
export { whoisBaseRecord, whoisContact, whoisHistoryRecord, whoisNameserver, whoisRecord };
export { hostPort, hostPortBanner, hostPortComponent, hostPortProtocol, hostPortStatus };

export { GRAPH_NAMESPACE, SECURITY_NAMESPACE };

const NN = false; // Nullable="false"

// microsoft.graph
export const entity = {
  kind: 'EntityType',
  namespace: GRAPH_NAMESPACE,
  name: 'entity',
  abstract: true,
  key: ['id'],
  properties: [{ name: 'id', type: 'Edm.String', nullable: NN }],
  navigationProperties: [],
} as const satisfies EntityTypeDecl;

export const physicalAddress = complexType(
  'physicalAddress',
  [
    { name: 'city', type: 'Edm.String' },
    { name: 'countryOrRegion', type: 'Edm.String' },
    { name: 'postalCode', type: 'Edm.String' },
    { name: 'state', type: 'Edm.String' },
    { name: 'street', type: 'Edm.String' },
  ],
  GRAPH_NAMESPACE,
);

// enums
export const contentFormat = enumType('contentFormat', ['text', 'html', 'markdown', 'unknownFutureValue']);
export const indicatorSource = enumType('indicatorSource', ['microsoft', 'osint', 'public', 'unknownFutureValue']);
export const intelligenceProfileKind = enumType('intelligenceProfileKind', ['actor', 'tool', 'unknownFutureValue']);
export const hostReputationClassification = enumType('hostReputationClassification', ['unknown', 'neutral', 'suspicious', 'malicious', 'unknownFutureValue']);
export const hostReputationRuleSeverity = enumType('hostReputationRuleSeverity', ['unknown', 'low', 'medium', 'high', 'unknownFutureValue']);

// complex types
export const autonomousSystem = complexType('autonomousSystem', [
  { name: 'name', type: 'Edm.String', nullable: NN },
  { name: 'number', type: 'Edm.Int32', nullable: NN },
  { name: 'organization', type: 'Edm.String', nullable: NN },
  { name: 'value', type: 'Edm.String', nullable: NN },
]);
export const formattedContent = complexType('formattedContent', [
  { name: 'content', type: 'Edm.String' },
  { name: 'format', type: 'self.contentFormat' },
]);
export const intelligenceProfileCountryOrRegionOfOrigin = complexType('intelligenceProfileCountryOrRegionOfOrigin', [
  { name: 'code', type: 'Edm.String', nullable: NN },
  { name: 'label', type: 'Edm.String', nullable: NN },
]);
export const hostSslCertificatePort = complexType('hostSslCertificatePort', [
  { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
  { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
  { name: 'port', type: 'Edm.Int32' },
]);
export const sslCertificateEntity = complexType('sslCertificateEntity', [
  { name: 'address', type: 'graph.physicalAddress' },
  { name: 'alternateNames', type: 'Collection(Edm.String)' },
  { name: 'commonName', type: 'Edm.String' },
  { name: 'email', type: 'Edm.String' },
  { name: 'givenName', type: 'Edm.String' },
  { name: 'organizationName', type: 'Edm.String' },
  { name: 'organizationUnitName', type: 'Edm.String' },
  { name: 'serialNumber', type: 'Edm.String' },
  { name: 'surname', type: 'Edm.String' },
]);
export const hostReputationRule = complexType('hostReputationRule', [
  { name: 'description', type: 'Edm.String', nullable: NN },
  { name: 'name', type: 'Edm.String', nullable: NN },
  { name: 'relatedDetailsUrl', type: 'Edm.String' },
  { name: 'severity', type: 'self.hostReputationRuleSeverity', nullable: NN },
]);

// indicators
export const articleIndicator = entityType('articleIndicator', 'self.indicator', []);
export const artifact = entityType('artifact', 'graph.entity', [], [], { abstract: true });
export const host = entityType(
  'host',
  'self.artifact',
  [
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
  ],
  [
    { name: 'childHostPairs', type: 'Collection(self.hostPair)' },
    { name: 'components', type: 'Collection(self.hostComponent)' },
    { name: 'cookies', type: 'Collection(self.hostCookie)' },
    { name: 'hostPairs', type: 'Collection(self.hostPair)' },
    { name: 'parentHostPairs', type: 'Collection(self.hostPair)' },
    { name: 'passiveDns', type: 'Collection(self.passiveDnsRecord)' },
    { name: 'passiveDnsReverse', type: 'Collection(self.passiveDnsRecord)' },
    { name: 'ports', type: 'Collection(self.hostPort)' },
    { name: 'reputation', type: 'self.hostReputation', containsTarget: true },
    { name: 'sslCertificates', type: 'Collection(self.hostSslCertificate)' },
    { name: 'subdomains', type: 'Collection(self.subdomain)' },
    { name: 'trackers', type: 'Collection(self.hostTracker)' },
    { name: 'whois', type: 'self.whoisRecord' },
  ],
  { abstract: true },
);
export const hostComponent = entityType(
  'hostComponent',
  'self.artifact',
  [
    { name: 'category', type: 'Edm.String' },
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'name', type: 'Edm.String', nullable: NN },
    { name: 'version', type: 'Edm.String' },
  ],
  [{ name: 'host', type: 'self.host', nullable: NN }],
);
export const hostCookie = entityType(
  'hostCookie',
  'self.artifact',
  [
    { name: 'domain', type: 'Edm.String', nullable: NN },
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'name', type: 'Edm.String', nullable: NN },
  ],
  [{ name: 'host', type: 'self.host', nullable: NN }],
);
export const hostname = entityType('hostname', 'self.host', [
  { name: 'registrant', type: 'Edm.String' },
  { name: 'registrar', type: 'Edm.String' },
]);
export const hostSslCertificate = entityType(
  'hostSslCertificate',
  'self.artifact',
  [
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'ports', type: 'Collection(self.hostSslCertificatePort)' },
  ],
  [
    { name: 'host', type: 'self.host' },
    { name: 'sslCertificate', type: 'self.sslCertificate' },
  ],
);
export const hostTracker = entityType(
  'hostTracker',
  'self.artifact',
  [
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'kind', type: 'Edm.String', nullable: NN },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'value', type: 'Edm.String', nullable: NN, freeText: true },
  ],
  [{ name: 'host', type: 'self.host', nullable: NN }],
);
export const indicator = entityType(
  'indicator',
  'graph.entity',
  [{ name: 'source', type: 'self.indicatorSource', nullable: NN }],
  [{ name: 'artifact', type: 'self.artifact', nullable: NN }],
  { abstract: true },
);
export const intelligenceProfile = entityType(
  'intelligenceProfile',
  'graph.entity',
  [
    { name: 'aliases', type: 'Collection(Edm.String)' },
    { name: 'countriesOrRegionsOfOrigin', type: 'Collection(self.intelligenceProfileCountryOrRegionOfOrigin)' },
    { name: 'description', type: 'self.formattedContent', nullable: NN },
    { name: 'firstActiveDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'kind', type: 'self.intelligenceProfileKind', nullable: NN },
    { name: 'summary', type: 'self.formattedContent', nullable: NN },
    { name: 'targets', type: 'Collection(Edm.String)' },
    { name: 'title', type: 'Edm.String', nullable: NN },
    { name: 'tradecraft', type: 'self.formattedContent' },
  ],
  [{ name: 'indicators', type: 'Collection(self.intelligenceProfileIndicator)' }],
);
export const intelligenceProfileIndicator = entityType('intelligenceProfileIndicator', 'self.indicator', [
  { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
  { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
]);
export const ipAddress = entityType('ipAddress', 'self.host', [
  { name: 'autonomousSystem', type: 'self.autonomousSystem' },
  { name: 'countryOrRegion', type: 'Edm.String' },
  { name: 'hostingProvider', type: 'Edm.String' },
  { name: 'netblock', type: 'Edm.String' },
]);
export const passiveDnsRecord = entityType(
  'passiveDnsRecord',
  'self.artifact',
  [
    { name: 'collectedDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'recordType', type: 'Edm.String', nullable: NN },
  ],
  [
    { name: 'artifact', type: 'self.artifact', nullable: NN },
    { name: 'parentHost', type: 'self.host', nullable: NN },
  ],
);
export const sslCertificate = entityType(
  'sslCertificate',
  'self.artifact',
  [
    { name: 'expirationDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'fingerprint', type: 'Edm.String' },
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'issueDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'issuer', type: 'self.sslCertificateEntity' },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'serialNumber', type: 'Edm.String' },
    { name: 'sha1', type: 'Edm.String' },
    { name: 'subject', type: 'self.sslCertificateEntity' },
  ],
  [{ name: 'relatedHosts', type: 'Collection(self.host)' }],
);
export const unclassifiedArtifact = entityType('unclassifiedArtifact', 'self.artifact', [
  { name: 'kind', type: 'Edm.String', nullable: NN },
  { name: 'value', type: 'Edm.String', nullable: NN, freeText: true },
]);

// entity types related to hosts
export const hostPair = entityType(
  'hostPair',
  'graph.entity',
  [
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'linkKind', type: 'Edm.String' },
  ],
  [
    { name: 'childHost', type: 'self.host', nullable: NN },
    { name: 'parentHost', type: 'self.host', nullable: NN },
  ],
);
export const hostReputation = entityType('hostReputation', 'graph.entity', [
  { name: 'classification', type: 'self.hostReputationClassification', nullable: NN },
  { name: 'rules', type: 'Collection(self.hostReputationRule)' },
  { name: 'score', type: 'Edm.Int32', nullable: NN },
]);
export const subdomain = entityType('subdomain', 'graph.entity', [{ name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' }], [{ name: 'host', type: 'self.host', nullable: NN }]);

// the service root: /security (singleton of microsoft.graph.security) → /threatIntelligence (contained entity) →
// the collections below it, which are its contained navigation properties
export const threatIntelligence = entityType('threatIntelligence', 'graph.entity', [], [
  { name: 'articleIndicators', type: 'Collection(self.articleIndicator)', containsTarget: true },
  { name: 'articles', type: 'Collection(self.article)', containsTarget: true },
  { name: 'hostComponents', type: 'Collection(self.hostComponent)', containsTarget: true },
  { name: 'hostCookies', type: 'Collection(self.hostCookie)', containsTarget: true },
  { name: 'hostPairs', type: 'Collection(self.hostPair)', containsTarget: true },
  { name: 'hostPorts', type: 'Collection(self.hostPort)', containsTarget: true },
  { name: 'hosts', type: 'Collection(self.host)', containsTarget: true },
  { name: 'hostSslCertificates', type: 'Collection(self.hostSslCertificate)', containsTarget: true },
  { name: 'hostTrackers', type: 'Collection(self.hostTracker)', containsTarget: true },
  { name: 'intelligenceProfileIndicators', type: 'Collection(self.intelligenceProfileIndicator)', containsTarget: true },
  { name: 'intelProfiles', type: 'Collection(self.intelligenceProfile)', containsTarget: true },
  { name: 'passiveDnsRecords', type: 'Collection(self.passiveDnsRecord)', containsTarget: true },
  { name: 'sslCertificates', type: 'Collection(self.sslCertificate)', containsTarget: true },
  { name: 'subdomains', type: 'Collection(self.subdomain)', containsTarget: true },
  { name: 'vulnerabilities', type: 'Collection(self.vulnerability)', containsTarget: true },
  { name: 'whoisHistoryRecords', type: 'Collection(self.whoisHistoryRecord)', containsTarget: true },
  { name: 'whoisRecords', type: 'Collection(self.whoisRecord)', containsTarget: true },
  IMPORT_JOBS_NAVIGATION,
]);
/**
 * microsoft.graph.security (the entity type of the singleton), not the namespace of the same spelling. The
 * official CSDL declares it in the microsoft.graph schema and refers to threatIntelligence via `self.`.
 */
export const security = {
  kind: 'EntityType',
  namespace: GRAPH_NAMESPACE,
  name: 'security',
  baseType: 'graph.entity',
  properties: [],
  navigationProperties: [{ name: 'threatIntelligence', type: 'self.threatIntelligence', containsTarget: true }],
} as const satisfies EntityTypeDecl;

export const TYPES: readonly TypeDecl[] = [
  entity,
  physicalAddress,
  contentFormat,
  indicatorSource,
  intelligenceProfileKind,
  hostReputationClassification,
  hostReputationRuleSeverity,
  hostPortProtocol,
  hostPortStatus,
  vulnerabilitySeverity,
  autonomousSystem,
  cvssSummary,
  hostPortBanner,
  hostPortComponent,
  hyperlink,
  whoisContact,
  whoisNameserver,
  formattedContent,
  intelligenceProfileCountryOrRegionOfOrigin,
  hostSslCertificatePort,
  sslCertificateEntity,
  hostReputationRule,
  articleIndicator,
  artifact,
  host,
  hostComponent,
  hostCookie,
  hostname,
  hostSslCertificate,
  hostTracker,
  indicator,
  intelligenceProfile,
  intelligenceProfileIndicator,
  ipAddress,
  passiveDnsRecord,
  sslCertificate,
  unclassifiedArtifact,
  hostPair,
  hostReputation,
  subdomain,
  article,
  hostPort,
  vulnerability,
  vulnerabilityComponent,
  whoisBaseRecord,
  whoisHistoryRecord,
  whoisRecord,
  threatIntelligence,
  security,
  ...IMPORT_JOB_TYPES,
];

export const ACTIONS = [IMPORT_ACTION] as const;

/**
 * The entity container of $metadata and the service document, and the path to the served collections: the
 * `security` singleton's contained `threatIntelligence`, whose contained navigations are the collections.
 */
export const ENTITY_CONTAINER = {
  name: 'GraphService',
  singletons: [{ name: 'security', type: `${GRAPH_NAMESPACE}.security` }],
  /** Singleton, then contained single-valued navigations, down to the entity whose collections are served. */
  serviceRoot: { singleton: 'security', navigations: [security.navigationProperties[0].name] },
} as const;

/** How tigraph serves the collections of threatIntelligence, where it differs from the defaults. */
export const ENTITY_SET_BEHAVIOUR: Readonly<Record<string, EntitySetBehaviour>> = {
  hosts: { listable: false },
  [IMPORT_JOBS_NAVIGATION.name]: { listable: true, writable: false, keyOrder: 'desc' },
};

/**
 * Documented alternative spelling of indicatorSource members (Microsoft's beta resource page for
 * intelligenceProfileIndicator). Accepted as input everywhere; emitted on /beta when the server is started
 * with the documented-spelling option.
 */
export const DOCUMENTED_ENUM_SPELLINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [`${SECURITY_NAMESPACE}.${indicatorSource.name}`]: {
    microsoft: 'microsoftDefenderThreatIntelligence',
    osint: 'openSourceIntelligence',
  },
};

/**
 * How values merge when an entity that already exists is written again in merge mode (imports): the earliest
 * first-seen and the latest last-seen time win; every other property takes the new value.
 */
/** Seen-time pairs merged as earliest first seen, latest last seen; passive DNS also keeps the latest collection time. */
const SEEN_RANGE_TYPES = ['intelligenceProfileIndicator', 'host', 'passiveDnsRecord', 'sslCertificate', 'hostSslCertificate', 'hostPort'];
export const MERGE_RULES: readonly MergeRuleDecl[] = [
  ...SEEN_RANGE_TYPES.flatMap((t): MergeRuleDecl[] => [
    { type: `${SECURITY_NAMESPACE}.${t}`, property: 'firstSeenDateTime', rule: 'min' },
    { type: `${SECURITY_NAMESPACE}.${t}`, property: 'lastSeenDateTime', rule: 'max' },
  ]),
  { type: `${SECURITY_NAMESPACE}.passiveDnsRecord`, property: 'collectedDateTime', rule: 'max' },
];

/** Where a new entity's id comes from when a write omits it: a slug of this property (profiles: their title). */
export const ID_RULES: readonly IdRuleDecl[] = [{ type: `${SECURITY_NAMESPACE}.intelligenceProfile`, property: 'title' }];
