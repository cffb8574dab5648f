/**
 * `--auth oidc` over HTTP against a real loopback issuer (test/support/oidc-issuer.ts): Entra ID v1/v2 token shapes,
 * RS256/PS256/ES256, permissions, and a corpus of forged tokens, each with its exact status, message and challenge.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { SignJWT, type JWTPayload } from 'jose';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { entraV1AppClaims, entraV2UserClaims, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';

const TID = '0b2c3d4e-0000-4000-8000-00000000c0de';
const OTHER_TID = '0b2c3d4e-0000-4000-8000-00000000beef';
const V2 = `https://login.microsoftonline.com/${TID}/v2.0`;
const TI = '/v1.0/security/threatIntelligence';

let idp: TestIssuer;
let stranger: TestIssuer;
let server: RunningServer;
before(async () => {
  idp = await startTestIssuer();
  stranger = await startTestIssuer();
  await Promise.all([idp.addKey('rsa-1', 'RS256'), idp.addKey('ps-1', 'PS256'), idp.addKey('ec-1', 'ES256'), idp.addKey('unpublished', 'RS256', false)]);
  await Promise.all([stranger.addKey('stranger-1', 'RS256'), stranger.addKey('rsa-1', 'RS256')]);
  server = await startServer({
    inMemory: true,
    port: 0,
    logLevel: 'silent',
    auth: { mode: 'oidc', issuers: [V2], jwksUri: `${idp.origin}/keys`, audiences: ['api://tigraph'], tenants: [TID] },
  });
});
after(async () => {
  await server.close();
  await Promise.all([idp.close(), stranger.close()]);
});

const call = async (token: string, path = `${TI}/intelProfiles?$top=1&$select=id`, init: RequestInit = {}) => {
  const res = await fetch(`${server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const body = (await res.json()) as { error?: { code: string; message: string }; value?: unknown[] };
  return { status: res.status, body, challenge: res.headers.get('www-authenticate'), retryAfter: res.headers.get('retry-after') };
};

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);

describe('--auth oidc: tokens tigraph accepts', () => {
  it('an Entra ID v1 application token (iss sts.windows.net, appid, roles) signed RS256: 200', async () => {
    const r = await call(await idp.sign('rsa-1', entraV1AppClaims(TID)));
    assert.equal(r.status, 200);
    assert.equal(r.body.value?.length, 1);
  });

  it('an Entra ID v2 delegated token (iss login.microsoftonline.com/{tid}/v2.0, azp, scp) signed ES256: 200', async () => {
    const r = await call(await idp.sign('ec-1', entraV2UserClaims(V2, TID)));
    assert.equal(r.status, 200);
  });

  it('a PS256-signed token: 200', async () => {
    assert.equal((await call(await idp.sign('ps-1', entraV1AppClaims(TID)))).status, 200);
  });

  it('ThreatIntelligence.ReadWrite.All in roles passes the write check (404 for an absent id, not 403)', async () => {
    const token = await idp.sign('rsa-1', entraV1AppClaims(TID, { roles: ['ThreatIntelligence.ReadWrite.All'] }));
    const r = await call(token, `${TI}/intelligenceProfileIndicators/no-such-indicator`, { method: 'DELETE' });
    assert.equal(r.status, 404);
    assert.equal(r.body.error?.code, 'ResourceNotFound');
  });

  it('nbf up to the clock skew (5 min) ahead is accepted', async () => {
    assert.equal((await call(await idp.sign('rsa-1', entraV1AppClaims(TID, { nbf: now() + 240, iat: now() + 240 })))).status, 200);
  });
});

describe('--auth oidc: forged and unfit tokens', () => {
  const unfit: Array<[string, () => Promise<string>, number, string, string]> = [
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(entraV1AppClaims(TID))}.AAAA`, 401, 'InvalidAuthenticationToken', 'Access token validation failure. The signing algorithm is not allowed.'],
    [
      'HS256 with the issuer\'s public RSA key as the HMAC secret',
      async () => {
        const jwk = ((await (await fetch(`${idp.origin}/keys`)).json()) as { keys: Array<{ kid: string; n: string }> }).keys.find((k) => k.kid === 'rsa-1')!;
        return new SignJWT(entraV1AppClaims(TID)).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(new TextEncoder().encode(JSON.stringify(jwk)));
      },
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure. The signing algorithm is not allowed.',
    ],
    ['a kid the JWKS does not hold', () => idp.sign('unpublished', entraV1AppClaims(TID)), 401, 'InvalidAuthenticationToken', 'Access token validation failure. No signing key matches the token header (kid).'],
    ['a published kid over another key\'s signature', () => idp.sign('unpublished', entraV1AppClaims(TID), { kid: 'rsa-1' }), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid signature.'],
    ['another issuer\'s key (its own kid)', () => stranger.sign('stranger-1', entraV1AppClaims(TID)), 401, 'InvalidAuthenticationToken', 'Access token validation failure. No signing key matches the token header (kid).'],
    ['another issuer\'s key with a kid that collides', () => stranger.sign('rsa-1', entraV1AppClaims(TID)), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid signature.'],
    ['expired an hour ago', () => idp.sign('rsa-1', entraV1AppClaims(TID, { iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })), 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'],
    ['nbf an hour ahead', () => idp.sign('rsa-1', entraV1AppClaims(TID, { nbf: now() + 3600, iat: now() - 60 })), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Lifetime validation failed, the token is not yet valid (nbf is in the future).'],
    ['iat an hour ahead', () => idp.sign('rsa-1', entraV1AppClaims(TID, { iat: now() + 3600, exp: now() + 7200 })), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Lifetime validation failed, the token was issued in the future (iat is beyond the allowed clock skew).'],
    ['an audience tigraph was not given', () => idp.sign('rsa-1', entraV1AppClaims(TID, { aud: 'api://someone-else' })), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'],
    ['Graph\'s own audience when --audience names tigraph\'s', () => idp.sign('rsa-1', entraV1AppClaims(TID, { aud: 'https://graph.microsoft.com' })), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'],
    ['an issuer that is not configured', () => idp.sign('rsa-1', entraV1AppClaims(TID, { iss: 'https://issuer.example/' })), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid issuer.'],
    ['another tenant\'s issuer', () => idp.sign('rsa-1', entraV1AppClaims(OTHER_TID)), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid issuer.'],
    ['no exp', () => idp.sign('rsa-1', { ...entraV1AppClaims(TID), exp: undefined }), 401, 'InvalidAuthenticationToken', 'Access token validation failure. The token has no "exp" claim.'],
    ['bad base64 in the payload', async () => `${b64({ alg: 'RS256', kid: 'rsa-1' })}.e30!!.AAAA`, 401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217'],
    ['a payload that is not JSON', async () => `${b64({ alg: 'RS256', kid: 'rsa-1' })}.${Buffer.from('not json').toString('base64url')}.AAAA`, 401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217'],
    ['a 12 000-character payload of noise', async () => `${b64({ alg: 'RS256', kid: 'rsa-1' })}.${'A'.repeat(12_000)}.AAAA`, 401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217'],
    ['no permission in roles', () => idp.sign('rsa-1', entraV1AppClaims(TID, { roles: ['User.Read.All'] })), 403, 'Forbidden', 'Auth token does not contain valid permissions or user does not have valid roles. Required permission: ThreatIntelligence.Read.All.'],
  ];
  for (const [name, make, status, code, message] of unfit) {
    it(`${name}: ${status} ${code}`, async () => {
      const r = await call(await make());
      assert.equal(r.status, status);
      assert.deepEqual({ code: r.body.error?.code, message: r.body.error?.message }, { code, message });
      if (status === 401) {
        const detail = message.replace(/^Access token validation failure\. /, '');
        const described = message.startsWith('CompactToken') ? 'The token is not a compact JWS (three base64url parts with a JSON header and payload).' : message.startsWith('Lifetime validation failed, the token is expired') ? 'The token is expired.' : detail;
        // RFC 6750 quoted-string: the message's double quotes become single ones.
        assert.equal(r.challenge, `Bearer realm="tigraph", error="invalid_token", error_description="${described.replace(/"/g, "'")}"`);
      }
    });
  }

  it('a read token writing: 403 naming ThreatIntelligence.ReadWrite.All', async () => {
    const r = await call(await idp.sign('ec-1', entraV2UserClaims(V2, TID)), `${TI}/intelligenceProfileIndicators/no-such-indicator`, { method: 'DELETE' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error?.message, 'Auth token does not contain valid permissions or user does not have valid roles. Required permission: ThreatIntelligence.ReadWrite.All.');
  });

  it('a 100 KB token is refused before any parsing: 431 (the header limit), never a 500', async () => {
    const res = await fetch(`${server.url}${TI}/intelProfiles`, { headers: { Authorization: `Bearer ${'A'.repeat(100 * 1024)}` } });
    assert.equal(res.status, 431);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'RequestHeaderFieldsTooLarge');
  });

  it('none of the forged tokens made tigraph fetch anything but the configured JWKS', () => {
    assert.equal(stranger.fetches.jwks, 0);
    assert.equal(stranger.fetches.discovery, 0);
  });
});

describe('--auth oidc: --tenant allow-list with Entra issuers of any tenant (--jwks-uri, no --issuer)', () => {
  let multi: RunningServer;
  before(async () => {
    multi = await startServer({ inMemory: true, port: 0, logLevel: 'silent', auth: { mode: 'oidc', issuers: [], jwksUri: `${idp.origin}/keys`, audiences: ['api://tigraph'], tenants: [TID] } });
  });
  after(() => multi.close());
  const status = async (claims: JWTPayload): Promise<[number, string | undefined]> => {
    const res = await fetch(`${multi.url}${TI}/intelProfiles?$top=1`, { headers: { Authorization: `Bearer ${await idp.sign('rsa-1', claims)}` } });
    return [res.status, ((await res.json()) as { error?: { message: string } }).error?.message];
  };

  it('a listed tenant, v1 or v2 issuer: 200', async () => {
    assert.deepEqual(await status(entraV1AppClaims(TID)), [200, undefined]);
    assert.deepEqual(await status(entraV2UserClaims(V2, TID)), [200, undefined]);
  });

  it('an unlisted tenant with its own valid issuer: 401 naming the tenant check', async () => {
    assert.deepEqual(await status(entraV1AppClaims(OTHER_TID)), [401, 'Access token validation failure. The tenant (tid) is not allowed.']);
  });

  it('an issuer of one tenant with the tid of another: 401 Invalid issuer', async () => {
    assert.deepEqual(await status(entraV1AppClaims(TID, { iss: `https://sts.windows.net/${OTHER_TID}/` })), [401, 'Access token validation failure. Invalid issuer.']);
  });

  it('by default Graph\'s own audience and the server\'s base URL are accepted', async () => {
    const byDefault = await startServer({ inMemory: true, port: 0, logLevel: 'silent', auth: { mode: 'oidc', issuers: [], jwksUri: `${idp.origin}/keys` } });
    try {
      for (const aud of ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000', byDefault.url]) {
        const res = await fetch(`${byDefault.url}${TI}/intelProfiles?$top=1`, { headers: { Authorization: `Bearer ${await idp.sign('rsa-1', entraV1AppClaims(TID, { aud }))}` } });
        assert.equal(res.status, 200, aud);
      }
      const res = await fetch(`${byDefault.url}${TI}/intelProfiles?$top=1`, { headers: { Authorization: `Bearer ${await idp.sign('rsa-1', entraV1AppClaims(TID))}` } });
      assert.equal(res.status, 401, 'api://tigraph is not a default audience');
    } finally {
      await byDefault.close();
    }
  });
});
