/**
 * The signing keys of one issuer, fetched from its JWKS endpoint and kept: a jose key resolver (`KeyResolver`) for
 * `createTokenVerifier` in `--auth oidc` mode.
 *
 *   known kid              → its key, no network (keys are imported with jose's `importJWK` once per kid and alg)
 *   unknown kid            → one refetch (at most once per `minRefreshIntervalMs`, default 30 s; concurrent requests
 *                            share the fetch), so a key rotation works without a restart; still unknown → 401
 *   endpoint down / slow   → 503 for a kid not yet known; keys already fetched keep working
 *   keys older than maxAge → refetched in the background on the next use (removed keys then stop working)
 *
 * Hand-written on purpose: jose's own `createRemoteJWKSet` refetches once its cache age passes and then throws while
 * the endpoint is down, so tokens signed with a key it had fetched would stop working during an identity-provider
 * outage — the opposite of what the issue (12) asks. Fetching, parsing and key import are still jose and fetch.
 */
import { importJWK, type JWK, type JWTHeaderParameters } from 'jose';
import { errors } from '../errors/catalog.js';
import type { KeyResolver } from './verify-token.js';

export interface JwksCacheOptions {
  /** Refetch on an unknown kid at most this often; default 30 000 ms. */
  readonly minRefreshIntervalMs?: number;
  /** Refetch in the background once the keys are this old; default 1 h. */
  readonly maxAgeMs?: number;
  /** Abort a fetch after this long; default 5 000 ms. */
  readonly fetchTimeoutMs?: number;
  /** Clock in milliseconds, for tests; default Date.now. */
  readonly now?: () => number;
}

export interface JwksCache {
  readonly resolve: KeyResolver;
  /** Fetches now (startup); resolves false, never rejects, when the endpoint cannot be reached. */
  prefetch(): Promise<boolean>;
  /** The kids currently held. */
  kids(): string[];
}

type KeyObject = Awaited<ReturnType<typeof importJWK>>;

/** The key types each accepted algorithm needs. */
const KEY_TYPE: Readonly<Record<string, { kty: string; crv?: string }>> = {
  RS256: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
};

/** Why a fetch failed, in words for the 503 message (no stack, no internals). */
function describeFailure(e: unknown): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'the request timed out';
  if (e instanceof Error && e.message) return e.message;
  return 'unknown error';
}

async function fetchKeys(uri: string, timeoutMs: number): Promise<JWK[]> {
  const response = await fetch(uri, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' }, redirect: 'follow' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json().catch(() => undefined)) as { keys?: unknown } | undefined;
  if (!body || !Array.isArray(body.keys)) throw new Error('the answer is not a JSON Web Key Set');
  return body.keys.filter((k): k is JWK => typeof k === 'object' && k !== null && typeof (k as JWK).kty === 'string');
}

/** Whether `jwk` may verify a token signed with `alg`. */
function suits(jwk: JWK, alg: string): boolean {
  const need = KEY_TYPE[alg];
  if (!need || jwk.kty !== need.kty) return false;
  if (need.crv !== undefined && jwk.crv !== need.crv) return false;
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  return jwk.alg === undefined || jwk.alg === alg;
}

export function createJwksCache(jwksUri: string, options: JwksCacheOptions = {}): JwksCache {
  const minRefresh = options.minRefreshIntervalMs ?? 30_000;
  const maxAge = options.maxAgeMs ?? 3_600_000;
  const timeout = options.fetchTimeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  let keys: JWK[] = [];
  let fetchedAt = Number.NEGATIVE_INFINITY; // last successful fetch
  let attemptedAt = Number.NEGATIVE_INFINITY; // last attempt, successful or not
  let lastFailure: string | undefined;
  let inflight: Promise<void> | undefined;
  const imported = new Map<string, Promise<KeyObject>>();

  function refresh(): Promise<void> {
    if (inflight) return inflight;
    attemptedAt = now();
    inflight = fetchKeys(jwksUri, timeout)
      .then((fresh) => {
        keys = fresh;
        fetchedAt = now();
        lastFailure = undefined;
        imported.clear();
      })
      .catch((e: unknown) => {
        lastFailure = describeFailure(e);
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  function find(header: JWTHeaderParameters): JWK[] {
    const alg = header.alg;
    return keys.filter((k) => suits(k, alg) && (header.kid === undefined || k.kid === header.kid));
  }

  async function resolve(header: JWTHeaderParameters): Promise<KeyObject> {
    if (!KEY_TYPE[header.alg]) throw errors.tokenInvalid('The signing algorithm is not allowed.');
    let candidates = find(header);
    if (candidates.length === 0 && now() - attemptedAt >= minRefresh) {
      await refresh();
      candidates = find(header);
    } else if (candidates.length > 0 && now() - fetchedAt >= maxAge) {
      void refresh(); // background: the key in hand keeps working meanwhile
    }
    if (candidates.length === 0) {
      if (fetchedAt === Number.NEGATIVE_INFINITY || lastFailure !== undefined) {
        throw errors.serviceUnavailable(`the token signing keys could not be fetched from ${jwksUri} (${lastFailure ?? 'not fetched yet'}).`);
      }
      throw errors.tokenInvalid('No signing key matches the token header (kid).');
    }
    if (candidates.length > 1) throw errors.tokenInvalid('Several signing keys match the token header (kid).');
    const jwk = candidates[0] as JWK;
    const cacheKey = `${jwk.kid ?? ''}\u0000${header.alg}`;
    let key = imported.get(cacheKey);
    if (!key) {
      key = importJWK(jwk, header.alg) as Promise<KeyObject>;
      imported.set(cacheKey, key);
    }
    try {
      return await key;
    } catch {
      imported.delete(cacheKey);
      throw errors.tokenInvalid('The signing key in the issuer\'s key set cannot be used.');
    }
  }

  return {
    resolve: (header) => resolve(header),
    async prefetch() {
      await refresh();
      return lastFailure === undefined;
    },
    kids: () => keys.map((k) => k.kid ?? '').filter((k) => k !== ''),
  };
}
