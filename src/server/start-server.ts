/**
 * Composition root: store, seed, signing key, token verifier, OData service and the HTTP listener.
 * Used by `tigraph serve` and by the tests (in-process, on a free port).
 */
import { throttle, type ThrottleOptions } from '../http/middleware/throttle.js';
import { openAuditLog } from '../http/audit-log.js';
import type { FinishedJob } from '../service/import-job-queue.js';
import { answerCors } from '../http/middleware/cors.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DEFAULT_FAULT_POLICY, type FaultPolicy } from '../faults/fault-policy.js';
import pino, { type Logger } from 'pino';
import { createEphemeralSigningKey, loadOrCreateSigningKey, type SigningKey } from '../auth/signing-key.js';
import { createTokenVerifier, GRAPH_AUDIENCES, type TokenVerifier } from '../auth/verify-token.js';
import { createOidcVerifier, type OidcOptions } from '../auth/oidc-verifier.js';
import { createRequestListener } from '../http/create-request-listener.js';
import { answerHealth } from '../http/middleware/answer-health.js';
import { authenticate } from '../http/middleware/authenticate.js';
import { dispatch } from '../http/middleware/dispatch.js';
import { injectFaults } from '../http/middleware/inject-faults.js';
import { limitUrl } from '../http/middleware/limit-url.js';
import { readBody } from '../http/middleware/read-body.js';
import { route } from '../http/middleware/route.js';
import { createResponder } from '../http/respond.js';
import { serveBatch } from '../http/middleware/serve-batch.js';
import { serveTaxii } from '../http/middleware/serve-taxii.js';
import { setSecurityHeaders } from '../http/middleware/security-headers.js';
import { serveExplorer } from '../http/explorer/serve-explorer.js';
import { signInLocally } from '../http/explorer/sign-in-locally.js';
import { createBasicVerifier, loadTaxiiUsers } from '../taxii/basic-credentials.js';
import { answerClientError } from './answer-client-error.js';
import { errors } from '../errors/catalog.js';
import { MODEL, type Model } from '../model/model.js';
import { DEFAULT_LIMITS, type QueryLimits } from '../odata/limits/query-limits.js';
import type { EnumSpellingMode } from '../odata/serialize/enum-spelling.js';
import { DEMO_DATASET } from '../seed/demo-dataset.js';
import { loadSeed } from '../seed/load-seed.js';
import { createService, DEFAULT_DEADLINE_MS, type Service } from '../service/handle-odata-request.js';
import { join } from 'node:path';
import { openStore, reasonOf, SQLITE_FILE_NAME, StoreOpenError } from '../storage/open-store.js';
import { importInThread } from './run-import-in-thread.js';
import { secureDataDir } from './secure-data-dir.js';
import type { Store } from '../storage/store.js';
import type { ImportJobQueueOptions } from '../service/import-job-queue.js';

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly inMemory: boolean;
  readonly seed: 'demo' | 'none';
  readonly strict: boolean;
  readonly betaEnumSpelling: EnumSpellingMode;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  /** Most characters of entities in one page (a page of large entities ends early, with a nextLink). */
  readonly maxPageChars?: number;
  readonly limits?: QueryLimits;
  readonly maxUrlLength: number;
  readonly maxHeaderSize: number;
  readonly maxBodyBytes: number;
  /** Honour X-Forwarded-Proto/-Host (only behind a proxy you control). */
  readonly trustProxy?: boolean;
  /** TAXII HTTP Basic users as `name:password:read|write` (issue 14; hashed into <dataDir>/taxii-users.json). */
  readonly taxiiUsers?: readonly string[];
  readonly requestTimeoutMs: number;
  /** Per-request deadline of reads (`--request-deadline`): their database work is cancelled then; 504. */
  readonly requestDeadlineMs: number;
  /** SQLite reader threads (`--sqlite-readers`): reads run off the event loop. */
  readonly sqliteReaders: number;
  /** `--client-share`: connections or reader threads one client's reads may use at once (default: storage's). */
  readonly clientShare?: number;
  /** Concurrent connections per process; more are closed at once by node:http (`server.maxConnections`). */
  readonly maxConnections: number;
  readonly logLevel: string;
  /** Per-client throttling (`--rate-limit`, `--write-rate-limit`); none by default. */
  readonly rateLimits?: ThrottleOptions;
  /** Audit log file (`-`: stdout): one line per write, import and refused authentication. */
  readonly auditLog?: string;
  /** Browser origins allowed by CORS (`--cors-origin`); none by default. */
  readonly corsOrigins?: readonly string[];
  /**
   * `--auth`: `dev` (default) verifies tokens signed with the data directory's key (`tigraph token`); `oidc`
   * verifies tokens of the configured issuers (Entra ID or any OIDC provider).
   */
  readonly auth?: DevAuth | OidcAuth;
  /** Clock skew allowed on a token's exp/nbf/iat (seconds; default 300). */
  readonly clockSkewSeconds?: number;
  /** Longest token lifetime accepted (seconds; default 28 h). */
  readonly maxTokenLifetimeSeconds?: number;
  /** postgres://… selects the PostgreSQL store; otherwise the embedded SQLite store in the data directory. */
  readonly databaseUrl?: string;
  readonly poolSize: number;
  /** Schema for tigraph's tables in PostgreSQL (default: the connection's search_path). */
  readonly databaseSchema?: string;
  /** Graph-shaped 429/503 answered to a share of requests (or on request by header); see faults/. */
  readonly faults?: FaultPolicy;
  /** The draw fault injection uses (tests make it deterministic). */
  readonly faultRandom?: () => number;
  readonly importQueue?: Partial<ImportJobQueueOptions>;
  /** The built explorer (issue 15) served at / and /ui/…; default dist/ui. */
  readonly explorerDir?: string;
  /** Use this store instead of opening one (tests, other backends). */
  readonly store?: Store;
  readonly model?: Model;
}

