/**
 * Issuer (`iss`) matching for `--auth oidc`: an accepted issuer is either exact or an Entra ID multi-tenant template
 * holding `{tenantid}` (as in the `issuer` of the `common`/`organizations` discovery documents and of the keys in
 * Entra's JWKS), which matches when the token's own `tid` filled in gives its `iss`. Entra ID issues v1 tokens
 * (`https://sts.windows.net/{tid}/`) or v2 tokens (`https://login.microsoftonline.com/{tid}/v2.0`) from the same
 * keys depending on the app registration's `accessTokenAcceptedVersion`, so each Entra issuer also accepts its twin.
 */
const TENANT_PLACEHOLDER = /\{tenantid\}/gi;
const HAS_PLACEHOLDER = /\{tenantid\}/i;
/** What a `tid` may look like to be substituted (a GUID or a tenant's domain name). */
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/;

const ENTRA_V2 = /^https:\/\/login\.microsoftonline\.com\/([^/]+)\/v2\.0\/?$/i;
const ENTRA_V1 = /^https:\/\/sts\.windows\.net\/([^/]+)\/?$/i;

/** The issuer and, for an Entra issuer, the other token version's issuer of the same tenant. */
export function issuerVariants(issuer: string): string[] {
  const v2 = ENTRA_V2.exec(issuer);
  if (v2) return [issuer, `https://sts.windows.net/${v2[1]}/`];
  const v1 = ENTRA_V1.exec(issuer);
  if (v1) return [issuer, `https://login.microsoftonline.com/${v1[1]}/v2.0`];
  return [issuer];
}

/** Whether the token's `iss` (with its `tid`) is the accepted issuer `pattern`. Exact: case and trailing slashes must agree. */
export function issuerMatches(pattern: string, iss: unknown, tid: unknown): boolean {
  if (typeof iss !== 'string') return false;
  if (!HAS_PLACEHOLDER.test(pattern)) return pattern === iss;
  if (typeof tid !== 'string' || !TENANT_ID.test(tid)) return false;
  return pattern.replace(TENANT_PLACEHOLDER, tid) === iss;
}
