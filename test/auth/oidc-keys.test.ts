/**
 * `--auth oidc` key handling against a real loopback issuer: discovery in Entra ID's shape (one tenant, and the
 * multi-tenant `common` document with its `{tenantid}` template) and Keycloak's, key rotation without a restart,
 * at most one JWKS refetch per interval whatever kids arrive, and an issuer outage (503 for new keys, cached keys
 * keep working).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { startServer, type OidcAuth, type RunningServer } from '../../src/server/start-server.js';
import { entraV1AppClaims, entraV2UserClaims, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';

const TID = '0b2c3d4e-0000-4000-8000-00000000c0de';
const TID2 = '0b2c3d4e-0000-4000-8000-0000000000b2';
const TI = '/v1.0/security/threatIntelligence';

const start = (auth: Omit<OidcAuth, 'mode'>): Promise<RunningServer> =>
  startServer({ inMemory: true, port: 0, logLevel: 'silent', auth: { mode: 'oidc', audiences: ['api://tigraph'], ...auth } });

async function call(server: RunningServer, token: string): Promise<{ status: number; message: string | undefined; retryAfter: string | null }> {
  const res = await fetch(`${server.url}${TI}/intelProfiles?$top=1&$select=id`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: body.error?.message, retryAfter: res.headers.get('retry-after') };
}

let idp: TestIssuer;
before(async () => {
  idp = await startTestIssuer();
  await Promise.all([idp.addKey('k1', 'RS256'), idp.addKey('k-ec', 'ES256')]);
});
after(() => idp.close());

describe('discovery', () => {
  it("one Entra tenant: --issuer <origin>/<tid>/v2.0 reads its discovery document and JWKS once; v2 and v1-shaped tokens of that tenant pass", async () => {
    const before = { ...idp.fetches };
    const issuer = `${idp.origin}/${TID}/v2.0`;
    const server = await start({ issuers: [issuer] });
    try {
      assert.deepEqual(server.authStatus, [`issuer ${issuer} (2 keys)`]);
      assert.equal((await call(server, await idp.sign('k1', entraV2UserClaims(issuer, TID)))).status, 200);
      assert.equal((await call(server, await idp.sign('k-ec', entraV2UserClaims(issuer, TID, { scp: 'ThreatIntelligence.ReadWrite.All' })))).status, 200);
      assert.deepEqual(await call(server, await idp.sign('k1', entraV2UserClaims(`${idp.origin}/${TID2}/v2.0`, TID2))), { status: 401, message: 'Access token validation failure. Invalid issuer.', retryAfter: null });
      assert.deepEqual({ discovery: idp.fetches.discovery - before.discovery, jwks: idp.fetches.jwks - before.jwks }, { discovery: 1, jwks: 1 });
    } finally {
      await server.close();
    }
  });

  it('multi-tenant: --issuer <origin>/common/v2.0 takes the {tenantid} issuer template; each tenant passes with its own tid, not another\'s', async () => {
    const server = await start({ issuers: [`${idp.origin}/common/v2.0`] });
    try {
      assert.deepEqual(server.authStatus, [`issuer ${idp.origin}/{tenantid}/v2.0 (2 keys)`]);
      assert.equal((await call(server, await idp.sign('k1', entraV2UserClaims(`${idp.origin}/${TID}/v2.0`, TID)))).status, 200);
      assert.equal((await call(server, await idp.sign('k1', entraV2UserClaims(`${idp.origin}/${TID2}/v2.0`, TID2)))).status, 200);
      const mismatch = await call(server, await idp.sign('k1', entraV2UserClaims(`${idp.origin}/${TID}/v2.0`, TID2)));
      assert.deepEqual([mismatch.status, mismatch.message], [401, 'Access token validation failure. Invalid issuer.']);
    } finally {
      await server.close();
    }
  });

  it('multi-tenant with --tenant: only the listed tenant passes', async () => {
    const server = await start({ issuers: [`${idp.origin}/common/v2.0`], tenants: [TID] });
    try {
      assert.equal((await call(server, await idp.sign('k1', entraV2UserClaims(`${idp.origin}/${TID}/v2.0`, TID)))).status, 200);
      const other = await call(server, await idp.sign('k1', entraV2UserClaims(`${idp.origin}/${TID2}/v2.0`, TID2)));
      assert.deepEqual([other.status, other.message], [401, 'Access token validation failure. The tenant (tid) is not allowed.']);
    } finally {
      await server.close();
    }
  });

  it('a Keycloak realm (no tid in its tokens): 200 with its roles', async () => {
    const realm = `${idp.origin}/realms/tigraph`;
    const server = await start({ issuers: [realm] });
    try {
      const claims = { iss: realm, aud: 'api://tigraph', sub: 'f:realm:user-7', azp: 'tigraph-cli', exp: Math.floor(Date.now() / 1000) + 300, iat: Math.floor(Date.now() / 1000), roles: ['ThreatIntelligence.Read.All'] };
      assert.equal((await call(server, await idp.sign('k1', claims))).status, 200);
    } finally {
      await server.close();
    }
  });

  it('an issuer down at startup: the server starts, says so, answers its tokens 503 with Retry-After, and recovers once discovery succeeds', async () => {
    idp.mode = 'down';
    const issuer = `${idp.origin}/${TID}/v2.0`;
    const server = await start({ issuers: [issuer], minRefreshIntervalMs: 0, fetchTimeoutMs: 1000 });
    try {
      assert.deepEqual(server.authStatus, [
        `warning: issuer ${issuer}: ${idp.origin}/${TID}/v2.0/.well-known/openid-configuration: fetch failed; its tokens get 503 until discovery succeeds`,
      ]);
      const token = await idp.sign('k1', entraV2UserClaims(issuer, TID));
      assert.deepEqual(await call(server, token), {
        status: 503,
        message: `The service is temporarily unavailable: the OpenID configuration of ${issuer} could not be read (${idp.origin}/${TID}/v2.0/.well-known/openid-configuration: fetch failed).`,
        retryAfter: '1',
      });
      idp.mode = 'up';
      assert.equal((await call(server, token)).status, 200);
    } finally {
      idp.mode = 'up';
      await server.close();
    }
  });
});

describe('keys', () => {
  it('rotation: a token signed with a key published after startup passes without a restart (one refetch)', async () => {
    const server = await start({ issuers: [], jwksUri: `${idp.origin}/keys`, minRefreshIntervalMs: 0 });
    try {
      const fetched = idp.fetches.jwks;
      await idp.addKey('k-rotated', 'RS256');
      assert.equal((await call(server, await idp.sign('k-rotated', entraV1AppClaims(TID)))).status, 200);
      assert.equal(idp.fetches.jwks - fetched, 1);
      assert.equal((await call(server, await idp.sign('k-rotated', entraV1AppClaims(TID, { jti: 'second' })))).status, 200);
      assert.equal(idp.fetches.jwks - fetched, 1, 'a known kid needs no fetch');
    } finally {
      await server.close();
    }
  });

  it('unknown kids refetch at most once per interval (30 s by default): 20 tokens with 20 new kids, no fetch after startup\'s', async () => {
    const server = await start({ issuers: [], jwksUri: `${idp.origin}/keys` });
    try {
      const fetched = idp.fetches.jwks;
      for (let i = 0; i < 20; i++) await idp.addKey(`burst-${i}`, 'ES256', false);
      const answers = await Promise.all(Array.from({ length: 20 }, async (_, i) => call(server, await idp.sign(`burst-${i}`, entraV1AppClaims(TID)))));
      assert.deepEqual(new Set(answers.map((a) => `${a.status} ${a.message}`)), new Set(['401 Access token validation failure. No signing key matches the token header (kid).']));
      assert.equal(idp.fetches.jwks - fetched, 0);
    } finally {
      await server.close();
    }
  });

  it('a key taken out of the JWKS stops working once the keys are refetched', async () => {
    await idp.addKey('k-retired', 'RS256');
    const server = await start({ issuers: [], jwksUri: `${idp.origin}/keys`, minRefreshIntervalMs: 0 });
    try {
      assert.equal((await call(server, await idp.sign('k-retired', entraV1AppClaims(TID)))).status, 200);
      idp.unpublish('k-retired');
      await idp.addKey('k-new', 'RS256');
      assert.equal((await call(server, await idp.sign('k-new', entraV1AppClaims(TID)))).status, 200, 'the unknown kid refetches');
      const retired = await call(server, await idp.sign('k-retired', entraV1AppClaims(TID, { jti: 'after' })));
      assert.deepEqual([retired.status, retired.message], [401, 'Access token validation failure. No signing key matches the token header (kid).']);
    } finally {
      await server.close();
    }
  });

  for (const mode of ['down', 'slow'] as const) {
    it(`JWKS endpoint ${mode}: a new kid gets 503 with Retry-After; fresh tokens of a cached kid keep passing`, async () => {
      const server = await start({ issuers: [], jwksUri: `${idp.origin}/keys`, minRefreshIntervalMs: 0, fetchTimeoutMs: 300 });
      try {
        assert.equal((await call(server, await idp.sign('k1', entraV1AppClaims(TID)))).status, 200);
        idp.mode = mode;
        await idp.addKey(`k-during-${mode}`, 'RS256');
        const t0 = Date.now();
        const fresh = await call(server, await idp.sign(`k-during-${mode}`, entraV1AppClaims(TID)));
        assert.deepEqual(fresh, {
          status: 503,
          message: `The service is temporarily unavailable: the token signing keys could not be fetched from ${idp.origin}/keys (${mode === 'down' ? 'fetch failed' : 'the request timed out'}).`,
          retryAfter: '1',
        });
        assert.ok(Date.now() - t0 < 3000, 'the fetch timeout bounds the wait');
        assert.equal((await call(server, await idp.sign('k1', entraV1AppClaims(TID, { jti: `during-${mode}` })))).status, 200);
        idp.mode = 'up';
        assert.equal((await call(server, await idp.sign(`k-during-${mode}`, entraV1AppClaims(TID, { jti: 'recovered' })))).status, 200);
      } finally {
        idp.mode = 'up';
        await server.close();
      }
    });
  }
});
