/**
 * Bearer-token authentication (graph-protocol.md §6.1, §6.3 decision table): turns an `Authorization` header into a
 * `Principal` or throws one of the catalog's 401 errors — and never anything but an `ODataError`, whatever the input.
 *
 *   no header / empty / not the Bearer scheme / "Bearer " → errors.tokenMissing()     "Access token is empty."
 *   not a compact JWS (3 base64url parts, JSON header+payload) → errors.tokenMalformed() "CompactToken parsing failed…"
 *   bad signature / alg not allowed / unknown kid / wrong aud / wrong iss / no exp / no subject
 *                                                         → errors.tokenInvalid(detail) "Access token validation failure. …"
 *   exp passed                                            → errors.tokenExpired()     "Lifetime validation failed, the token is expired."
 *   nbf in the future                                     → errors.tokenInvalid("Lifetime validation failed, the token is not yet valid …")
 *   iat in the future (beyond the clock skew)             → errors.tokenInvalid("Lifetime validation failed, the token was issued in the future …")
 *   exp − (iat, else nbf, else now) over the maximum lifetime → errors.tokenInvalid("Lifetime validation failed, the token's lifetime … exceeds …")
 *
 * Keys come from a jose key-resolution function (`JWTVerifyGetKey`), so the local development key and a production
 * issuer are interchangeable: `--auth dev` uses `createTokenVerifier(signingKey)` (jose's `createLocalJWKSet` over
 * the key's public JWK); `--auth oidc` passes the resolver of oidc-verifier.ts (discovery, JWKS cache, issuers,
 * audiences, tenants). Tokens Entra issues *for Microsoft Graph* cannot be verified by anyone but Graph (§6.1), so
 * a production deployment registers its own API and passes its audience.
 *
 * Verified tokens are cached by their raw string (bounded LRU) until `exp`, so repeated requests with the same token
 * do no crypto; `exp` is re-checked on every cache hit with the same rule jose uses.
 */
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as jose,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { errors } from '../errors/catalog.js';
import { ODataError } from '../errors/odata-error.js';
import { issuerMatches } from './issuer-match.js';
import { GRAPH_AUDIENCE } from './mint-token.js';
import type { SigningKey } from './signing-key.js';

export interface Principal {
  /** `oid` (falling back to `sub`). */
  readonly subject: string;
  /** Application permissions (`roles`) and delegated scopes (`scp`) together. */
  readonly permissions: ReadonlySet<string>;
  /** `idtyp`, or inferred: a token with `scp` is a user token, otherwise an app token. */
  readonly kind: 'app' | 'user';
  /** `exp`, in seconds since the epoch (JWT NumericDate). */
  readonly expiresAt: number;
  /** `tid`, if present. */
  readonly tenantId: string | undefined;
  /** The calling application: `appid` (v1 tokens) or `azp` (v2 tokens), if present. */
  readonly clientId: string | undefined;
  /** `wids` (directory role template ids; §6.2 — delegated security API calls need e.g. Security Reader). */
  readonly directoryRoles: ReadonlySet<string>;
}

/** Resolves the verification key for a token from its protected header — jose's `createLocalJWKSet`/`createRemoteJWKSet`. */
export type KeyResolver = JWTVerifyGetKey;

export type TokenVerifier = (authorizationHeader: string | undefined) => Promise<Principal>;

export interface TokenVerifierOptions {
  /** Accepted `aud` values; default: the Graph audiences (§6.1). */
  audiences?: readonly string[];
  /**
   * Accepted `iss` values, exact or `{tenantid}` templates (issuer-match.ts); default: `https://sts.windows.net/<tid>/`
   * or `https://login.microsoftonline.com/<tid>/v2.0` for the token's own `tid`.
   */
  issuers?: readonly string[];
  /** Decides on `iss` (with the token's `tid`) instead of `issuers` (the OIDC verifier: its configured issuers). */
  acceptIssuer?: (iss: unknown, tid: unknown) => boolean;
  /** Accepted `tid` values (`--tenant`); default: any. */
  tenants?: readonly string[];
  /** Accepted JWS algorithms; default: the signing key's (ES256), or RS256 for a key resolver. */
  algorithms?: readonly string[];
  /** Allowed clock skew for exp, nbf and iat; default 300 (5 minutes). */
  clockToleranceSeconds?: number;
  /** Longest accepted lifetime, exp − iat (or nbf, or now); default DEFAULT_MAX_TOKEN_LIFETIME_SECONDS. */
  maxLifetimeSeconds?: number;
  /** Verified tokens kept in the cache; default 10 000; 0 disables caching. */
  cacheSize?: number;
  /** Longest accepted token (characters); longer ones are malformed. Default 16 384. */
  maxTokenLength?: number;
  /** Clock in milliseconds, for tests; default Date.now. */
  now?: () => number;
}

