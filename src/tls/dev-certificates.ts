/**
 * TLS material for `tigraph serve --https`.
 *
 * - `loadOrCreateDevCertificates(dataDir)`: a development certificate authority and a server certificate for
 *   `localhost`, `127.0.0.1` and `::1`, generated once into `<dataDir>/tls/` and reused afterwards:
 *     ca.crt      the CA certificate (PEM) — the file clients trust (`NODE_EXTRA_CA_CERTS=<dataDir>/tls/ca.crt`)
 *     ca.key      the CA private key (PEM, mode 0600) — kept so the server certificate can be re-issued
 *     server.crt  the server certificate (PEM), issued by the CA
 *     server.key  the server private key (PEM, mode 0600)
 *   First creation is race-free: all four files are written into a private temp directory that is then renamed to
 *   `tls/` (rename fails when another process got there first; the loser reads the winner's files). When the server
 *   certificate is missing, expires within RENEW_BEFORE_DAYS, does not cover the three loopback names or does not
 *   match its key, it is re-issued by the same CA (so a CA that users already trust stays valid). When the CA itself
 *   is unusable (unreadable, expiring, key mismatch), the error says to delete the directory.
 * - `loadCertificateFiles(certPath, keyPath)`: `--cert`/`--key` given by the user, checked to be a PEM certificate
 *   (chain) and its matching private key.
 *
 * Certificates and keys are made by node-forge (RSA 2048, SHA-256; forge uses Node's native key generation);
 * checks use Node's `X509Certificate`. Nothing here hand-rolls cryptography.
 */
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export const TLS_DIR = 'tls';
export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const SERVER_CERT_FILE = 'server.crt';
export const SERVER_KEY_FILE = 'server.key';

/** Names the development server certificate covers (subjectAltName). */
export const DEV_DNS_NAMES: readonly string[] = ['localhost'];
export const DEV_IP_ADDRESSES: readonly string[] = ['127.0.0.1', '::1'];

const CA_VALIDITY_DAYS = 3650;
/** Below the 825-day limit macOS/iOS apply to certificates from user-trusted CAs. */
const SERVER_VALIDITY_DAYS = 365;
const RENEW_BEFORE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface DevCertificates {
  /** Absolute path of the CA certificate to trust (NODE_EXTRA_CA_CERTS, OS trust store). */
  readonly caCertPath: string;
  readonly caCertPem: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** Server certificate (PEM) for `https.createServer({ cert })`. */
  readonly certPem: string;
  /** Server private key (PEM) for `https.createServer({ key })`. */
  readonly keyPem: string;
  /** What this call did: created CA and server certificate, re-issued the server certificate, or reused both. */
  readonly action: 'created' | 'renewed' | 'reused';
  /** SHA-256 fingerprint of the CA certificate (for the banner / manual verification). */
  readonly caFingerprint256: string;
  readonly serverValidTo: Date;
}

export interface CertificateFiles {
  readonly certPem: string;
  readonly keyPem: string;
}

interface KeyAndCert {
  readonly keyPem: string;
  readonly certPem: string;
}

const isCode = (e: unknown, ...codes: string[]): boolean =>
  typeof e === 'object' && e !== null && codes.includes((e as NodeJS.ErrnoException).code ?? '');

/** A positive serial number of 16 random bytes (RFC 5280 §4.1.2.2: at most 20 octets, positive). */
const serialNumber = (): string => `01${randomBytes(15).toString('hex')}`;

const sha256Of = (pem: string): string => new X509Certificate(pem).fingerprint256;

function newKeyPair(): forge.pki.rsa.KeyPair {
  return forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
}

function createCa(now: Date): KeyAndCert {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS);
  const subject = [
    { name: 'commonName', value: `tigraph development CA (${hostname().slice(0, 40)}, ${now.toISOString().slice(0, 10)})` },
    { name: 'organizationName', value: 'tigraph (development only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(keys.privateKey), certPem: forge.pki.certificateToPem(cert) };
}

function issueServerCertificate(ca: KeyAndCert, now: Date): KeyAndCert {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  const notAfter = Math.min(now.getTime() + SERVER_VALIDITY_DAYS * DAY_MS, caCert.validity.notAfter.getTime());
  cert.validity.notAfter = new Date(notAfter);
  cert.setSubject([
    { name: 'commonName', value: 'localhost' },
    { name: 'organizationName', value: 'tigraph (development only)' },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...DEV_DNS_NAMES.map((value) => ({ type: 2, value })), ...DEV_IP_ADDRESSES.map((ip) => ({ type: 7, ip }))],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(keys.privateKey), certPem: forge.pki.certificateToPem(cert) };
}

/** Why a CA cannot be used, or undefined when it can. */
function caProblem(ca: KeyAndCert, now: Date): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(ca.certPem);
  } catch (e) {
    return `the CA certificate cannot be parsed (${(e as Error).message})`;
  }
  if (!cert.ca) return 'the CA certificate is not a CA certificate';
  if (!cert.checkPrivateKey(createPrivateKey(ca.keyPem))) return 'the CA key does not match the CA certificate';
  if (new Date(cert.validTo).getTime() - now.getTime() < (RENEW_BEFORE_DAYS + 1) * DAY_MS) return `the CA certificate expires on ${cert.validTo}`;
  return undefined;
}

