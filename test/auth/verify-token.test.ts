import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader, SignJWT, type JWTPayload } from 'jose';
import { ODataError } from '../../src/errors/odata-error.js';
import { buildClaims, DEFAULT_TENANT_ID, mintToken, SECURITY_READER_ROLE_ID } from '../../src/auth/mint-token.js';
import { READ, requirePermission, WRITE } from '../../src/auth/require-permission.js';
import { createEphemeralSigningKey, type SigningKey } from '../../src/auth/signing-key.js';
import { createTokenVerifier, localKeyResolver, type KeyResolver } from '../../src/auth/verify-token.js';

const EMPTY = 'Access token is empty.';
const MALFORMED = 'CompactToken parsing failed with error code: 80049217';
const EXPIRED = 'Lifetime validation failed, the token is expired.';
const invalid = (detail: string): string => `Access token validation failure. ${detail}`;

/** Asserts `p` rejects with a 401 InvalidAuthenticationToken ODataError carrying exactly `message`. */
async function rejects401(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ODataError, `expected ODataError, got ${String(e)}`);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'InvalidAuthenticationToken');
    assert.equal(e.message, message);
    assert.match(e.headers['WWW-Authenticate'] ?? '', /^Bearer /);
    return true;
  });
}

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const signCustom = (key: SigningKey, claims: JWTPayload): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'ES256', kid: key.kid }).sign(key.privateKey);

let key: SigningKey;
let other: SigningKey;
before(async () => {
  key = await createEphemeralSigningKey();
  other = await createEphemeralSigningKey();
});

