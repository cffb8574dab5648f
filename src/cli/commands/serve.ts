/** `tigraph serve`: runs the API server (the default of `npm start`). */
import { DEFAULT_LIMITS } from '../../odata/limits/query-limits.js';
import { parseRateLimit, type RateLimit } from '../../http/middleware/throttle.js';
import { normalizeOrigin } from '../../http/middleware/cors.js';
import { DEFAULT_CLOCK_SKEW_SECONDS, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../../auth/verify-token.js';
import { MODEL } from '../../model/model.js';
import { SETS } from '../../model/names.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { usageError } from '../usage-error.js';
import { resolve } from 'node:path';
import { mintToken } from '../../auth/mint-token.js';
import { DEFAULT_SERVER_OPTIONS, startServer, type ServerOptions } from '../../server/start-server.js';
import { describeFaultPolicy, parseFaultPolicy, type FaultPolicy } from '../../faults/fault-policy.js';
import { startHttpsServer, type RunningHttpsServer } from '../../server/start-https.js';
import { loadCertificateFiles, loadOrCreateDevCertificates } from '../../tls/dev-certificates.js';
import { StoreOpenError } from '../../storage/open-store.js';

const faultSpec = (v: string): FaultPolicy => {
  try {
    return parseFaultPolicy(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

const int = (name: string, min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
  return n;
};

/** A connection URL without its password, for the banner. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** `--rate-limit` / `--write-rate-limit`: `<requests>/<seconds>`. */
const rateLimit =
  (flag: string) =>
  (value: string): RateLimit => {
    const limit = parseRateLimit(value);
    if (!limit) throw new InvalidArgumentError(`${flag} must be <requests>/<seconds> with whole numbers of at least 1, such as 100/10, not '${value}'`);
    return limit;
  };

/** `--cors-origin`: each value an origin (scheme://host[:port]); repeatable. */
function corsOrigin(value: string, previous: string[]): string[] {
  const origin = normalizeOrigin(value);
  if (!origin) throw new InvalidArgumentError(`--cors-origin must be an origin such as https://app.example (scheme, host and port only), not '${value}'`);
  return [...previous, origin];
}

/** Repeatable options: `--issuer a --issuer b` and `--issuer a b` alike. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

const httpUrl = (flag: string) => (value: string): string => {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new InvalidArgumentError(`${flag} must be an http(s) URL, not '${value}'`);
  return value;
};


/** `--auth` and its companions, checked together. */
function authOptions(opts: Record<string, unknown>, fail: (message: string) => never): ServerOptions['auth'] {
  const issuers = opts.issuer as string[];
  const oidcFlags = [issuers.length ? '--issuer' : '', opts.jwksUri ? '--jwks-uri' : '', (opts.audience as string[]).length ? '--audience' : '', (opts.tenant as string[]).length ? '--tenant' : ''].filter((f) => f !== '');
  if (opts.auth !== 'oidc') {
    if (oidcFlags.length) fail(`${oidcFlags.join(' and ')} ${oidcFlags.length === 1 ? 'applies' : 'apply'} only with --auth oidc`);
    return { mode: 'dev' };
  }
  if (!issuers.length && !opts.jwksUri) fail('--auth oidc needs --issuer <url> (discovery) or --jwks-uri <url>');
  for (const issuer of issuers) if (!URL.canParse(issuer.replace(/\{tenantid\}/gi, 'common'))) fail(`--issuer must be a URL, not '${issuer}'`);
  return {
    mode: 'oidc',
    issuers,
    ...(opts.jwksUri ? { jwksUri: opts.jwksUri as string } : {}),
    audiences: opts.audience as string[],
    tenants: opts.tenant as string[],
    minRefreshIntervalMs: (opts.jwksRefreshInterval as number) * 1000,
  };
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the Microsoft Graph threat-intelligence API')
    .option('--host <host>', 'address to listen on', DEFAULT_SERVER_OPTIONS.host)
    .addOption(new Option('--port <port>', 'port to listen on').env('PORT').default(DEFAULT_SERVER_OPTIONS.port).argParser(int('--port', 0, 65535)))
    .addOption(new Option('--data-dir <dir>', 'data directory (SQLite database, signing key)').env('TIGRAPH_DATA_DIR').default(DEFAULT_SERVER_OPTIONS.dataDir))
    .option('--in-memory', 'keep everything in memory (throwaway runs)', false)
    .addOption(new Option('--seed <dataset>', 'load a dataset into an empty store').choices(['demo', 'none']).default('demo'))
    .option('--strict', 'enforce the Graph CSDL capability annotations (e.g. no $filter on indicator collections)', false)
    .addOption(
      new Option('--beta-enum-spelling <spelling>', "enum member names on /beta: 'csdl' (official CSDL/SDKs) or 'documented' (long names of the beta resource page)")
        .choices(['csdl', 'documented'])
        .env('TIGRAPH_BETA_ENUM_SPELLING')
        .default('csdl'),
    )
    .addOption(new Option('--database-url <url>', 'PostgreSQL connection URL (postgres://…); default: embedded SQLite in the data dir').env('TIGRAPH_DATABASE_URL'))
    .addOption(new Option('--database-schema <name>', 'PostgreSQL schema for tigraph\'s tables (created if absent)').env('TIGRAPH_DATABASE_SCHEMA'))
    .addOption(new Option('--pool-size <n>', 'PostgreSQL connection pool size per process').env('TIGRAPH_POOL_SIZE').default(DEFAULT_SERVER_OPTIONS.poolSize).argParser(int('--pool-size', 1, 1000)))
    .addOption(new Option('--trust-proxy', 'behind a reverse proxy: build absolute URLs (@odata.nextLink, Location) from X-Forwarded-Proto/-Host').env('TIGRAPH_TRUST_PROXY'))
    .option('--https', 'also serve HTTPS on --https-port (development CA in <data-dir>/tls unless --cert/--key)', false)
    .option('--https-port <port>', 'HTTPS port', int('--https-port', 0, 65535), 7443)
    .option('--cert <file>', 'PEM certificate (chain) for --https')
    .option('--key <file>', 'PEM private key for --cert')
    .option('--inject <spec>', "answer a share of requests with Graph-shaped faults, e.g. '429=0.1,503=0.05,retry-after=1'", faultSpec)
    .option('--taxii-user <spec...>', 'TAXII HTTP Basic user <name>:<password>:<read|write> (stored scrypt-hashed in <data-dir>/taxii-users.json)')
    .option('--page-size <n>', 'default page size', int('--page-size', 1, 999), DEFAULT_SERVER_OPTIONS.defaultPageSize)
    .option('--max-page-size <n>', 'maximum page size ($top above it is capped)', int('--max-page-size', 1, 999), DEFAULT_SERVER_OPTIONS.maxPageSize)
    .addOption(new Option('--max-connections <n>', 'concurrent connections per process (more are closed at once)').env('TIGRAPH_MAX_CONNECTIONS').default(DEFAULT_SERVER_OPTIONS.maxConnections).argParser(int('--max-connections', 1, 1_000_000)))
    .option('--request-deadline <seconds>', "a read's database work is cancelled after this long (504 GatewayTimeout)", int('--request-deadline', 1, 3600), DEFAULT_SERVER_OPTIONS.requestDeadlineMs / 1000)
    .addOption(new Option('--sqlite-readers <n>', 'SQLite reader threads: reads run off the event loop (0: on it)').env('TIGRAPH_SQLITE_READERS').default(DEFAULT_SERVER_OPTIONS.sqliteReaders).argParser(int('--sqlite-readers', 0, 64)))
    .option('--client-share <n>', "pooled connections (PostgreSQL) or reader threads (SQLite) one client's reads may use at once (default: all but a quarter of the pool; all readers but one)", int('--client-share', 1, 1000))
    .option('--max-lambda-depth <n>', 'any()/all() nested inside one another in $filter (each level multiplies the cost)', int('--max-lambda-depth', 1, 8), DEFAULT_LIMITS.maxLambdaDepth)
    .option('--rate-limit <requests/seconds>', 'per-client throttling of every request, e.g. 100/10 (429 + Retry-After beyond it)', rateLimit('--rate-limit'))
    .option('--write-rate-limit <requests/seconds>', 'per-client throttling of writes and imports, in addition, e.g. 20/10', rateLimit('--write-rate-limit'))
    .addOption(new Option('--audit-log <file>', "one JSON line per write, import and refused authentication ('-': stdout); reopened on SIGHUP").env('TIGRAPH_AUDIT_LOG'))
    .option('--cors-origin <origin...>', 'browser origin allowed to call the API (repeatable), e.g. https://app.example', corsOrigin, [] as string[])
    .addOption(new Option('--auth <mode>', "'dev': tokens from `tigraph token`; 'oidc': tokens of --issuer (Entra ID or any OpenID Connect provider)").choices(['dev', 'oidc']).env('TIGRAPH_AUTH').default('dev'))
    .option('--issuer <url...>', 'with --auth oidc: accepted token issuer (repeatable), discovered at <url>/.well-known/openid-configuration', collect, [] as string[])
    .option('--jwks-uri <url>', 'with --auth oidc: fetch the signing keys from here instead of discovering them', httpUrl('--jwks-uri'))
    .option('--audience <aud...>', "with --auth oidc: accepted token audience (repeatable; default Graph's audiences and this server's base URL)", collect, [] as string[])
    .option('--tenant <tid...>', 'with --auth oidc: accepted tenant id (tid), repeatable; default: any', collect, [] as string[])
    .option('--jwks-refresh-interval <seconds>', 'with --auth oidc: refetch keys on an unknown kid (or retry discovery) at most this often', int('--jwks-refresh-interval', 0, 86400), 30)
    .option('--clock-skew <seconds>', "clock skew allowed on a token's exp, nbf and iat", int('--clock-skew', 0, 3600), DEFAULT_CLOCK_SKEW_SECONDS)
    .option('--max-token-lifetime <seconds>', 'longest token lifetime accepted (exp − iat)', int('--max-token-lifetime', 60, 31_536_000), DEFAULT_MAX_TOKEN_LIFETIME_SECONDS)
    .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).env('TIGRAPH_LOG_LEVEL').default('info'))
    .action(async (opts) => {
      const dataDir = resolve(opts.dataDir as string);
      const auth = authOptions(opts, (message) => usageError(message));
      const running = await startServer({
        auth,
        host: opts.host,
        port: opts.port,
        dataDir,
        inMemory: opts.inMemory,
        seed: opts.seed,
        strict: opts.strict,
        betaEnumSpelling: opts.betaEnumSpelling,
        defaultPageSize: opts.pageSize,
        maxPageSize: opts.maxPageSize,
        logLevel: opts.logLevel,
        maxConnections: opts.maxConnections,
        requestDeadlineMs: (opts.requestDeadline as number) * 1000,
        sqliteReaders: opts.sqliteReaders as number,
        ...(opts.clientShare ? { clientShare: opts.clientShare as number } : {}),
        limits: { ...DEFAULT_LIMITS, maxLambdaDepth: opts.maxLambdaDepth as number },
        corsOrigins: opts.corsOrigin,
        rateLimits: { ...(opts.rateLimit ? { all: opts.rateLimit } : {}), ...(opts.writeRateLimit ? { writes: opts.writeRateLimit } : {}) },
        ...(opts.auditLog ? { auditLog: opts.auditLog === '-' ? '-' : resolve(opts.auditLog as string) } : {}),
        clockSkewSeconds: opts.clockSkew,
        maxTokenLifetimeSeconds: opts.maxTokenLifetime,
        databaseUrl: opts.databaseUrl,
        poolSize: opts.poolSize,
        databaseSchema: opts.databaseSchema,
        trustProxy: Boolean(opts.trustProxy),
        ...(opts.taxiiUser ? { taxiiUsers: opts.taxiiUser as string[] } : {}),
        ...(opts.inject ? { faults: opts.inject } : {}),
      }).catch((e: unknown) => {
        // A database that refuses or cannot be reached, an unusable data directory: one line, no stack.
        if (!(e instanceof StoreOpenError)) throw e;
        process.stderr.write(`tigraph serve: ${e.message}\n`);
        process.exit(1);
      });
      let https: RunningHttpsServer | undefined;
      const tlsLines: string[] = [];
      if (opts.cert || opts.key) {
        if (!opts.https) throw new InvalidArgumentError('--cert/--key need --https');
        if (!opts.cert || !opts.key) throw new InvalidArgumentError('--cert and --key go together');
      }
      if (opts.https) {
        // The development CA lives in the data directory even with --in-memory: it must persist to stay trusted.
        const dev = opts.cert ? undefined : await loadOrCreateDevCertificates(dataDir);
        const material = dev ?? (await loadCertificateFiles(resolve(opts.cert), resolve(opts.key)));
        https = await startHttpsServer(running.listener, {
          port: opts.httpsPort,
          host: opts.host,
          certPem: material.certPem,
          keyPem: material.keyPem,
          maxHeaderSize: DEFAULT_SERVER_OPTIONS.maxHeaderSize,
          requestTimeoutMs: DEFAULT_SERVER_OPTIONS.requestTimeoutMs,
        });
        const port = new URL(https.url).port;
        const loopback = ['127.0.0.1', 'localhost', '::1'].includes(opts.host);
        const base = loopback ? `https://localhost:${port}` : https.url;
        tlsLines.push(`  https:     ${base}/v1.0/${MODEL.servicePath}/${SETS.intelProfiles}`);
        if (dev) {
          tlsLines.push(
            `  tls:       development CA ${dev.caCertPath} (${dev.action}; SHA-256 ${dev.caFingerprint256})`,
            `             trust it: NODE_EXTRA_CA_CERTS=${dev.caCertPath} node your-app.js  (or add it to your OS/browser trust store)`,
            `             microsoft-graph-client: Client.init({ baseUrl: '${base}', customHosts: new Set(['localhost']), authProvider })`,
          );
          if (!loopback) tlsLines.push('             note: the development certificate covers localhost, 127.0.0.1 and ::1 only; use --cert/--key for other names');
        }
      }
      if (opts.inject) tlsLines.push(`  faults:    ${describeFaultPolicy(opts.inject)}`);
      const lines = [
        `tigraph is serving the Microsoft Graph threat-intelligence API`,
        `  v1.0:      ${running.url}/v1.0/${MODEL.servicePath}/${SETS.intelProfiles}`,
        `  beta:      ${running.url}/beta/${MODEL.servicePath}/${SETS.intelProfiles}`,
        `  metadata:  ${running.url}/v1.0/$metadata`,
        `  health:    ${running.url}/healthz`,
        `  explorer:  ${running.url}/   (the intel explorer, in a browser)`,
        ...tlsLines,
        `  store:     ${opts.databaseUrl ? `postgres ${redact(opts.databaseUrl as string)} (pool ${opts.poolSize})` : `sqlite ${opts.inMemory ? '(in memory)' : `${dataDir}/tigraph.db`}`}${running.seeded ? ' (demo dataset loaded)' : ''}`,
      ];
      if (running.authMode === 'oidc') lines.push(...running.authStatus.map((l, i) => `  ${i === 0 ? 'auth:      oidc, ' : '             '}${l}`), '             (tokens from your identity provider; `tigraph token` does not apply)');
      else if (opts.inMemory) lines.push(`  token:     ${await mintToken(running.signingKey, { expiresInSeconds: Math.min(86400, opts.maxTokenLifetime as number) })}`, '             (in-memory key: this token is valid until the server stops)');
      else lines.push(`  data dir:  ${dataDir}`, `  token:     TOKEN=$(npx tigraph token${opts.dataDir !== DEFAULT_SERVER_OPTIONS.dataDir ? ` --data-dir ${dataDir}` : ''})`);
      process.stderr.write(`${lines.join('\n')}\n`);
      let closing = false;
      const shutdown = (signal: string): void => {
        if (closing) return;
        closing = true;
        process.stderr.write(`${signal}: shutting down\n`);
        Promise.all([https?.close(), running.close()]).then(
          () => process.exit(0),
          () => process.exit(1),
        );
        setTimeout(() => process.exit(1), 10000).unref();
      };
      process.on('SIGHUP', () => running.reopenAuditLog());
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
}