/** Why a server certificate must be re-issued, or undefined when it is fine. */
function serverProblem(server: KeyAndCert, caCertPem: string, now: Date): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(server.certPem);
  } catch (e) {
    return `cannot be parsed (${(e as Error).message})`;
  }
  const caCert = new X509Certificate(caCertPem);
  if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return 'not issued by the CA';
  try {
    if (!cert.checkPrivateKey(createPrivateKey(server.keyPem))) return 'does not match its key';
  } catch (e) {
    return `key cannot be parsed (${(e as Error).message})`;
  }
  if (new Date(cert.validFrom).getTime() > now.getTime()) return 'not yet valid';
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return `expires on ${cert.validTo}`;
  for (const name of DEV_DNS_NAMES) if (!cert.checkHost(name, { subject: 'never' })) return `does not cover ${name}`;
  for (const ip of DEV_IP_ADDRESSES) if (!cert.checkIP(ip)) return `does not cover ${ip}`;
  return undefined;
}

/** Writes a file atomically (temp file in the same directory, then rename). */
async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function readPair(dir: string, keyFile: string, certFile: string): Promise<KeyAndCert | undefined> {
  try {
    const [keyPem, certPem] = await Promise.all([readFile(join(dir, keyFile), 'utf8'), readFile(join(dir, certFile), 'utf8')]);
    return { keyPem, certPem };
  } catch (e) {
    if (isCode(e, 'ENOENT')) return undefined;
    throw e;
  }
}

/** Creates `<dataDir>/tls` with a new CA and server certificate; false when another process created it first. */
async function createTlsDir(dataDir: string, dir: string, now: Date): Promise<boolean> {
  const ca = createCa(now);
  const server = issueServerCertificate(ca, now);
  const tmp = join(dataDir, `.tls-${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(tmp, { mode: 0o700 });
  try {
    await writeFile(join(tmp, CA_KEY_FILE), ca.keyPem, { mode: 0o600 });
    await writeFile(join(tmp, CA_CERT_FILE), ca.certPem, { mode: 0o644 });
    await writeFile(join(tmp, SERVER_KEY_FILE), server.keyPem, { mode: 0o600 });
    await writeFile(join(tmp, SERVER_CERT_FILE), server.certPem, { mode: 0o644 });
    await rename(tmp, dir);
    return true;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (isCode(e, 'EEXIST', 'ENOTEMPTY', 'EISDIR')) return false;
    throw e;
  }
}

/**
 * Returns the development CA and server certificate of `dataDir`, creating them on first use (see the module
 * comment). `now` is for tests.
 */
export async function loadOrCreateDevCertificates(dataDir: string, now: Date = new Date()): Promise<DevCertificates> {
  const dir = join(dataDir, TLS_DIR);
  await mkdir(dataDir, { recursive: true });
  let action: DevCertificates['action'] = 'reused';
  let ca = await readPair(dir, CA_KEY_FILE, CA_CERT_FILE);
  if (!ca) {
    if (await createTlsDir(dataDir, dir, now)) action = 'created';
    ca = await readPair(dir, CA_KEY_FILE, CA_CERT_FILE);
    if (!ca) throw new Error(`${dir} exists but holds no complete development CA (ca.crt and ca.key); delete it to generate a new one (clients must then trust the new ca.crt)`);
  }
  const problem = caProblem(ca, now);
  if (problem) throw new Error(`${dir}: ${problem}; delete ${dir} to generate a new development CA (clients must then trust the new ca.crt)`);

  let server = await readPair(dir, SERVER_KEY_FILE, SERVER_CERT_FILE);
  if (!server || serverProblem(server, ca.certPem, now) !== undefined) {
    server = issueServerCertificate(ca, now);
    await writeFileAtomic(join(dir, SERVER_KEY_FILE), server.keyPem, 0o600);
    await writeFileAtomic(join(dir, SERVER_CERT_FILE), server.certPem, 0o644);
    if (action === 'reused') action = 'renewed';
  }
  return {
    caCertPath: join(dir, CA_CERT_FILE),
    caCertPem: ca.certPem,
    certPath: join(dir, SERVER_CERT_FILE),
    keyPath: join(dir, SERVER_KEY_FILE),
    certPem: server.certPem,
    keyPem: server.keyPem,
    action,
    caFingerprint256: sha256Of(ca.certPem),
    serverValidTo: new Date(new X509Certificate(server.certPem).validTo),
  };
}

/**
 * Reads `--cert`/`--key`: a PEM certificate (optionally followed by its chain) and the matching PEM private key.
 * Throws a message naming the file and the problem.
 */
export async function loadCertificateFiles(certPath: string, keyPath: string, now: Date = new Date()): Promise<CertificateFiles> {
  const [certPem, keyPem] = await Promise.all([
    readFile(certPath, 'utf8').catch((e: Error) => Promise.reject(new Error(`--cert ${certPath}: ${e.message}`))),
    readFile(keyPath, 'utf8').catch((e: Error) => Promise.reject(new Error(`--key ${keyPath}: ${e.message}`))),
  ]);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(certPem);
  } catch (e) {
    throw new Error(`--cert ${certPath}: not a PEM certificate (${(e as Error).message})`);
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (e) {
    throw new Error(`--key ${keyPath}: not a PEM private key (${(e as Error).message}); encrypted keys are not supported`);
  }
  if (!leaf.checkPrivateKey(key)) throw new Error(`--key ${keyPath} does not match the certificate in --cert ${certPath}`);
  if (new Date(leaf.validTo).getTime() < now.getTime()) throw new Error(`--cert ${certPath}: the certificate expired on ${leaf.validTo}`);
  return { certPem, keyPem };
}