export interface DevAuth {
  readonly mode: 'dev';
}

export interface OidcAuth extends OidcOptions {
  readonly mode: 'oidc';
  /** Accepted `aud` values; default: Graph's audiences and the server's base URL. */
  readonly audiences?: readonly string[];
  /** Accepted `tid` values (`--tenant`); default: any. */
  readonly tenants?: readonly string[];
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  host: '127.0.0.1',
  port: 7070,
  dataDir: './data',
  inMemory: false,
  seed: 'demo',
  strict: false,
  betaEnumSpelling: 'csdl',
  defaultPageSize: 100,
  maxPageSize: 999,
  maxUrlLength: 8192,
  maxHeaderSize: 16384,
  maxBodyBytes: 16 * 1024 * 1024,
  requestTimeoutMs: 30000,
  requestDeadlineMs: DEFAULT_DEADLINE_MS,
  sqliteReaders: 2,
  maxConnections: 1024,
  logLevel: 'info',
  poolSize: 10,
};

export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  readonly store: Store;
  readonly signingKey: SigningKey;
  readonly authMode: 'dev' | 'oidc';
  /** What the OIDC verifier found at startup (one line per issuer); empty in dev mode. */
  readonly authStatus: readonly string[];
  readonly seeded: boolean;
  readonly logger: Logger;
  /** The request listener, to mount on more servers (HTTPS). */
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** The OData service (its import job queue: `service.jobs`). */
  readonly service: Service;
  /** Closes and reopens the audit log file (SIGHUP, after a rotation by rename). */
  reopenAuditLog(): void;
  close(): Promise<void>;
}

