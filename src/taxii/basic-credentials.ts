/**
 * HTTP Basic credentials for TAXII consumers that support nothing else (Microsoft Sentinel's TAXII connector):
 * `--taxii-user <name>:<password>:<read|write>` and/or `<data-dir>/taxii-users.json`, each user mapped to
 * ThreatIntelligence.Read.All or .ReadWrite.All. Passwords are stored and kept only as scrypt hashes (node:crypto,
 * a memory-hard KDF; no third-party code needed): users given by flag are hashed at start and written to the file
 * (unless the server runs in memory), and passwords are never logged. Verification compares in constant time and
 * caches successful checks briefly (scrypt is deliberately slow; pollers send the same header every request).
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { READ, WRITE } from '../auth/require-permission.js';

export const TAXII_USERS_FILE = 'taxii-users.json';
const PARAMS = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

export interface TaxiiUser {
  readonly username: string;
  readonly permission: 'read' | 'write';
  /** `scrypt$N$r$p$<salt b64>$<hash b64>`. */
  readonly password_hash: string;
}

const scrypt = (password: string, salt: Buffer, keylen: number, o: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(password, salt, keylen, o, (e, k) => (e ? reject(e) : resolve(k))));

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS.keylen, { N: PARAMS.N, r: PARAMS.r, p: PARAMS.p });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * Number(n) * Number(r) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Parses `name:password:read|write` (the password may contain ':'). */
export function parseUserSpec(spec: string): { username: string; password: string; permission: 'read' | 'write' } {
  const first = spec.indexOf(':');
  const last = spec.lastIndexOf(':');
  const permission = spec.slice(last + 1);
  if (first <= 0 || last === first || (permission !== 'read' && permission !== 'write')) throw new Error(`--taxii-user expects <name>:<password>:<read|write>`);
  return { username: spec.slice(0, first), password: spec.slice(first + 1, last), permission };
}

/** The users of the data directory's file, plus (hashed, and saved there unless `persist` is false) those of the flag. */
export async function loadTaxiiUsers(dataDir: string, specs: readonly string[], persist: boolean): Promise<TaxiiUser[]> {
  const file = join(dataDir, TAXII_USERS_FILE);
  let users: TaxiiUser[] = [];
  try {
    users = JSON.parse(await readFile(file, 'utf8')) as TaxiiUser[];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file}: ${(e as Error).message}`);
  }
  if (specs.length === 0) return users;
  for (const spec of specs) {
    const { username, password, permission } = parseUserSpec(spec);
    users = [...users.filter((u) => u.username !== username), { username, permission, password_hash: await hashPassword(password) }];
  }
  if (persist) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  }
  return users;
}

export interface BasicVerifier {
  /** The permissions of the user the `Basic …` header names, or undefined when it does not verify. */
  (authorization: string): Promise<ReadonlySet<string> | undefined>;
}

export function createBasicVerifier(users: readonly TaxiiUser[]): BasicVerifier {
  const ok = new Map<string, { permissions: ReadonlySet<string>; until: number }>();
  return async (authorization) => {
    const digest = createHash('sha256').update(authorization).digest('hex');
    const cached = ok.get(digest);
    if (cached && cached.until > Date.now()) return cached.permissions;
    const decoded = Buffer.from(authorization.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const user = users.find((u) => u.username === decoded.slice(0, colon));
    if (!user || !(await verifyPassword(decoded.slice(colon + 1), user.password_hash))) return undefined;
    const permissions = new Set([user.permission === 'write' ? WRITE : READ]);
    if (ok.size > 1000) ok.clear();
    ok.set(digest, { permissions, until: Date.now() + 60_000 });
    return permissions;
  };
}
