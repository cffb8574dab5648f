/**
 * `tigraph serve --auth oidc` and `tigraph token --auth oidc` as a user runs them: the banner, the flag checks
 * (exit 2 with a message saying what is missing) and a request with an identity provider's token.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { BIN, childEnv, serve, stop } from '../support/cli-process.js';
import { entraV1AppClaims, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';

const TID = '0b2c3d4e-0000-4000-8000-00000000c0de';

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: childEnv(env), timeout: 30000 });

let idp: TestIssuer;
before(async () => {
  idp = await startTestIssuer();
  await idp.addKey('cli-1', 'RS256');
});
after(() => idp.close());

describe('tigraph serve --auth oidc', () => {
  it('serves with the issuer\'s tokens, prints the issuer and no development token', async () => {
    const issuer = `${idp.origin}/${TID}/v2.0`;
    const p = await serve(['--in-memory', '--auth', 'oidc', '--issuer', issuer, '--audience', 'api://tigraph']);
    try {
      assert.match(p.banner, new RegExp(`\\n  auth:      oidc, issuer ${issuer.replace(/[.]/g, '\\.')} \\(1 key\\)\\n`));
      assert.doesNotMatch(p.banner, /token:/);
      const claims = entraV1AppClaims(TID, { iss: issuer });
      const ok = await fetch(`${p.url}/v1.0/security/threatIntelligence/intelProfiles?$top=1`, { headers: { Authorization: `Bearer ${await idp.sign('cli-1', claims)}` } });
      assert.equal(ok.status, 200);
    } finally {
      assert.equal(await stop(p.child), 0);
    }
  });

  it('a development token is refused in oidc mode (401: no key of the issuer signed it)', async () => {
    const p = await serve(['--in-memory', '--auth', 'oidc', '--jwks-uri', `${idp.origin}/keys`]);
    try {
      const dev = run(['token', '--data-dir', '/nonexistent-but-unused']);
      assert.equal(dev.status, 0);
      const res = await fetch(`${p.url}/v1.0/security/threatIntelligence/intelProfiles`, { headers: { Authorization: `Bearer ${dev.stdout.trim()}` } });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { message: string } }).error.message, 'Access token validation failure. No signing key matches the token header (kid).');
    } finally {
      await stop(p.child);
    }
  });

  // Exit 2 for combinations tigraph refuses; 1 for what commander itself refuses while parsing (its own code).
  const refused: Array<[string, string[], string, number]> = [
    ['--auth oidc without an issuer or JWKS', ['--auth', 'oidc'], 'error: --auth oidc needs --issuer <url> (discovery) or --jwks-uri <url>', 2],
    ['--issuer without --auth oidc', ['--issuer', 'https://login.microsoftonline.com/common/v2.0'], 'error: --issuer applies only with --auth oidc', 2],
    ['--tenant and --audience without --auth oidc', ['--tenant', TID, '--audience', 'api://x'], 'error: --audience and --tenant apply only with --auth oidc', 2],
    ['an --issuer that is not a URL', ['--auth', 'oidc', '--issuer', 'contoso'], "error: --issuer must be a URL, not 'contoso'", 2],
    ['a --jwks-uri that is not http(s)', ['--auth', 'oidc', '--jwks-uri', 'file:///etc/passwd'], "error: option '--jwks-uri <url>' argument 'file:///etc/passwd' is invalid. --jwks-uri must be an http(s) URL, not 'file:///etc/passwd'", 1],
    ['an unknown --auth mode', ['--auth', 'saml'], "error: option '--auth <mode>' argument 'saml' is invalid. Allowed choices are dev, oidc.", 1],
  ];
  for (const [name, args, message, code] of refused) {
    it(`${name}: exit ${code} and "${message}"`, () => {
      const r = run(['serve', '--in-memory', '--port', '0', ...args]);
      assert.equal(r.status, code, r.stderr);
      assert.equal(r.stderr.split('\n')[0], message);
    });
  }
});

describe('tigraph token in oidc mode', () => {
  const message =
    'error: tigraph token mints development tokens, which a server in --auth oidc mode does not accept. ' +
    "Get a token from your identity provider instead (for Entra ID: az account get-access-token --resource <your API's app id URI>); " +
    'see "Running behind Entra ID or another OIDC provider" in the README.';
  it('--auth oidc: exit 2, says why, prints no token', () => {
    const r = run(['token', '--auth', 'oidc']);
    assert.deepEqual([r.status, r.stdout, r.stderr.trim()], [2, '', message]);
  });
  it('TIGRAPH_AUTH=oidc: the same', () => {
    const r = run(['token'], { TIGRAPH_AUTH: 'oidc' });
    assert.deepEqual([r.status, r.stdout, r.stderr.trim()], [2, '', message]);
  });
});
