/**
 * Open ports observed on hosts, with their banners and the components (services) seen on them, transcribed from
 * the official CSDL (`security-ti-all-v1.0.xml`; beta identical). `hostPortComponent.component` is a navigation
 * property of a complex type, as in the CSDL.
 */
import { complexType, entityType, enumType } from '../declare.js';

const NN = false; // Nullable="false"

export const hostPortProtocol = enumType('hostPortProtocol', ['tcp', 'udp', 'unknownFutureValue']);
export const hostPortStatus = enumType('hostPortStatus', ['open', 'filtered', 'closed', 'unknownFutureValue']);

export const hostPortBanner = complexType('hostPortBanner', [
  { name: 'banner', type: 'Edm.String', nullable: NN },
  { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
  { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
  { name: 'scanProtocol', type: 'Edm.String' },
  { name: 'timesObserved', type: 'Edm.Int32' },
]);
export const hostPortComponent = complexType(
  'hostPortComponent',
  [
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'isRecent', type: 'Edm.Boolean' },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
  ],
  undefined,
  false,
  [{ name: 'component', type: 'self.hostComponent' }],
);

export const hostPort = entityType(
  'hostPort',
  'graph.entity',
  [
    { name: 'banners', type: 'Collection(self.hostPortBanner)' },
    { name: 'firstSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'lastScanDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'lastSeenDateTime', type: 'Edm.DateTimeOffset' },
    { name: 'port', type: 'Edm.Int32', nullable: NN },
    { name: 'protocol', type: 'self.hostPortProtocol' },
    { name: 'services', type: 'Collection(self.hostPortComponent)' },
    { name: 'status', type: 'self.hostPortStatus' },
    { name: 'timesObserved', type: 'Edm.Int32' },
  ],
  [
    { name: 'host', type: 'self.host', nullable: NN },
    { name: 'mostRecentSslCertificate', type: 'self.sslCertificate' },
  ],
);
