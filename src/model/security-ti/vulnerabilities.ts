/**
 * Vulnerabilities (CVEs as Defender TI describes them), their CVSS summaries, links and affected components,
 * transcribed from the official CSDL (`security-ti-all-v1.0.xml`; beta identical).
 */
import { complexType, entityType, enumType } from '../declare.js';

const NN = false; // Nullable="false"

export const vulnerabilitySeverity = enumType('vulnerabilitySeverity', ['none', 'low', 'medium', 'high', 'critical', 'unknownFutureValue']);

export const cvssSummary = complexType('cvssSummary', [
  { name: 'score', type: 'Edm.Double', nullable: NN },
  { name: 'severity', type: 'self.vulnerabilitySeverity' },
  { name: 'vectorString', type: 'Edm.String' },
]);
export const hyperlink = complexType('hyperlink', [
  { name: 'name', type: 'Edm.String', nullable: NN },
  { name: 'url', type: 'Edm.String', nullable: NN },
]);

export const vulnerability = entityType(
  'vulnerability',
  'graph.entity',
  [
    { name: 'activeExploitsObserved', type: 'Edm.Boolean', nullable: NN },
    { name: 'commonWeaknessEnumerationIds', type: 'Collection(Edm.String)', nullable: NN },
    { name: 'createdDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'cvss2Summary', type: 'self.cvssSummary', nullable: NN },
    { name: 'cvss3Summary', type: 'self.cvssSummary', nullable: NN },
    { name: 'description', type: 'self.formattedContent', nullable: NN },
    { name: 'exploits', type: 'Collection(self.hyperlink)' },
    { name: 'exploitsAvailable', type: 'Edm.Boolean', nullable: NN },
    { name: 'hasChatter', type: 'Edm.Boolean', nullable: NN },
    { name: 'lastModifiedDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'priorityScore', type: 'Edm.Int32', nullable: NN },
    { name: 'publishedDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'references', type: 'Collection(self.hyperlink)' },
    { name: 'remediation', type: 'self.formattedContent' },
    { name: 'severity', type: 'self.vulnerabilitySeverity', nullable: NN },
  ],
  [
    { name: 'articles', type: 'Collection(self.article)' },
    { name: 'components', type: 'Collection(self.vulnerabilityComponent)', containsTarget: true },
  ],
);
export const vulnerabilityComponent = entityType('vulnerabilityComponent', 'graph.entity', [{ name: 'name', type: 'Edm.String', nullable: NN }]);
