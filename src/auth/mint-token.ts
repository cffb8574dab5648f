/**
 * Mints development access tokens shaped like Microsoft Graph v1 access tokens (graph-protocol.md §6.1):
 * `aud` https://graph.microsoft.com, `iss` https://sts.windows.net/<tid>/, `tid`, `oid`/`sub`, `iat`/`nbf`/`exp`,
 * `ver` "1.0", `appid`/`appidacr`, and either `roles` (application permissions, `idtyp` "app") or `scp`
 * (space-separated delegated scopes, `idtyp` "user"). Signed ES256 with the local signing key; header `kid`.
 * (Real Graph tokens are RS256 and carry a `nonce` header so nobody else can verify them; ours are meant to be
 * verified by tigraph.)
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { READ } from './require-permission.js';
import type { SigningKey } from './signing-key.js';

/** Fixed tenant id of development tokens: "tigraph" and "local" spelled in hex, shaped as a GUID. */
export const DEFAULT_TENANT_ID = '74696772-6170-6800-0000-6c6f63616c00';
/** `appid` of development tokens (the "client application"): "client" in hex in the last group. */
export const DEFAULT_APP_ID = '74696772-6170-6800-0000-636c69656e74';
/** Default `oid`/`sub`: "object" in hex in the last group. */
export const DEFAULT_SUBJECT = '74696772-6170-6800-0000-6f626a656374';
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
/** Entra built-in role template id of "Security Reader"; put in `wids` of delegated tokens (§6.2). */
export const SECURITY_READER_ROLE_ID = '5d6b6bb7-de71-4623-b4af-96380a352509';

export const issuerFor = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;

export interface MintTokenOptions {
  /** Application permissions (`roles`). Default: [ThreatIntelligence.Read.All] unless `scopes` is given, then none. */
  roles?: string[];
  /** Delegated permissions (`scp`). Giving this makes a user token (`idtyp` "user"). */
  scopes?: string[];
  /** Lifetime from now; default 3600. Zero or negative mints an already-expired token (for tests). */
  expiresInSeconds?: number;
  /** `nbf` offset from now; default 0. Positive mints a token that is not yet valid (for tests). */
  notBeforeInSeconds?: number;
  /** `oid` and `sub`; default DEFAULT_SUBJECT. */
  subject?: string;
  tenantId?: string;
  audience?: string;
  appId?: string;
  /** Directory role template ids (`wids`); default [Security Reader] for user tokens, none for app tokens. */
  directoryRoles?: string[];
  /** Clock in milliseconds, for tests; default Date.now. */
  now?: () => number;
}

/** Builds the claim set `mintToken` signs (exported so `tigraph token --json` and tests can show it). */
export function buildClaims(options: MintTokenOptions = {}): JWTPayload {
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  const tid = options.tenantId ?? DEFAULT_TENANT_ID;
  const subject = options.subject ?? DEFAULT_SUBJECT;
  const delegated = options.scopes !== undefined;
  const roles = options.roles ?? (delegated ? [] : [READ]);
  const wids = options.directoryRoles ?? (delegated ? [SECURITY_READER_ROLE_ID] : []);
  const claims: JWTPayload = {
    aud: options.audience ?? GRAPH_AUDIENCE,
    iss: issuerFor(tid),
    iat: now,
    nbf: now + (options.notBeforeInSeconds ?? 0),
    exp: now + (options.expiresInSeconds ?? 3600),
    appid: options.appId ?? DEFAULT_APP_ID,
    appidacr: '1',
    idtyp: delegated ? 'user' : 'app',
    oid: subject,
    sub: subject,
    tid,
    uti: randomUUID().replace(/-/g, ''),
    ver: '1.0',
  };
  if (delegated) claims.scp = (options.scopes ?? []).join(' ');
  if (roles.length > 0) claims.roles = [...roles];
  if (wids.length > 0) claims.wids = [...wids];
  return claims;
}

/** Signs a Graph-v1-shaped access token with `key`. */
export async function mintToken(key: SigningKey, options: MintTokenOptions = {}): Promise<string> {
  return new SignJWT(buildClaims(options)).setProtectedHeader({ typ: 'JWT', alg: key.alg, kid: key.kid }).sign(key.privateKey);
}
