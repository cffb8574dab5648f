/**
 * `--auth oidc` on the store under test (SQLite, and PostgreSQL in the runner's second pass): an identity
 * provider's tokens read and write, the audit line names the tenant, application and user, and throttling counts
 * per application of a tenant (two applications: two buckets; the same application with two tokens: one).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { entraV1AppClaims, entraV2UserClaims, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';
import { profileBody } from '../support/write-client.js';

const TID = '0b2c3d4e-0000-4000-8000-00000000c0de';
const V2 = `https://login.microsoftonline.com/${TID}/v2.0`;
const WRITE = 'ThreatIntelligence.ReadWrite.All';

let idp: TestIssuer;
let s: TestServer;
let dir: string;
before(async () => {
  idp = await startTestIssuer();
  await idp.addKey('store-1', 'RS256');
  dir = mkdtempSync(join(tmpdir(), 'tigraph-oidc-audit-'));
  s = await startTestServer({
    auth: { mode: 'oidc', issuers: [V2], jwksUri: `${idp.origin}/keys`, audiences: ['api://tigraph'] },
    auditLog: join(dir, 'audit.jsonl'),
    rateLimits: { all: { requests: 3, seconds: 60 } },
  });
});
after(async () => {
  await s.close();
  await idp.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${s.url}/v1.0${TI}/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any>, retryAfter: res.headers.get('retry-after') };
};

describe('--auth oidc writes', () => {
  it('a delegated v2 token with ThreatIntelligence.ReadWrite.All creates a profile; a v1 app token reads it back; the audit line names the caller', async () => {
    const user = await idp.sign('store-1', entraV2UserClaims(V2, TID, { scp: WRITE }));
    const created = await send(user, 'POST', 'intelProfiles', profileBody('Oidc Otter', { aliases: ['OTTER-1'] }));
    assert.equal(created.status, 201);
    assert.equal(created.body['id'], 'oidc-otter');
    const reader = await idp.sign('store-1', entraV1AppClaims(TID, { appid: 'aaaaaaaa-0000-4000-8000-000000000001' }));
    const read = await send(reader, 'GET', 'intelProfiles/oidc-otter?$select=aliases');
    assert.deepEqual([read.status, read.body['aliases']], [200, ['OTTER-1']]);
    const line = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['event'] === 'write');
    assert.deepEqual(
      { tenant: line?.['tenant'], principal: line?.['principal'], principalKind: line?.['principalKind'], application: line?.['application'], permission: line?.['permission'], status: line?.['status'], entityIds: line?.['entityIds'] },
      { tenant: TID, principal: '66666666-7777-4888-9999-000000000002', principalKind: 'user', application: '11111111-2222-4333-8444-555555555556', permission: [WRITE], status: 201, entityIds: ['oidc-otter'] },
    );
  });

  it('throttling counts per application: a fresh token of the same app shares its bucket, another app has its own', async () => {
    const appA = (jti: string) => idp.sign('store-1', entraV1AppClaims(TID, { appid: 'aaaaaaaa-0000-4000-8000-00000000000a', oid: 'sp-a', sub: 'sp-a', jti }));
    const appB = await idp.sign('store-1', entraV1AppClaims(TID, { appid: 'aaaaaaaa-0000-4000-8000-00000000000b', oid: 'sp-b', sub: 'sp-b' }));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(await appA(`a${i}`), 'GET', 'intelProfiles?$top=1&$select=id')).status);
    const fourth = await send(await appA('a3'), 'GET', 'intelProfiles?$top=1&$select=id');
    assert.deepEqual([...statuses, fourth.status], [200, 200, 200, 429]);
    assert.equal(fourth.body['error']['code'], 'TooManyRequests');
    assert.equal(fourth.retryAfter, '20', '3 per 60 s refills one request every 20 s');
    assert.equal((await send(appB, 'GET', 'intelProfiles?$top=1&$select=id')).status, 200);
  });
});
