/** One id rule: a title gives the same profile id through the write API, the importer and the seed's rule. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL } from '../../src/model/model.js';
import { slugId } from '../../src/model/ids.js';
import { runImport } from '../../src/import/run-import.js';
import { createService } from '../../src/service/handle-odata-request.js';
import { DEFAULT_LIMITS } from '../../src/odata/limits/query-limits.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';

const TITLE = 'Ünïcödé Bär 北极';
const PROFILES = '/v1.0/security/threatIntelligence/intelProfiles';

const serviceOver = (store: Store) =>
  createService({ model: MODEL, store, paging: { defaultPageSize: 100, maxPageSize: 999 }, limits: DEFAULT_LIMITS, strict: false, betaEnumSpelling: 'csdl' });

it('a non-ASCII title gives one id by POST, by import and by the seed rule', async () => {
  assert.equal(slugId(TITLE), 'unicode-bar');
  const posted = new SqliteStore(MODEL, { filename: ':memory:' });
  const imported = new SqliteStore(MODEL, { filename: ':memory:' });
  const service = await serviceOver(posted);
  const importedService = await serviceOver(imported);
  const dir = mkdtempSync(join(tmpdir(), 'tigraph-ids-'));
  try {
    const out = await service({
      method: 'POST',
      path: PROFILES,
      query: '',
      origin: 'http://x',
      prefer: undefined,
      body: { title: TITLE, kind: 'actor', firstActiveDateTime: '2023-04-01T00:00:00Z', summary: { content: 's', format: 'text' }, description: { content: 'd', format: 'text' } },
    });
    assert.equal(out.status, 201);
    assert.equal((JSON.parse(out.body) as { id: string }).id, 'unicode-bar');

    const list = join(dir, 'iocs.txt');
    writeFileSync(list, 'bear.example\n');
    await runImport({ store: imported, model: MODEL, inputs: [list], format: 'ioc-list', profile: TITLE });
    const ids = await importedService({ method: 'GET', path: PROFILES, query: '$select=id,title', origin: 'http://x', prefer: undefined });
    assert.deepEqual(
      (JSON.parse(ids.body) as { value: { id: string; title: string }[] }).value.map(({ id, title }) => ({ id, title })),
      [{ id: 'unicode-bar', title: TITLE }],
    );
  } finally {
    await service.close();
    await importedService.close();
    await posted.close();
    await imported.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
