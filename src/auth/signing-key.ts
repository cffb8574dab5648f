/**
 * The development-mode token signing key: one ES256 (P-256) key pair per data directory, stored as a private JWK in
 * `<dataDir>/signing-key.json` (mode 0600) with `kid` = its RFC 7638 JWK thumbprint.
 *
 * - `loadOrCreateSigningKey(dataDir)` reads the file, or creates it on first use. Creation is race-free: the key is
 *   written to a private temp file and then *linked* into place (`link(2)` fails with EEXIST instead of replacing), so
 *   when two processes (say `tigraph serve` and `tigraph token`) start at once, exactly one key wins and the loser
 *   reads the winner's file. Both therefore return the same `kid`.
 * - `createEphemeralSigningKey()` is for `serve --in-memory`: the key lives only in that process, so `tigraph token`
 *   (a separate process) cannot mint tokens it accepts; such a server has to hand tokens out itself (e.g. print one
 *   at start-up) or be given a data dir.
 *
 * All crypto is done by `jose`; nothing here hand-rolls JWK/JWS handling.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export const SIGNING_KEY_FILE = 'signing-key.json';
export const SIGNING_ALG = 'ES256';

export interface SigningKey {
  /** JWK thumbprint (SHA-256, base64url) of the public key; sent as the JWS header `kid`. */
  readonly kid: string;
  readonly alg: typeof SIGNING_ALG;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** Public JWK including `kid`, `alg` and `use: "sig"` — what a JWKS endpoint would publish. */
  readonly publicJwk: Readonly<JWK>;
  /** The file the key was read from / written to; undefined for an ephemeral key. */
  readonly path: string | undefined;
}

const publicPart = (jwk: JWK): JWK => ({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });

async function fromPrivateJwk(jwk: JWK, path: string | undefined): Promise<SigningKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || typeof jwk.d !== 'string') {
    throw new Error(`${path ?? 'signing key'}: expected a private EC P-256 JWK (kty "EC", crv "P-256", x, y, d)`);
  }
  const kid = await calculateJwkThumbprint(publicPart(jwk), 'sha256');
  if (jwk.kid !== undefined && jwk.kid !== kid) {
    throw new Error(`${path ?? 'signing key'}: "kid" ${JSON.stringify(jwk.kid)} is not the JWK thumbprint of the key (${kid})`);
  }
  const privateKey = await importJWK({ ...publicPart(jwk), d: jwk.d }, SIGNING_ALG);
  const publicKey = await importJWK(publicPart(jwk), SIGNING_ALG);
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) throw new Error('unexpected symmetric key');
  const publicJwk: JWK = Object.freeze({ ...publicPart(jwk), kid, alg: SIGNING_ALG, use: 'sig' });
  return { kid, alg: SIGNING_ALG, privateKey, publicKey, publicJwk, path };
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPart(jwk), 'sha256');
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, kid, alg: SIGNING_ALG, use: 'sig' };
}

/** A key that exists only in this process (for `serve --in-memory`). */
export async function createEphemeralSigningKey(): Promise<SigningKey> {
  return fromPrivateJwk(await generatePrivateJwk(), undefined);
}

async function readKeyFile(path: string): Promise<SigningKey> {
  const text = await readFile(path, 'utf8');
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message}); delete it to generate a new signing key`);
  }
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) throw new Error(`${path}: expected a JSON object (a private JWK)`);
  return fromPrivateJwk(jwk as JWK, path);
}

const isCode = (e: unknown, ...codes: string[]): boolean =>
  typeof e === 'object' && e !== null && codes.includes((e as NodeJS.ErrnoException).code ?? '');

/**
 * Returns the signing key stored in `<dataDir>/signing-key.json`, creating the directory and the key on first use.
 * Safe to call concurrently from several processes: they all end up with the same key.
 */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const path = join(dataDir, SIGNING_KEY_FILE);
  try {
    return await readKeyFile(path);
  } catch (e) {
    if (!isCode(e, 'ENOENT')) throw e;
  }
  await mkdir(dataDir, { recursive: true });
  const jwk = await generatePrivateJwk();
  const temp = join(dataDir, `.${SIGNING_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    try {
      // link() never replaces an existing file: the first process to get here wins, every other one gets EEXIST.
      await link(temp, path);
    } catch (e) {
      if (isCode(e, 'EEXIST')) return await readKeyFile(path);
      if (!isCode(e, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK')) throw e;
      // The file system has no hard links: fall back to rename, which is atomic but replaces; re-check first so the
      // window in which two creators could both win is as small as possible.
      const exists = await stat(path).then(() => true, (err: unknown) => (isCode(err, 'ENOENT') ? false : Promise.reject(err)));
      if (exists) return await readKeyFile(path);
      await rename(temp, path);
      return await readKeyFile(path);
    }
    return await fromPrivateJwk(jwk, path);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