describe('mintToken', () => {
  it('mints Graph v1-shaped app tokens', async () => {
    const token = await mintToken(key);
    assert.deepEqual(decodeProtectedHeader(token), { typ: 'JWT', alg: 'ES256', kid: key.kid });
    const c = decodeJwt(token);
    assert.equal(c.aud, 'https://graph.microsoft.com');
    assert.equal(c.iss, `https://sts.windows.net/${DEFAULT_TENANT_ID}/`);
    assert.equal(c.tid, DEFAULT_TENANT_ID);
    assert.match(DEFAULT_TENANT_ID, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(c.ver, '1.0');
    assert.equal(c.idtyp, 'app');
    assert.deepEqual(c.roles, [READ]);
    assert.equal(c.scp, undefined);
    assert.equal(c.oid, c.sub);
    assert.equal(typeof c.appid, 'string');
    assert.equal(c.nbf, c.iat);
    assert.equal(c.exp! - c.iat!, 3600);
  });

  it('mints delegated tokens with scp (space separated), no roles, idtyp user and a security role in wids', () => {
    const c = buildClaims({ scopes: [READ, 'User.Read'], subject: 'u-1', tenantId: 't-1', expiresInSeconds: 60 });
    assert.equal(c.scp, `${READ} User.Read`);
    assert.equal(c.roles, undefined);
    assert.equal(c.idtyp, 'user');
    assert.deepEqual(c.wids, [SECURITY_READER_ROLE_ID]);
    assert.equal(c.oid, 'u-1');
    assert.equal(c.iss, 'https://sts.windows.net/t-1/');
    assert.equal(c.exp! - c.iat!, 60);
  });
});

describe('createTokenVerifier: accepted tokens', () => {
  it('a minted token verifies and carries READ', async () => {
    const verify = createTokenVerifier(key);
    const p = await verify(`Bearer ${await mintToken(key, { subject: 'app-1' })}`);
    assert.equal(p.subject, 'app-1');
    assert.equal(p.kind, 'app');
    assert.deepEqual([...p.permissions], [READ]);
    assert.equal(p.tenantId, DEFAULT_TENANT_ID);
    assert.ok(p.expiresAt > Date.now() / 1000);
    requirePermission(p, [READ]);
  });

  it('a --scope style token is a user principal with the scopes as permissions', async () => {
    const verify = createTokenVerifier(key);
    const p = await verify(`Bearer ${await mintToken(key, { scopes: [READ, 'openid'] })}`);
    assert.equal(p.kind, 'user');
    assert.deepEqual([...p.permissions].sort(), [READ, 'openid'].sort());
    assert.deepEqual([...p.directoryRoles], [SECURITY_READER_ROLE_ID]);
    requirePermission(p, [READ]);
  });

  it('accepts the scheme case-insensitively, extra blanks, and every Graph audience', async () => {
    const verify = createTokenVerifier(key);
    const token = await mintToken(key);
    await verify(`bearer ${token}`);
    await verify(`  BEARER \t ${token}  `);
    for (const audience of ['https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000']) {
      await verify(`Bearer ${await mintToken(key, { audience })}`);
    }
  });

  it('accepts a configured audience and a v2 issuer form', async () => {
    const verify = createTokenVerifier(key, { audiences: ['api://tigraph'] });
    await verify(`Bearer ${await mintToken(key, { audience: 'api://tigraph' })}`);
    const v2 = await signCustom(key, { ...buildClaims({ audience: 'api://tigraph' }), iss: `https://login.microsoftonline.com/${DEFAULT_TENANT_ID}/v2.0` });
    await verify(`Bearer ${v2}`);
    await rejects401(verify(`Bearer ${await mintToken(key)}`), invalid('Invalid audience.'));
  });
});

describe('createTokenVerifier: 401 decision table', () => {
  it('missing, empty or non-Bearer → "Access token is empty."', async () => {
    const verify = createTokenVerifier(key);
    for (const header of [undefined, '', '   ', 'Bearer', 'Bearer ', 'Bearer    \t', 'Basic xyz', 'Basic', `Token ${await mintToken(key)}`, 'Bearerxyz']) {
      await rejects401(verify(header), EMPTY);
    }
  });

  it('not a compact JWS → CompactToken parsing failed', async () => {
    const verify = createTokenVerifier(key);
    const good = await mintToken(key);
    const [h, p, s] = good.split('.') as [string, string, string];
    for (const token of [
      'garbage',
      'a.b',
      'a.b.c.d',
      `${h}.${p}`,
      `${h}.${p}.`,
      `${h}.${p}.${s} extra`,
      `${h}.${p}.${s}=`,
      `${b64('not json')}.${p}.${s}`,
      `${h}.${b64('not json')}.${s}`,
      `${h}.${b64([1, 2])}.${s}`,
      `${b64([1])}.${p}.${s}`,
      'ünïcödé.ünïcödé.ünïcödé',
      `${h}.${p}.${'A'.repeat(20_000)}`,
    ]) {
      await rejects401(verify(`Bearer ${token}`), MALFORMED);
    }
  });

  it('signed by another key → validation failure (unknown kid, or bad signature under our kid)', async () => {
    const verify = createTokenVerifier(key);
    await rejects401(verify(`Bearer ${await mintToken(other)}`), invalid('No signing key matches the token header (kid).'));
    const forged = await mintToken({ ...other, kid: key.kid });
    await rejects401(verify(`Bearer ${forged}`), invalid('Invalid signature.'));
    const [h, , s] = (await mintToken(key)).split('.') as [string, string, string];
    const tampered = `${h}.${b64({ ...buildClaims({ roles: [WRITE] }) })}.${s}`;
    await rejects401(verify(`Bearer ${tampered}`), invalid('Invalid signature.'));
  });

  it('wrong algorithm (HS256, none) → validation failure', async () => {
    const verify = createTokenVerifier(key);
    const hs = await new SignJWT(buildClaims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(new Uint8Array(32));
    await rejects401(verify(`Bearer ${hs}`), invalid('The signing algorithm is not allowed.'));
    const none = `${b64({ alg: 'none', kid: key.kid })}.${b64(buildClaims())}.AAAA`;
    await rejects401(verify(`Bearer ${none}`), invalid('The signing algorithm is not allowed.'));
  });

  it('wrong audience or issuer → validation failure', async () => {
    const verify = createTokenVerifier(key);
    await rejects401(verify(`Bearer ${await mintToken(key, { audience: 'https://management.azure.com' })}`), invalid('Invalid audience.'));
    const badIss = await signCustom(key, { ...buildClaims(), iss: 'https://evil.example/' });
    await rejects401(verify(`Bearer ${badIss}`), invalid('Invalid issuer.'));
    const otherTenant = await signCustom(key, { ...buildClaims(), iss: 'https://sts.windows.net/someone-else/' });
    await rejects401(verify(`Bearer ${otherTenant}`), invalid('Invalid issuer.'));
    const pinned = createTokenVerifier(key, { issuers: ['https://sts.windows.net/t-1/'] });
    await rejects401(pinned(`Bearer ${await mintToken(key)}`), invalid('Invalid issuer.'));
    await pinned(`Bearer ${await mintToken(key, { tenantId: 't-1' })}`);
  });

  it('expired → "Lifetime validation failed, the token is expired."', async () => {
    const verify = createTokenVerifier(key);
    await rejects401(verify(`Bearer ${await mintToken(key, { expiresInSeconds: -3600 })}`), EXPIRED);
    const hourAgo = Date.now() - 3_600_000;
    await rejects401(verify(`Bearer ${await mintToken(key, { now: () => hourAgo, expiresInSeconds: 600 })}`), EXPIRED);
  });

  it('within the clock tolerance a just-expired token still passes; beyond it, it does not', async () => {
    const token = `Bearer ${await mintToken(key, { expiresInSeconds: -30 })}`;
    await createTokenVerifier(key, { clockToleranceSeconds: 60 })(token);
    await rejects401(createTokenVerifier(key, { clockToleranceSeconds: 0 })(token), EXPIRED);
  });

  it('nbf in the future → validation failure saying so', async () => {
    const verify = createTokenVerifier(key);
    await rejects401(
      verify(`Bearer ${await mintToken(key, { notBeforeInSeconds: 3600, expiresInSeconds: 7200 })}`),
      invalid('Lifetime validation failed, the token is not yet valid (nbf is in the future).'),
    );
  });

  it('iat beyond the 5-minute default skew → refused; iat within it → accepted (issue 10 point 8)', async () => {
    const verify = createTokenVerifier(key);
    const nowS = Math.floor(Date.now() / 1000);
    const future = { ...buildClaims({}), iat: nowS + 10 * 365 * 86400, nbf: nowS - 60, exp: nowS + 3600 };
    await rejects401(verify(`Bearer ${await signCustom(key, future)}`), invalid('Lifetime validation failed, the token was issued in the future (iat is beyond the allowed clock skew).'));
    const slightlyAhead = { ...buildClaims({}), iat: nowS + 120, nbf: nowS - 60, exp: nowS + 3600 };
    assert.equal((await verify(`Bearer ${await signCustom(key, slightlyAhead)}`)).subject, buildClaims({}).oid);
  });

  it('a lifetime over the maximum (default 28 h; configurable) → refused naming both figures', async () => {
    const verify = createTokenVerifier(key);
    const nowS = Math.floor(Date.now() / 1000);
    const forever = { ...buildClaims({}), iat: nowS, nbf: nowS, exp: nowS + 1e12 };
    await rejects401(verify(`Bearer ${await signCustom(key, forever)}`), invalid(`Lifetime validation failed, the token's lifetime (${1e12} s) exceeds the maximum of 100800 s.`));
    const day = await mintToken(key, { expiresInSeconds: 86400 });
    assert.equal((await verify(`Bearer ${day}`)).kind, 'app');
    await rejects401(createTokenVerifier(key, { maxLifetimeSeconds: 3600 })(`Bearer ${day}`), invalid("Lifetime validation failed, the token's lifetime (86400 s) exceeds the maximum of 3600 s."));
    // Without iat the lifetime runs from nbf.
    const noIat: JWTPayload = { ...buildClaims({}), nbf: nowS - 10, exp: nowS + 200_000 };
    delete noIat.iat;
    await rejects401(verify(`Bearer ${await signCustom(key, noIat)}`), invalid("Lifetime validation failed, the token's lifetime (200010 s) exceeds the maximum of 100800 s."));
  });

  it('no exp or no subject → validation failure', async () => {
    const verify = createTokenVerifier(key);
    const { exp: _exp, ...noExp } = buildClaims();
    await rejects401(verify(`Bearer ${await signCustom(key, noExp)}`), invalid('The token has no "exp" claim.'));
    const { oid: _oid, sub: _sub, ...noSub } = buildClaims();
    await rejects401(verify(`Bearer ${await signCustom(key, noSub)}`), invalid('The token has no subject (oid/sub).'));
  });
});

describe('authorization (403)', () => {
  it('a valid token without ThreatIntelligence permissions → 403 Forbidden', async () => {
    const p = await createTokenVerifier(key)(`Bearer ${await mintToken(key, { roles: ['User.Read'] })}`);
    assert.throws(
      () => requirePermission(p, [READ]),
      (e: unknown) =>
        e instanceof ODataError &&
        e.status === 403 &&
        e.code === 'Forbidden' &&
        e.message === `Auth token does not contain valid permissions or user does not have valid roles. Required permission: ${READ}.`,
    );
    assert.throws(() => requirePermission(p, [READ, WRITE]), (e: unknown) => e instanceof ODataError && e.message.includes(`${READ} or ${WRITE}`));
    requirePermission(p, ['User.Read']);
    requirePermission(p, []);
  });

  it('WRITE implies READ, not the other way round', async () => {
    const verify = createTokenVerifier(key);
    const writer = await verify(`Bearer ${await mintToken(key, { roles: [WRITE] })}`);
    requirePermission(writer, [READ]);
    requirePermission(writer, [WRITE]);
    const reader = await verify(`Bearer ${await mintToken(key, { roles: [READ] })}`);
    assert.throws(() => requirePermission(reader, [WRITE]), (e: unknown) => e instanceof ODataError && e.status === 403);
    const delegatedWriter = await verify(`Bearer ${await mintToken(key, { scopes: [WRITE] })}`);
    requirePermission(delegatedWriter, [READ]);
  });
});

describe('verified-token cache', () => {
  /** A resolver that counts how often verification needed a key, i.e. did crypto. */
  const counting = (k: SigningKey): { resolver: KeyResolver; calls: () => number } => {
    const inner = localKeyResolver(k);
    let n = 0;
    const resolver: KeyResolver = (header, token) => {
      n++;
      return inner(header, token);
    };
    return { resolver, calls: () => n };
  };

  it('serves repeated tokens without verifying again', async () => {
    const { resolver, calls } = counting(key);
    const verify = createTokenVerifier(resolver, { algorithms: ['ES256'] });
    const header = `Bearer ${await mintToken(key)}`;
    const first = await verify(header);
    assert.equal(calls(), 1);
    for (let i = 0; i < 50; i++) assert.equal(await verify(header), first);
    assert.equal(calls(), 1);
    assert.equal(await verify(`bearer  ${header.slice(7)} `), first, 'keyed by the token, not the header spelling');
    assert.equal(calls(), 1);
  });

  it('rejects a cached token once it expires', async () => {
    let clock = Date.UTC(2030, 0, 1);
    const { resolver, calls } = counting(key);
    const verify = createTokenVerifier(resolver, { algorithms: ['ES256'], clockToleranceSeconds: 0, now: () => clock });
    const header = `Bearer ${await mintToken(key, { now: () => clock, expiresInSeconds: 120 })}`;
    await verify(header);
    clock += 119_000;
    await verify(header);
    assert.equal(calls(), 1);
    clock += 1_000;
    await rejects401(verify(header), EXPIRED);
    assert.equal(calls(), 1, 'rejected from the cache, without crypto');
    await rejects401(verify(header), EXPIRED);
    assert.equal(calls(), 2, 'dropped from the cache; the full path rejects it too');
  });

  it('is a bounded LRU', async () => {
    const { resolver, calls } = counting(key);
    const verify = createTokenVerifier(resolver, { algorithms: ['ES256'], cacheSize: 2 });
    const [a, b, c] = await Promise.all([0, 1, 2].map(async (i) => `Bearer ${await mintToken(key, { subject: `s${i}` })}`)) as [string, string, string];
    await verify(a);
    await verify(b);
    await verify(c); // evicts a
    assert.equal(calls(), 3);
    await verify(b); // hit; b becomes most recent
    assert.equal(calls(), 3);
    await verify(a); // miss; evicts c
    assert.equal(calls(), 4);
    await verify(b);
    assert.equal(calls(), 4);
    await verify(c);
    assert.equal(calls(), 5);
  });

  it('cacheSize 0 disables caching', async () => {
    const { resolver, calls } = counting(key);
    const verify = createTokenVerifier(resolver, { algorithms: ['ES256'], cacheSize: 0 });
    const header = `Bearer ${await mintToken(key)}`;
    await verify(header);
    await verify(header);
    assert.equal(calls(), 2);
  });

  it('a failing token is never cached', async () => {
    const verify = createTokenVerifier(key);
    const header = `Bearer ${await mintToken(key, { roles: ['User.Read'], audience: 'nope' })}`;
    await rejects401(verify(header), invalid('Invalid audience.'));
    await rejects401(verify(header), invalid('Invalid audience.'));
  });
});

describe('verifier fuzz', () => {
  it('300 random headers yield only 401 ODataErrors', async () => {
    let seed = 0x7169_6772;
    const rand = (): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n: number): number => Math.floor(rand() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    const alphabet = 'ABCxyz019-_.=+/ \t\r\n\u0000\u00e9\u4e2d\ud83d\ude00\ud800\u202e"\'\\{}[]:,';
    const randomText = (n: number): string => Array.from({ length: n }, () => (rand() < 0.1 ? String.fromCharCode(int(0x10000)) : pick([...alphabet]))).join('');
    const b64url = (n: number): string => Array.from({ length: n }, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'])).join('');
    const valid = await mintToken(key);
    const mutate = (t: string): string => {
      const i = int(t.length - 1); // never the last character: its low bits are padding and may not change the bytes
      return t.slice(0, i) + pick([...'Aa0-_.x'].filter((c) => c !== t[i])) + t.slice(i + 1);
    };
    const generators: Array<() => string> = [
      () => randomText(int(64)),
      () => `Bearer ${randomText(int(200))}`,
      () => `${pick(['Bearer', 'bearer', 'Basic', 'Negotiate', 'BEARER'])} ${b64url(1 + int(40))}.${b64url(1 + int(200))}.${b64url(1 + int(90))}`,
      () => `Bearer ${b64(randomText(int(30)))}.${b64(randomText(int(60)))}.${b64url(86)}`,
      () => `Bearer ${b64({ alg: pick(['ES256', 'RS256', 'none', 'HS256', 42, null]), kid: pick([key.kid, 'x', undefined]), crit: pick([undefined, ['b64'], 'x']) })}.${b64(pick([{}, { exp: 'soon' }, buildClaims(), null, 'str', [], { aud: 1 }]))}.${b64url(86)}`,
      () => `Bearer ${mutate(valid)}`,
      () => `Bearer ${valid.slice(0, int(valid.length - 1))}`,
      () => `Bearer ${valid}${pick(['.', '..x', ' x', '\u00e9'])}`,
      () => `Bearer ${'a'.repeat(int(3) === 0 ? 1_000_000 : 20_000)}`,
      () => `Bearer ${randomText(5)}.${'.'.repeat(int(50_000))}`,
    ];
    for (let i = 0; i < 300; i++) {
      const header = generators[i % generators.length]!();
      const verify = createTokenVerifier(key, { cacheSize: 4 });
      await assert.rejects(verify(header), (e: unknown) => {
        assert.ok(e instanceof ODataError, `case ${i}: ${JSON.stringify(header.slice(0, 200))} threw ${String(e)}`);
        assert.equal(e.status, 401, `case ${i}: ${JSON.stringify(header.slice(0, 200))} → ${e.status} ${e.message}`);
        assert.equal(e.code, 'InvalidAuthenticationToken');
        return true;
      });
    }
  });
});
