/**
 * The shape of a seed dataset: pure data in Microsoft Graph JSON wire shape, ready to be loaded into an empty
 * store.
 *
 * Each element of `profiles` is the Graph JSON of one `microsoft.graph.security.intelligenceProfile` with one
 * extra property, `indicators` (OData deep-insert style): the Graph JSON of the profile's
 * `intelligenceProfileIndicator`s. Each indicator's `artifact` is the FULL artifact object, with
 * `"@odata.type"` one of `#microsoft.graph.security.hostname`, `#microsoft.graph.security.ipAddress` or
 * `#microsoft.graph.security.unclassifiedArtifact` and all of its stored properties.
 *
 * Conventions: property names as on the wire; entity objects carry `"@odata.type"` (with `#`); complex values
 * (formattedContent, intelligenceProfileCountryOrRegionOfOrigin, autonomousSystem) carry no annotation;
 * DateTimeOffsets are ISO 8601 strings in UTC ending in `Z`; enum values are CSDL member names
 * (`microsoft`/`osint`/`public`, `actor`/`tool`, `text`/`markdown`). An indicator belongs to exactly one
 * profile. The same artifact may be the artifact of several indicators; its object is then identical
 * everywhere it appears.
 */
import { HOSTNAME, INDICATOR, IP_ADDRESS, PROFILE, UNCLASSIFIED_ARTIFACT } from '../model/names.js';

export interface SeedDataset {
  readonly profiles: readonly Record<string, unknown>[];
  /**
   * Hosts (`hostname`/`ipAddress` Graph JSON) with deep-inserted enrichment (`reputation`, `whois`), written after
   * the profiles: a host already written as an indicator's artifact gets these navigations.
   */
  readonly hosts?: readonly Record<string, unknown>[];
  /** Entities of other sets of threatIntelligence (set name → Graph JSON, deep inserts allowed), written last. */
  readonly entities?: readonly { readonly set: string; readonly records: readonly Record<string, unknown>[] }[];
}

export const T_PROFILE = PROFILE.annotation;
export const T_INDICATOR = INDICATOR.annotation;
export const T_HOSTNAME = HOSTNAME.annotation;
export const T_IP_ADDRESS = IP_ADDRESS.annotation;
export const T_UNCLASSIFIED = UNCLASSIFIED_ARTIFACT.annotation;
