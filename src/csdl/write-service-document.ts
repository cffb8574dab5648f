/**
 * The OData JSON service document (GET on the service root, e.g. /beta/), derived from the entity container.
 *
 * It lists the children of the entity container only: the `security` singleton. As in Graph's own service
 * document, collections reachable below it (security/threatIntelligence/intelProfiles, …) are contained
 * navigation properties, not entity sets, so they are not listed; clients discover them through $metadata.
 * `kind` is written for every entry (OData makes it optional for entity sets) so clients need no default.
 */
import type { Model } from '../model/model.js';

export interface ServiceDocumentEntry {
  readonly name: string;
  readonly kind: 'EntitySet' | 'Singleton';
  /** Relative to the service root. */
  readonly url: string;
}

export interface ServiceDocument {
  readonly '@odata.context': string;
  readonly value: readonly ServiceDocumentEntry[];
}

/** `serviceRoot` is absolute, without or with a trailing slash: http://127.0.0.1:7070/beta */
export function writeServiceDocument(model: Model, serviceRoot: string): ServiceDocument {
  const root = serviceRoot.replace(/\/+$/, '');
  const value = model.container.singletons.map((s): ServiceDocumentEntry => ({ name: s.name, kind: 'Singleton', url: s.name }));
  return { '@odata.context': `${root}/$metadata`, value };
}
