/**
 * Artifact records for the importer: the canonical artifacts the readers make ({@odata.type, id} or, for URLs,
 * + kind and value: strings produced by canonicalize.ts) become store records directly — the same record
 * readEntity returns (every other property null), without its per-property validation, which dominated the
 * per-indicator cost. Any other shape (a tigraph export's full artifact) goes through readEntity, which also
 * names what is wrong with an invalid one.
 */
import type { EntityType, Model } from '../model/model.js';
import type { EntityRecord } from '../model/records.js';
import { readEntity } from '../odata/deserialize/read-entity.js';
import type { ArtifactJson } from './canonicalize.js';

export class ArtifactRecords {
  private readonly types = new Map<string, EntityType>();
  private readonly plainProps = new Map<EntityType, { name: string; nullable: boolean }[]>();

  constructor(
    private readonly model: Model,
    readonly artifactType: EntityType,
  ) {}

  /** The concrete artifact type an `@odata.type` names; throws for a type that is not an artifact. */
  typeOf(odataType: string): EntityType {
    let t = this.types.get(odataType);
    if (!t) {
      const name = odataType.replace(/^#/, '');
      t = this.model.subtypesOf(this.artifactType).find((x) => x.qualifiedName === name);
      if (!t) throw new Error(`unknown artifact type ${odataType}`);
      this.types.set(odataType, t);
    }
    return t;
  }

  /** The artifact's record; throws (with readEntity's message) when it is invalid. */
  recordOf(json: ArtifactJson): EntityRecord {
    return this.plain(json) ?? readEntity(this.model, this.artifactType, json, { partial: false }).record;
  }

  private plain(json: ArtifactJson): EntityRecord | undefined {
    for (const k in json) if (k !== '@odata.type' && k !== 'id' && k !== 'kind' && k !== 'value') return undefined;
    if (typeof json.id !== 'string' || (json['kind'] !== undefined && typeof json['kind'] !== 'string') || (json['value'] !== undefined && typeof json['value'] !== 'string')) return undefined;
    let type: EntityType;
    try {
      type = this.typeOf(json['@odata.type']);
    } catch {
      return undefined;
    }
    let props = this.plainProps.get(type);
    if (!props) this.plainProps.set(type, (props = type.properties.map((x) => ({ name: x.name, nullable: x.nullable }))));
    let known = 1;
    const values: Record<string, unknown> = {};
    for (const { name, nullable } of props) {
      const v = (json as Record<string, unknown>)[name];
      if (v === undefined && !nullable) return undefined; // readEntity names the missing property
      if (v !== undefined && name !== 'id') known++;
      values[name] = v ?? null;
    }
    // Every member but @odata.type must be a property of the type (else readEntity reports it).
    return known === Object.keys(json).length - 1 ? { kind: 'record', type, values, navigations: {} } : undefined;
  }
}
