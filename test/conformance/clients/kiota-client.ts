/**
 * What the Kiota client suites share: the `DefaultRequestAdapter` (@microsoft/kiota-bundle) with the real
 * `AzureIdentityAuthenticationProvider` (a fake credential, `allowedHosts` = tigraph's host), the ODataError mapping,
 * and `RequestInformation` built by hand from a generated URL template (the fluent `/security` request builders of
 * the msgraph-beta-sdk are not published on npm; graph-protocol.md §8.5–8.6).
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { HttpMethod, RequestInformation, type ErrorMappings, type RequestAdapter } from '@microsoft/kiota-abstractions';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import { DefaultRequestAdapter } from '@microsoft/kiota-bundle';
import { createODataErrorFromDiscriminatorValue, type ODataError } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';

export const errorMappings: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue };

type Credential = ConstructorParameters<typeof AzureIdentityAuthenticationProvider>[0];
export const authFor = (baseUrl: string, token: string): AzureIdentityAuthenticationProvider => {
  const credential: Credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  // kiota-abstractions 1.0.0-preview.109 matches allowed hosts by hostname only (new URL(url).hostname): no port.
  return new AzureIdentityAuthenticationProvider(credential, ['https://graph.microsoft.com/.default'], undefined, new Set([new URL(baseUrl).hostname]));
};

export const adapterFor = (baseUrl: string, token: string, version: string): RequestAdapter => {
  const adapter = new DefaultRequestAdapter(authFor(baseUrl, token));
  adapter.baseUrl = `${baseUrl}/${version}`;
  return adapter;
};

export function request(
  template: string,
  path: Record<string, string> = {},
  query: RequestInformation['queryParameters'] = {},
  headers: Record<string, string> = {},
  accept = 'application/json',
): RequestInformation {
  const ri = new RequestInformation(HttpMethod.GET, template);
  Object.assign(ri.pathParameters, path);
  Object.assign(ri.queryParameters, query);
  ri.headers.tryAdd('Accept', accept);
  for (const [k, v] of Object.entries(headers)) ri.headers.tryAdd(k, v);
  return ri;
}

export async function expectODataError(p: Promise<unknown>): Promise<ODataError> {
  try {
    await p;
  } catch (e) {
    const err = e as ODataError;
    if (!err?.errorEscaped) assert.fail(`expected an ODataError (a parsed Graph error body), got ${inspect(e)}`);
    return err;
  }
  assert.fail('the request succeeded; expected an ODataError');
}

/** Keys Kiota could not map to a typed property (only OData control information may be left). */
export const unmapped = (m: { additionalData?: Record<string, unknown> | null }): string[] => Object.keys(m.additionalData ?? {}).filter((k) => !k.startsWith('@odata.'));
