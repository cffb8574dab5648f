import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({ strict: true });
});
after(() => s.close());

describe('--strict enforces the CSDL capability annotations', () => {
  it('allows what the CSDL allows', async () => {
    for (const q of [`intelProfiles?$filter=${encodeURIComponent("kind eq 'actor'")}&$orderby=title&$top=2&$skip=1&$count=true&$select=id,title`, 'intelProfiles?$search=blizzard', 'intelligenceProfileIndicators?$top=2&$skip=1&$count=true&$select=id,source',
      // indicators carry no SortRestrictions in the CSDL, so ordering them stays allowed
      'intelProfiles/actinium/indicators?$orderby=firstSeenDateTime']) {
      const r = await s.json(`/v1.0${TI}/${q}`);
      assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
    }
  });

  it('rejects what it does not, with Graph 400s', async () => {
    for (const q of [
      `intelligenceProfileIndicators?$filter=${encodeURIComponent("source eq 'osint'")}`,
      'intelligenceProfileIndicators?$expand=artifact',
      `intelProfiles?$filter=${encodeURIComponent("title eq 'x'")}`,
      'intelProfiles?$orderby=kind',
    ]) {
      const r = await s.json(`/v1.0${TI}/${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.code === 'ExpandNotSupported' ? 'BadRequest' : r.body.error.code, 'BadRequest');
    }
  });

  it('the same requests succeed without --strict', async () => {
    const lax = await startTestServer();
    try {
      const r = await lax.json(`/v1.0${TI}/intelligenceProfileIndicators?$filter=${encodeURIComponent("source eq 'osint'")}&$expand=artifact&$top=1`);
      assert.equal(r.status, 200);
    } finally {
      await lax.close();
    }
  });
});
