/**
 * `--auth oidc`: tokens from Microsoft Entra ID or any OpenID Connect issuer (Keycloak, Okta, Auth0 …), verified
 * against the issuer's published keys — the token verifier of verify-token.ts with a key resolver that picks the
 * issuer by the token's `iss` (and `tid`, for `{tenantid}` templates) and asks that issuer's JWKS cache for the key.
 *
 *   --issuer <url> (repeatable)  discovery: <url>/.well-known/openid-configuration → issuer (exact or template), jwks_uri
 *   --jwks-uri <url>             keys from there directly; `iss` must then be one of --issuer (no discovery), else
 *                                Entra's issuers of the token's own tid
 *
 * Discovery runs at startup; an issuer whose document cannot be read is retried at most every 30 s when one of its
 * tokens arrives, and its tokens get 503 meanwhile (so an identity-provider outage at startup does not stop the
 * server, and a refused token never turns into a 500). A token whose `iss` is no configured issuer gets 401 before
 * any network request, so a caller cannot make tigraph fetch URLs of its choosing.
 */
import { errors } from '../errors/catalog.js';
import { discoverIssuer } from './issuer-discovery.js';
import { issuerMatches, issuerVariants } from './issuer-match.js';
import { createJwksCache, type JwksCache } from './jwks-cache.js';
import { createTokenVerifier, type KeyResolver, type TokenVerifier, type TokenVerifierOptions } from './verify-token.js';

export interface OidcOptions {
  /** `--issuer`: discovered unless `jwksUri` is given, then only the accepted `iss` values. */
  readonly issuers: readonly string[];
  /** `--jwks-uri`: keys from here, no discovery. */
  readonly jwksUri?: string;
  /** Refetch of a JWKS on an unknown kid, and retry of a failed discovery, at most this often; default 30 000 ms. */
  readonly minRefreshIntervalMs?: number;
  /** Timeout of each discovery or JWKS request; default 5 000 ms. */
  readonly fetchTimeoutMs?: number;
}

export interface OidcVerifier {
  readonly verify: TokenVerifier;
  /** Runs discovery and the first key fetch; resolves to one line per issuer for the banner (never rejects). */
  start(): Promise<string[]>;
}

/** One configured issuer and, once discovered, its keys. */
interface IssuerSource {
  readonly configured: string;
  patterns: string[];
  keys: JwksCache | undefined;
  failure: string | undefined;
  attemptedAt: number;
  discovering: Promise<void> | undefined;
}

/** The algorithms Entra ID and common OIDC issuers sign with. */
export const OIDC_ALGORITHMS: readonly string[] = ['RS256', 'PS256', 'ES256'];

/** `iss` and `tid` of a token's payload segment, unverified (only to choose the issuer; the signature is checked next). */
function claimsOf(payloadSegment: unknown): { iss: unknown; tid: unknown } {
  try {
    const payload = JSON.parse(Buffer.from(String(payloadSegment), 'base64url').toString('utf8')) as Record<string, unknown>;
    return { iss: payload.iss, tid: payload.tid };
  } catch {
    return { iss: undefined, tid: undefined };
  }
}

const countKeys = (keys: JwksCache): string => `${keys.kids().length} key${keys.kids().length === 1 ? '' : 's'}`;

const sameOrigin = (a: string, b: string): boolean => URL.canParse(a) && URL.canParse(b) && new URL(a).origin === new URL(b).origin;

export function createOidcVerifier(oidc: OidcOptions, options: Omit<TokenVerifierOptions, 'issuers' | 'acceptIssuer'> = {}): OidcVerifier {
  const retryMs = oidc.minRefreshIntervalMs ?? 30_000;
  const timeoutMs = oidc.fetchTimeoutMs ?? 5_000;
  const cacheOptions = { minRefreshIntervalMs: retryMs, fetchTimeoutMs: timeoutMs };
  const algorithms = options.algorithms ?? OIDC_ALGORITHMS;

  if (oidc.jwksUri !== undefined) {
    const keys = createJwksCache(oidc.jwksUri, cacheOptions);
    const issuers = oidc.issuers.length > 0 ? oidc.issuers.flatMap(issuerVariants) : undefined;
    return {
      verify: createTokenVerifier(keys.resolve, { ...options, algorithms, ...(issuers ? { issuers } : {}) }),
      async start() {
        const ok = await keys.prefetch();
        const accepted = issuers ? issuers.join(', ') : "Entra ID's issuers of each token's tenant";
        return [ok ? `keys ${oidc.jwksUri} (${countKeys(keys)}); issuers ${accepted}` : `warning: the keys at ${oidc.jwksUri} could not be fetched yet; tokens get 503 until they can`];
      },
    };
  }

  const sources: IssuerSource[] = oidc.issuers.map((configured) => ({
    configured,
    patterns: issuerVariants(configured),
    keys: undefined,
    failure: undefined,
    attemptedAt: Number.NEGATIVE_INFINITY,
    discovering: undefined,
  }));

  function discover(source: IssuerSource): Promise<void> {
    if (source.discovering) return source.discovering;
    source.attemptedAt = Date.now();
    source.discovering = discoverIssuer(source.configured, timeoutMs)
      .then((found) => {
        if (!sameOrigin(found.issuer, source.configured)) throw new Error(`the document names another issuer (${found.issuer})`);
        source.patterns = issuerVariants(found.issuer);
        source.keys = createJwksCache(found.jwksUri, cacheOptions);
        source.failure = undefined;
      })
      .catch((e: unknown) => {
        source.failure = (e as Error).message;
      })
      .finally(() => {
        source.discovering = undefined;
      });
    return source.discovering;
  }

  const sourceOf = (iss: unknown, tid: unknown): IssuerSource | undefined => sources.find((s) => s.patterns.some((p) => issuerMatches(p, iss, tid)));

  const resolve: KeyResolver = async (header, token) => {
    const { iss, tid } = claimsOf(token.payload);
    const source = sourceOf(iss, tid);
    if (!source) throw errors.tokenInvalid('Invalid issuer.');
    if (!source.keys && Date.now() - source.attemptedAt >= retryMs) await discover(source);
    if (!source.keys) throw errors.serviceUnavailable(`the OpenID configuration of ${source.configured} could not be read (${source.failure ?? 'not read yet'}).`);
    return source.keys.resolve(header, token);
  };

  return {
    verify: createTokenVerifier(resolve, { ...options, algorithms, acceptIssuer: (iss, tid) => sourceOf(iss, tid) !== undefined }),
    async start() {
      await Promise.all(sources.map((s) => discover(s)));
      return Promise.all(
        sources.map(async (s) => {
          if (!s.keys) return `warning: issuer ${s.configured}: ${s.failure ?? 'not discovered'}; its tokens get 503 until discovery succeeds`;
          const ok = await s.keys.prefetch();
          return ok
            ? `issuer ${s.patterns.join(' | ')} (${countKeys(s.keys)})`
            : `warning: issuer ${s.configured}: its keys could not be fetched yet; its tokens get 503 until they can`;
        }),
      );
    },
  };
}
