/**
 * The explorer on a server run with `--auth oidc` (issue 15): no local sign-in is offered (the server refuses it
 * too), the page asks for a token from the identity provider, and a pasted one reads the API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { entraV1AppClaims, startTestIssuer, type TestIssuer } from '../support/oidc-issuer.js';
import { announceSkip, assertClean, axeViolations, openExplorer, skipReason, type Explorer } from './explorer-harness.js';

const skip = skipReason();
if (skip) announceSkip(skip);

const TID = '0b2c3d4e-0000-4000-8000-0000000015ee';

describe('explorer in oidc mode in Chromium', { skip }, () => {
  let idp: TestIssuer;
  let e: Explorer;
  before(async () => {
    idp = await startTestIssuer();
    await idp.addKey('ui-key', 'RS256');
    e = await openExplorer(['--in-memory', '--auth', 'oidc', '--jwks-uri', `${idp.origin}/keys`, '--audience', 'api://tigraph']);
  });
  after(async () => {
    await e?.close();
    await idp?.close();
  });

  it('offers no one-click sign-in; a pasted token from the identity provider signs in', async () => {
    await e.page.goto(`${e.url}/`);
    await e.page.waitForSelector('label[for=pasted-token]');
    await e.page.waitForFunction(() => document.querySelector('label[for=pasted-token]')?.textContent === 'Access token from your identity provider');
    assert.equal(await e.page.$('#sign-in-locally'), null);
    assert.match((await e.page.textContent('.session .hint'))!, /az account get-access-token --resource api:\/\/tigraph/);
    await e.screenshot('explorer-oidc-sign-in');
    const axe = await axeViolations(e.page);
    console.log(`axe on oidc sign-in: ${axe.serious.length} serious/critical violations, ${axe.total} in all, ${axe.passes} rules passed`);
    assert.deepEqual(axe.serious, []);
    const token = await idp.sign('ui-key', entraV1AppClaims(TID));
    await e.page.fill('#pasted-token', token);
    await e.page.press('#pasted-token', 'Enter');
    await e.page.waitForSelector('#profiles-table tbody tr');
    assert.equal(await e.page.textContent('#profile-count'), '10 profiles');
    assert.equal(await e.page.evaluate(() => sessionStorage.getItem('tigraph.token')), token);
    assertClean(e, 'oidc sign-in');
  });
});
