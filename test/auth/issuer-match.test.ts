import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { issuerMatches, issuerVariants } from '../../src/auth/issuer-match.js';
import { discoveryUrl } from '../../src/auth/issuer-discovery.js';

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('issuerMatches', () => {
  it('exact issuers match only themselves, trailing slash and case included', () => {
    assert.equal(issuerMatches(`https://sts.windows.net/${TID}/`, `https://sts.windows.net/${TID}/`, TID), true);
    assert.equal(issuerMatches(`https://sts.windows.net/${TID}/`, `https://sts.windows.net/${TID}`, TID), false);
    assert.equal(issuerMatches('https://idp.example/realms/a', 'https://IDP.example/realms/a', undefined), false);
    assert.equal(issuerMatches('https://idp.example/realms/a', undefined, undefined), false);
  });
  it('{tenantid} templates take the token\'s own tid, and only a tid that looks like one', () => {
    const template = 'https://login.microsoftonline.com/{tenantid}/v2.0';
    assert.equal(issuerMatches(template, `https://login.microsoftonline.com/${TID}/v2.0`, TID), true);
    assert.equal(issuerMatches(template, `https://login.microsoftonline.com/${TID}/v2.0`, '00000000-0000-0000-0000-000000000001'), false);
    assert.equal(issuerMatches(template, 'https://login.microsoftonline.com/a/b/v2.0', 'a/b'), false);
    assert.equal(issuerMatches(template, 'https://login.microsoftonline.com//v2.0', ''), false);
    assert.equal(issuerMatches(template, `https://login.microsoftonline.com/${TID}/v2.0`, 42), false);
  });
});

describe('issuerVariants', () => {
  it('an Entra v2 issuer also accepts the v1 issuer of the same tenant, and the other way round', () => {
    assert.deepEqual(issuerVariants(`https://login.microsoftonline.com/${TID}/v2.0`), [`https://login.microsoftonline.com/${TID}/v2.0`, `https://sts.windows.net/${TID}/`]);
    assert.deepEqual(issuerVariants(`https://sts.windows.net/${TID}/`), [`https://sts.windows.net/${TID}/`, `https://login.microsoftonline.com/${TID}/v2.0`]);
    assert.deepEqual(issuerVariants('https://login.microsoftonline.com/{tenantid}/v2.0'), ['https://login.microsoftonline.com/{tenantid}/v2.0', 'https://sts.windows.net/{tenantid}/']);
  });
  it('other issuers stand alone', () => {
    assert.deepEqual(issuerVariants('https://keycloak.example/realms/intel'), ['https://keycloak.example/realms/intel']);
  });
});

describe('discoveryUrl', () => {
  it('appends the well-known path once, and discovers a {tenantid} issuer through common', () => {
    assert.equal(discoveryUrl('https://keycloak.example/realms/intel/'), 'https://keycloak.example/realms/intel/.well-known/openid-configuration');
    assert.equal(discoveryUrl('https://login.microsoftonline.com/{tenantid}/v2.0'), 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration');
  });
});
