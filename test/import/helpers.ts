/** Shared helpers of the import tests: dataset location, throwaway stores, counting. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { intelligenceProfileKind } from '../../src/model/security-ti.js';
import { MODEL } from '../../src/model/model.js';
import { runImport, type ImportOptions } from '../../src/import/run-import.js';
import type { ImportSummary } from '../../src/import/import-summary.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';

export const DATASETS = resolve(process.cwd(), '../shared/datasets');
export const HAVE_DATASETS = existsSync(DATASETS);
if (!HAVE_DATASETS) console.warn(`\n*** import dataset tests SKIPPED: ${DATASETS} not found ***\n`);
export const datasetSkip = HAVE_DATASETS ? false : `datasets not found at ${DATASETS}`;
export const ds = (...parts: string[]): string => resolve(DATASETS, ...parts);

/** A fixed import time, so undated values get a known first seen. */
export const NOW = Date.parse('2026-01-01T00:00:00.000Z');

export const memoryStore = (): SqliteStore => new SqliteStore(MODEL, { filename: ':memory:' });

export function importInto(store: Store, inputs: string[], options: Partial<ImportOptions> = {}): Promise<ImportSummary> {
  return runImport({ store, model: MODEL, inputs, now: NOW, ...options });
}

const typeOf = (set: string) => MODEL.entitySet(set)!.entityType;
export const PROFILE = typeOf('intelProfiles');
export const INDICATOR = typeOf('intelligenceProfileIndicators');

export async function counts(store: Store): Promise<{ profiles: number; indicators: number }> {
  const q = (type: typeof PROFILE) => store.count({ kind: 'count', type, parent: undefined, filter: undefined, search: undefined });
  return { profiles: await q(PROFILE), indicators: await q(INDICATOR) };
}

/** reason → count */
export const byReason = (m: ImportSummary['skipped']): Record<string, number> => Object.fromEntries([...m].map(([k, v]) => [k, v.count]));
export const positions = (m: ImportSummary['skipped'], reason: string): string[] => m.get(reason)?.positions ?? [];

/** Stored value of a profile kind (the enum member's number). */
export const KIND = (name: 'actor' | 'tool'): number => intelligenceProfileKind.members.find((m) => m.name === name)!.value;

/**
 * A temporary directory for the calling test file's inputs (made before its tests, removed after them); the
 * returned function writes one input file into it and returns its path.
 */
export function inputFiles(prefix: string): (name: string, content: string | Buffer) => Promise<string> {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  return async (name, content) => {
    const p = join(dir, name);
    await writeFile(p, content);
    return p;
  };
}