/** Clock skew allowed on exp/nbf/iat by default: 5 minutes (what Microsoft's token libraries allow). */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;
/**
 * Longest token lifetime accepted by default: 28 hours, the longest an Entra ID access token lives (tokens of
 * clients with continuous access evaluation live 20–28 h; ordinary ones 60–90 min). `tigraph token` mints 24 h.
 */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 28 * 3600;

/** The `aud` values Graph tokens carry (graph-protocol.md §6.1). */
export const GRAPH_AUDIENCES: readonly string[] = [GRAPH_AUDIENCE, `${GRAPH_AUDIENCE}/`, '00000003-0000-0000-c000-000000000000'];

/** A resolver over the public half of a local signing key (what `createTokenVerifier(key)` uses). */
export function localKeyResolver(key: SigningKey): KeyResolver {
  return createLocalJWKSet({ keys: [{ ...key.publicJwk }] });
}

/** Entra ID's v1 and v2 issuers of the token's own tenant: the default when no issuer is configured. */
const ENTRA_ISSUERS: readonly string[] = ['https://sts.windows.net/{tenantid}/', 'https://login.microsoftonline.com/{tenantid}/v2.0'];

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const NOT_YET_VALID = 'Lifetime validation failed, the token is not yet valid (nbf is in the future).';

function toODataError(e: unknown): ODataError {
  if (e instanceof ODataError) return e;
  if (e instanceof jose.JWTExpired) return errors.tokenExpired();
  if (e instanceof jose.JWTClaimValidationFailed) {
    switch (e.claim) {
      case 'nbf':
        return e.reason === 'check_failed' ? errors.tokenInvalid(NOT_YET_VALID) : errors.tokenInvalid('Invalid "nbf" claim.');
      case 'aud':
        return errors.tokenInvalid('Invalid audience.');
      case 'iss':
        return errors.tokenInvalid('Invalid issuer.');
      default:
        return errors.tokenInvalid(e.reason === 'missing' ? `The token has no "${e.claim}" claim.` : `Invalid "${e.claim}" claim.`);
    }
  }
  if (e instanceof jose.JWSSignatureVerificationFailed) return errors.tokenInvalid('Invalid signature.');
  if (e instanceof jose.JOSEAlgNotAllowed || e instanceof jose.JOSENotSupported) return errors.tokenInvalid('The signing algorithm is not allowed.');
  if (e instanceof jose.JWKSNoMatchingKey) return errors.tokenInvalid('No signing key matches the token header (kid).');
  if (e instanceof jose.JWKSMultipleMatchingKeys) return errors.tokenInvalid('Several signing keys match the token header (kid).');
  if (e instanceof jose.JWKSTimeout) return errors.serviceUnavailable('the token signing keys could not be fetched in time.');
  if (e instanceof jose.JWSInvalid || e instanceof jose.JWTInvalid) return errors.tokenMalformed();
  if (e instanceof jose.JOSEError) return errors.tokenInvalid('The token could not be validated.');
  return errors.internal(e);
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : []);

function toPrincipal(payload: JWTPayload): Principal {
  const subject = typeof payload.oid === 'string' && payload.oid !== '' ? payload.oid : payload.sub;
  if (typeof subject !== 'string' || subject === '') throw errors.tokenInvalid('The token has no subject (oid/sub).');
  const scp = typeof payload.scp === 'string' ? payload.scp.split(/\s+/).filter((s) => s !== '') : [];
  const kind = payload.idtyp === 'user' || payload.idtyp === 'app' ? payload.idtyp : typeof payload.scp === 'string' ? 'user' : 'app';
  return Object.freeze({
    subject,
    permissions: new Set([...strings(payload.roles), ...scp]),
    kind,
    expiresAt: payload.exp as number,
    tenantId: typeof payload.tid === 'string' ? payload.tid : undefined,
    clientId: typeof payload.appid === 'string' ? payload.appid : typeof payload.azp === 'string' ? payload.azp : undefined,
    directoryRoles: new Set(strings(payload.wids)),
  });
}