export async function startServer(partial: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const options: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...partial };
  const model = options.model ?? MODEL;
  // Synchronous: a request's log line reaches stdout (or the file it is redirected to) before its response is
  // written, so a SIGKILL after an acknowledged write never loses the line (issue 10).
  const logger = pino({ level: options.logLevel, base: undefined }, pino.destination({ sync: true }));
  const unusable = (what: string) => (e: unknown): never => {
    throw new StoreOpenError(what, reasonOf(e));
  };
  if (!options.inMemory) await secureDataDir(options.dataDir, !options.store && !options.databaseUrl).catch(unusable(`data directory ${options.dataDir}`));
  const store = options.store ?? (await openStore(model, options));
  const ownSqliteFile = !options.store && !options.databaseUrl && !options.inMemory && !options.model ? join(options.dataDir, SQLITE_FILE_NAME) : undefined;
  let seeded = false;
  if (options.seed === 'demo' && (await store.isEmpty())) {
    await loadSeed(store, model, DEMO_DATASET);
    seeded = true;
  }
  const signingKey = options.inMemory ? await createEphemeralSigningKey() : await loadOrCreateSigningKey(options.dataDir).catch(unusable(`signing key in ${options.dataDir}`));
  const audit = options.auditLog ? openAuditLog(options.auditLog) : undefined;
  const service = await createService({
    model,
    store,
    paging: { defaultPageSize: options.defaultPageSize, maxPageSize: options.maxPageSize, ...(options.maxPageChars ? { maxPageChars: options.maxPageChars } : {}) },
    limits: options.limits ?? DEFAULT_LIMITS,
    deadlineMs: options.requestDeadlineMs,
    strict: options.strict,
    betaEnumSpelling: options.betaEnumSpelling,
    logger,
    importQueue: {
      ...options.importQueue,
      ...(audit ? { onFinished: (f: FinishedJob) => audit.importFinished(f) } : {}),
      // On a SQLite file the engine's synchronous transactions would hold the event loop: jobs run in a thread.
      ...(ownSqliteFile ? { runner: importInThread(ownSqliteFile) } : {}),
    },
  });
  const responder = createResponder(logger, audit);
  const lifetime = {
    ...(options.clockSkewSeconds !== undefined ? { clockToleranceSeconds: options.clockSkewSeconds } : {}),
    ...(options.maxTokenLifetimeSeconds !== undefined ? { maxLifetimeSeconds: options.maxTokenLifetimeSeconds } : {}),
  };
  // In oidc mode the default audiences include the server's own base URL, known once it listens.
  let verifyToken: TokenVerifier = options.auth?.mode === 'oidc' ? async () => Promise.reject(errors.serviceUnavailable('the server is starting.')) : createTokenVerifier(signingKey, lifetime);
  const verify: TokenVerifier = (header) => verifyToken(header);
  const trustProxy = options.trustProxy ?? false;
  const taxiiBasic = createBasicVerifier(await loadTaxiiUsers(options.dataDir, options.taxiiUsers ?? [], !options.inMemory));
  // The chain, in order: request ids (the listener) → security headers → CORS → URL limit → explorer sign-in and
  // static files (/, /ui/…) → health → TAXII → $batch → route → auth → throttle → faults
  // → body → dispatch.
  const listener = createRequestListener({
    responder,
    steps: [
      setSecurityHeaders(trustProxy),
      answerCors(options.corsOrigins ?? [], responder),
      limitUrl(options.maxUrlLength),
      signInLocally({ mode: options.auth?.mode ?? 'dev', signingKey, responder }),
      serveExplorer(responder, options.explorerDir),
      answerHealth(store, responder, verify),
      serveTaxii({ store, verifyToken: verify, logger, maxBodyBytes: options.maxBodyBytes, trustProxy, basic: taxiiBasic }),
      serveBatch({ service, verifyToken: verify, responder, maxBodyBytes: options.maxBodyBytes, trustProxy }),
      route(service.route),
      authenticate(verify),
      ...(options.rateLimits?.all || options.rateLimits?.writes ? [throttle(store.rateBuckets, options.rateLimits)] : []),
      injectFaults(options.faults ?? DEFAULT_FAULT_POLICY, {
        ...(options.faultRandom ? { random: options.faultRandom } : {}),
        onFault: (f, x) => logger.info({ requestId: x.requestId, status: f.status, method: x.method, url: x.url }, 'injected fault'),
      }),
      readBody(options.maxBodyBytes),
      dispatch(service.dispatch, responder, trustProxy),
    ],
  });
  const server = createServer(
    {
      maxHeaderSize: options.maxHeaderSize,
      requestTimeout: options.requestTimeoutMs,
      keepAliveTimeout: 5000,
      // How often node:http looks for requests past their timeout (its default, 30 s, would double a short one).
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(options.requestTimeoutMs / 4))),
    },
    listener,
  );
  // Malformed or oversized requests that never become a request object still get a Graph error body.
  server.on('clientError', answerClientError);
  server.maxConnections = options.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  let authStatus: string[] = [];
  if (options.auth?.mode === 'oidc') {
    const { mode: _mode, audiences, tenants, ...oidc } = options.auth;
    const verifier = createOidcVerifier(oidc, {
      ...lifetime,
      audiences: audiences && audiences.length > 0 ? audiences : [...GRAPH_AUDIENCES, url, `${url}/`],
      ...(tenants ? { tenants } : {}),
    });
    authStatus = await verifier.start();
    verifyToken = verifier.verify;
  }
  return {
    url,
    authMode: options.auth?.mode ?? 'dev',
    authStatus,
    server,
    store,
    signingKey,
    seeded,
    logger,
    listener,
    service,
    reopenAuditLog: () => audit?.reopen(),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await service.close();
      if (!options.store) await store.close();
      audit?.close();
      logger.flush();
    },
  };
}
