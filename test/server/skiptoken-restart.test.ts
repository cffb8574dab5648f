/** The `$skiptoken` key lives in the store: a nextLink issued before a restart still works after it (SQLite file). */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mintToken } from '../../src/auth/mint-token.js';
import { startServer } from '../../src/server/start-server.js';

describe('$skiptoken across a restart', () => {
  it('the same data directory keeps the key: the old nextLink continues the listing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tigraph-skiptoken-'));
    try {
      const path = '/v1.0/security/threatIntelligence/intelProfiles?$top=2&$select=id';
      const first = await startServer({ dataDir, port: 0, logLevel: 'silent' });
      const token = await mintToken(first.signingKey);
      const page1 = (await (await fetch(`${first.url}${path}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { '@odata.nextLink': string };
      const skiptoken = page1['@odata.nextLink'].slice(page1['@odata.nextLink'].indexOf('$skiptoken='));
      await first.close();
      const second = await startServer({ dataDir, port: 0, logLevel: 'silent' });
      try {
        const res = await fetch(`${second.url}${path}&${skiptoken}`, { headers: { Authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { value: Array<{ id: string }> };
        assert.equal(res.status, 200);
        assert.equal(body.value.length, 2);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
