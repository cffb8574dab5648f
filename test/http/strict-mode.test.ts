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

  const strictMessage = (what: string, where: string): string => `${what} is not supported on ${where} (strict mode enforces the Graph CSDL capability annotations).`;

  it('rejects what it does not, with Graph 400s', async () => {
    const cases: [string, string][] = [
      [`intelligenceProfileIndicators?$filter=${encodeURIComponent("source eq 'osint'")}`, strictMessage('$filter', 'intelligenceProfileIndicators')],
      [`intelProfiles?$filter=${encodeURIComponent("title eq 'x'")}`, strictMessage("Filtering on the property 'title'", 'intelProfiles')],
      ['intelProfiles?$orderby=kind', strictMessage("Sorting on the property 'kind'", 'intelProfiles')],
    ];
    for (const [q, message] of cases) {
      const r = await s.json(`/v1.0${TI}/${q}`);
      assert.equal(r.status, 400, q);
      assert.deepEqual([r.body.error.code, r.body.error.message], ['BadRequest', message], q);
    }
  });

  it("rejects $expand on a set whose CSDL forbids it with Graph's ExpandNotSupported and its message", async () => {
    const r = await s.json(`/v1.0${TI}/intelligenceProfileIndicators?$expand=artifact`);
    assert.equal(r.status, 400);
    assert.deepEqual([r.body.error.code, r.body.error.message], ['ExpandNotSupported', "Expand is not allowed for property 'artifact' according to the entity schema."]);
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