/** iat not in the future beyond the skew; exp − (iat, else nbf, else now) within the maximum lifetime. */
function checkLifetime(payload: JWTPayload, nowSeconds: number, tolerance: number, maxLifetime: number): void {
  if (payload.iat !== undefined && payload.iat > nowSeconds + tolerance) {
    throw errors.tokenInvalid('Lifetime validation failed, the token was issued in the future (iat is beyond the allowed clock skew).');
  }
  const start = payload.iat ?? payload.nbf ?? nowSeconds;
  const lifetime = (payload.exp as number) - start;
  if (lifetime > maxLifetime) {
    throw errors.tokenInvalid(`Lifetime validation failed, the token's lifetime (${lifetime} s) exceeds the maximum of ${maxLifetime} s.`);
  }
}

/** Extracts the token from `Authorization: Bearer <token>` (scheme case-insensitive); '' when there is none. */
function bearerToken(header: unknown): string {
  if (typeof header !== 'string') return '';
  const trimmed = header.trim();
  const gap = trimmed.search(/\s/);
  const scheme = gap < 0 ? trimmed : trimmed.slice(0, gap);
  if (scheme.toLowerCase() !== 'bearer') return '';
  return gap < 0 ? '' : trimmed.slice(gap).trim();
}

export function createTokenVerifier(keys: SigningKey | KeyResolver, options: TokenVerifierOptions = {}): TokenVerifier {
  const resolver: KeyResolver = typeof keys === 'function' ? keys : localKeyResolver(keys);
  const algorithms = [...(options.algorithms ?? (typeof keys === 'function' ? ['RS256'] : [keys.alg]))];
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const cacheSize = options.cacheSize ?? 10_000;
  const maxTokenLength = options.maxTokenLength ?? 16_384;
  const now = options.now ?? Date.now;
  const audiences = [...(options.audiences ?? GRAPH_AUDIENCES)];
  const issuers = options.issuers === undefined ? undefined : [...options.issuers];
  const tenants = options.tenants === undefined || options.tenants.length === 0 ? undefined : new Set(options.tenants);
  /** raw token → principal; Map iteration order is insertion order, so the first key is the least recently used. */
  const cache = new Map<string, Principal>();

  const verifyOptions = (): JWTVerifyOptions => ({
    algorithms,
    audience: audiences,
    clockTolerance: tolerance,
    currentDate: new Date(now()),
    requiredClaims: ['exp'],
  });

  async function verify(header: string | undefined): Promise<Principal> {
    const token = bearerToken(header);
    if (token === '') throw errors.tokenMissing();
    if (token.length > maxTokenLength) throw errors.tokenMalformed();

    const cached = cache.get(token);
    if (cached !== undefined) {
      if (cached.expiresAt <= Math.floor(now() / 1000) - tolerance) {
        cache.delete(token);
        throw errors.tokenExpired();
      }
      cache.delete(token);
      cache.set(token, cached);
      return cached;
    }

    if (!COMPACT_JWS.test(token)) throw errors.tokenMalformed();
    try {
      decodeProtectedHeader(token);
      decodeJwt(token);
    } catch {
      throw errors.tokenMalformed();
    }

    const { payload } = await jwtVerify(token, resolver, verifyOptions());
    const accepted = issuers ?? ENTRA_ISSUERS;
    const issuerOk = options.acceptIssuer
      ? options.acceptIssuer(payload.iss, payload.tid)
      : accepted.some((pattern) => issuerMatches(pattern, payload.iss, payload.tid));
    if (!issuerOk) throw errors.tokenInvalid('Invalid issuer.');
    if (tenants !== undefined && !(typeof payload.tid === 'string' && tenants.has(payload.tid))) {
      throw errors.tokenInvalid(typeof payload.tid === 'string' ? 'The tenant (tid) is not allowed.' : 'The token has no "tid" claim and only listed tenants are allowed.');
    }
    checkLifetime(payload, Math.floor(now() / 1000), tolerance, maxLifetime);
    const principal = toPrincipal(payload);
    if (cacheSize > 0) {
      cache.set(token, principal);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
    }
    return principal;
  }

  return async (authorizationHeader) => {
    try {
      return await verify(authorizationHeader);
    } catch (e) {
      throw toODataError(e);
    }
  };
}
