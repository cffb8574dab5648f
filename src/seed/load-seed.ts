/** Loads a seed dataset (Graph JSON with deep-inserted indicators) into a store, validated by the model. */
import type { Model } from '../model/model.js';
import { readEntity } from '../odata/deserialize/read-entity.js';
import type { WriteRecord } from '../model/records.js';
import type { Store } from '../storage/store.js';
import type { SeedDataset } from './seed-dataset.js';
import { SETS } from '../model/names.js';

export async function loadSeed(store: Store, model: Model, dataset: SeedDataset, profileSet: string = SETS.intelProfiles): Promise<{ entities: number }> {
  const set = model.entitySet(profileSet);
  if (!set) throw new Error(`seed: no entity set ${profileSet}`);
  const writes: WriteRecord[] = dataset.profiles.flatMap((p) => readEntity(model, set.entityType, p, { partial: false }).writes);
  const hosts = model.entitySet(SETS.hosts);
  if (dataset.hosts?.length && !hosts) throw new Error(`seed: no entity set ${SETS.hosts}`);
  const hostWrites: WriteRecord[] = (dataset.hosts ?? []).flatMap((h) => readEntity(model, hosts!.entityType, h, { partial: false }).writes);
  const otherWrites: WriteRecord[] = (dataset.entities ?? []).flatMap(({ set: name, records }) => {
    const other = model.entitySet(name);
    if (!other) throw new Error(`seed: no entity set ${name}`);
    return records.flatMap((r) => readEntity(model, other.entityType, r, { partial: false }).writes);
  });
  await store.write(writes);
  if (hostWrites.length) await store.write(hostWrites);
  if (otherWrites.length) await store.write(otherWrites);
  return { entities: writes.length + hostWrites.length + otherWrites.length };
}
