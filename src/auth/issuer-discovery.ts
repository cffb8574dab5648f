/**
 * OpenID Connect discovery for `--issuer <url>`: reads `<url>/.well-known/openid-configuration` and takes its
 * `issuer` (the value tokens carry; Entra's multi-tenant documents give a `{tenantid}` template) and `jwks_uri`.
 * A configured issuer holding `{tenantid}` itself is discovered through Entra's `common` endpoint.
 */
export interface DiscoveredIssuer {
  /** The `issuer` of the document: what the tokens' `iss` must be (possibly a `{tenantid}` template). */
  readonly issuer: string;
  readonly jwksUri: string;
}

/** Where the discovery document of `issuer` lives. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\{tenantid\}/gi, 'common').replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** Fetches and checks the discovery document; throws an Error whose message says what is wrong. */
export async function discoverIssuer(issuer: string, timeoutMs: number): Promise<DiscoveredIssuer> {
  const url = discoveryUrl(issuer);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (e) {
    const reason = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? 'the request timed out' : (e as Error).message;
    throw new Error(`${url}: ${reason}`);
  }
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const doc = (await response.json().catch(() => undefined)) as { issuer?: unknown; jwks_uri?: unknown } | undefined;
  if (!doc || typeof doc.issuer !== 'string' || doc.issuer === '') throw new Error(`${url}: the document has no "issuer"`);
  if (typeof doc.jwks_uri !== 'string' || !URL.canParse(doc.jwks_uri)) throw new Error(`${url}: the document has no valid "jwks_uri"`);
  return { issuer: doc.issuer, jwksUri: doc.jwks_uri };
}
