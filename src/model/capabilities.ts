/**
 * Capability annotations (Org.OData.Capabilities.V1) of the official CSDL, transcribed per target type.
 * tigraph serves a superset by default; `--strict` enforces exactly these (see odata/limits).
 * Indicator collections in particular declare Filterable=false, Sortable unspecified.
 */
import type { CapabilityDecl } from './edm.js';

const NS = 'microsoft.graph.security';
const collectionOnly = { countable: true, expandable: false, filterable: false, searchable: false, selectSupported: true, skipSupported: true, topSupported: true };
const singleOnly = { countable: false, expandable: false, filterable: false, searchable: false, selectSupported: true, skipSupported: false, sortable: false, topSupported: false };

export const CAPABILITIES: readonly CapabilityDecl[] = [
  { target: `${NS}.article`, ...collectionOnly, searchable: true, sortable: false },
  { target: `${NS}.articleIndicator`, ...collectionOnly },
  { target: `${NS}.host`, ...singleOnly },
  { target: `${NS}.hostComponent`, ...collectionOnly },
  { target: `${NS}.hostCookie`, ...collectionOnly },
  { target: `${NS}.hostname`, ...singleOnly },
  { target: `${NS}.hostTracker`, ...collectionOnly },
  {
    target: `${NS}.intelligenceProfile`,
    countable: true,
    expandable: false,
    filterable: true,
    nonFilterableProperties: ['aliases', 'countriesOrRegionsOfOrigin', 'description', 'firstActiveDateTime', 'id', 'indicators', 'summary', 'targets', 'title', 'tradecraft'],
    searchable: true,
    selectSupported: true,
    skipSupported: true,
    sortable: true,
    nonSortableProperties: ['aliases', 'countriesOrRegionsOfOrigin', 'description', 'firstActiveDateTime', 'id', 'indicators', 'kind', 'summary', 'targets', 'tradecraft'],
    topSupported: true,
  },
  { target: `${NS}.intelligenceProfileIndicator`, ...collectionOnly },
  { target: `${NS}.ipAddress`, ...singleOnly },
  {
    target: `${NS}.passiveDnsRecord`,
    countable: true,
    expandable: false,
    filterable: true,
    nonFilterableProperties: ['artifact', 'collectedDateTime', 'firstSeenDateTime', 'lastSeenDateTime', 'parentHost'],
    searchable: true,
    selectSupported: true,
    skipSupported: true,
    sortable: true,
    nonSortableProperties: ['artifact', 'collectedDateTime', 'parentHost', 'recordType'],
    topSupported: true,
  },
  { target: `${NS}.subdomain`, ...collectionOnly, skipSupported: false },
  { target: `${NS}.vulnerability`, ...singleOnly },
  { target: `${NS}.vulnerabilityComponent`, ...collectionOnly },
];

/**
 * Properties that `$search` looks in, per type (case-insensitive containment of every term): strings directly,
 * string collections item by item, complex values in each of their string properties.
 */
export const SEARCHABLE_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  [`${NS}.intelligenceProfile`]: ['title', 'aliases', 'summary'],
};

/**
 * Navigations tigraph expands with `$expand` (beyond the CSDL, which marks every one non-expandable): those the
 * store can resolve with one batched key lookup, by declaring type.
 */
export const EXPANDABLE_NAVIGATIONS: readonly { readonly declaringType: string; readonly navigation: string }[] = [
  { declaringType: `${NS}.indicator`, navigation: 'artifact' },
];
