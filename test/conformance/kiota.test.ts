/**
 * Conformance: Kiota (DefaultRequestAdapter from @microsoft/kiota-bundle, models of @microsoft/msgraph-beta-sdk) against tigraph over HTTPS with the generated dev CA.
 * The client code runs in child processes (clients/kiota-suite.ts: protocol behaviour; clients/kiota-types-suite.ts:
 * one response of every threatIntelligence entity type into its typed model) that trust the CA through
 * NODE_EXTRA_CA_CERTS only; each of their checks becomes a subtest here.
 */
import { after, before, test } from 'node:test';
import { startConformanceEnv, type ConformanceEnv } from './support/conformance-env.js';

let env: ConformanceEnv;
before(async () => {
  env = await startConformanceEnv();
});
after(() => env.close());

test('conformance: Kiota (kiota-bundle + msgraph-beta-sdk models) over HTTPS', async (t) => {
  await env.report(t, await env.runClientSuite('kiota-suite'));
});

test('conformance: Kiota typed models of every threatIntelligence entity type over HTTPS', async (t) => {
  await env.report(t, await env.runClientSuite('kiota-types-suite'));
});
