/**
 * The environment the client suites run against, all on free loopback ports, nothing from the network:
 * - tigraph (in-memory, demo seed) over HTTP, and the same request listener mounted on an HTTPS server whose
 *   certificate comes from a freshly generated development CA (loadOrCreateDevCertificates in a temp data dir),
 *   wrapped in fault injection (the `x-tigraph-inject-fault` header) and in a request log the checks verify;
 * - a second tigraph started with betaEnumSpelling 'documented', also over HTTPS.
 * The client suites run in a child process started with NODE_EXTRA_CA_CERTS=<the generated ca.crt> (Node reads
 * it only at start-up), which is also the proof that a client trusting only that CA can talk to tigraph.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { mintToken } from '../../../src/auth/mint-token.js';
import { parseFaultPolicy } from '../../../src/faults/fault-policy.js';
import { DOC_CONTOSO_INDICATOR_ID, DOC_HOST_ID, DOC_INDICATOR_HOSTNAME, DOC_INDICATOR_ID } from '../../../src/seed/doc-examples.js';
import { LARGE_PROFILE_ID } from '../../../src/seed/demo-dataset.js';
import { startHttpsServer, type RunningHttpsServer } from '../../../src/server/start-https.js';
import { startServer, type RunningServer } from '../../../src/server/start-server.js';
import { loadOrCreateDevCertificates, type DevCertificates } from '../../../src/tls/dev-certificates.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { CHECK_HEADER, RESULT_PREFIX, TI, type CheckResult, type ClientSuiteConfig, type ServerExpectation } from '../clients/check.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface TracedRequest {
  readonly traceId: string | undefined;
  readonly method: string;
  readonly url: string;
  readonly retryAttempt: string | undefined;
  readonly authorization: boolean;
  readonly encrypted: boolean;
  readonly at: number;
  status?: number;
}

export interface ConformanceEnv {
  readonly main: TestServer;
  readonly documented: RunningServer;
  readonly https: RunningHttpsServer;
  readonly documentedHttps: RunningHttpsServer;
  readonly certs: DevCertificates;
  readonly dataDir: string;
  readonly config: ClientSuiteConfig;
  readonly requests: TracedRequest[];
  /** Runs a compiled client suite (test/conformance/clients/<name>.js) in a child process that trusts the dev CA. */
  runClientSuite(name: string, options?: RunOptions): Promise<SuiteRun>;
  /** Turns each check result into a subtest `[client/version] category: description`. */
  report(t: TestContext, run: SuiteRun): Promise<void>;
  close(): Promise<void>;
}

export interface RunOptions {
  /** false: start the child without NODE_EXTRA_CA_CERTS (it must then refuse the certificate). */
  readonly trustCa?: boolean;
  readonly env?: Record<string, string>;
  /** Merged into the config the child reads. */
  readonly config?: Partial<ClientSuiteConfig>;
}

export interface SuiteRun {
  readonly results: CheckResult[];
  readonly code: number | null;
  readonly stderr: string;
}

const listenerOf = (running: RunningServer): Listener => {
  const l = running.server.listeners('request')[0];
  if (typeof l !== 'function') throw new Error('the tigraph HTTP server has no request listener');
  return l as Listener;
};

const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function traced(listener: Listener, log: TracedRequest[]): Listener {
  return (req, res) => {
    const entry: TracedRequest = {
      traceId: single(req.headers[CHECK_HEADER]),
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      retryAttempt: single(req.headers['retry-attempt']),
      authorization: typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0,
      encrypted: (req.socket as { encrypted?: boolean }).encrypted === true,
      at: Date.now(),
    };
    log.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    listener(req, res);
  };
}

async function allIds(server: TestServer, path: string): Promise<string[]> {
  const ids: string[] = [];
  let url: string | undefined = `${server.url}${path}`;
  while (url) {
    const res: Response = await fetch(url, { headers: { Authorization: `Bearer ${server.token}` } });
    assert.equal(res.status, 200, url);
    const body = (await res.json()) as { value: { id: string }[]; '@odata.nextLink'?: string };
    ids.push(...body.value.map((v) => v.id));
    url = body['@odata.nextLink'];
  }
  return ids;
}

export async function startConformanceEnv(): Promise<ConformanceEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tigraph-conformance-'));
  const certs = await loadOrCreateDevCertificates(dataDir);
  const main = await startTestServer({ faults: parseFaultPolicy('header=on') });
  const documented = await startServer({ inMemory: true, port: 0, logLevel: 'silent', betaEnumSpelling: 'documented', faults: parseFaultPolicy('header=on') });
  const documentedToken = await mintToken(documented.signingKey);
  const requests: TracedRequest[] = [];
  const tls = { port: 0, host: '127.0.0.1', certPem: certs.certPem, keyPem: certs.keyPem };
  const https = await startHttpsServer(traced(listenerOf(main), requests), tls);
  const documentedHttps = await startHttpsServer(traced(listenerOf(documented), requests), tls);
  const portOf = (u: string): string => new URL(u).port;

  const largeProfileIndicatorIds = await allIds(main, `/beta${TI}/intelProfiles/${LARGE_PROFILE_ID}/indicators?$select=id&$top=999`);
  const articleIds = await allIds(main, `/v1.0${TI}/articles?$select=id&$top=999`);
  const vulnerabilityIds = await allIds(main, `/v1.0${TI}/vulnerabilities?$select=id&$top=999`);
  const withArtifacts = await main.json(`/beta${TI}/intelProfiles/${LARGE_PROFILE_ID}/indicators?$top=999&$expand=artifact`);
  const ipIds = (withArtifacts.body.value as { artifact: { '@odata.type': string; id: string } }[])
    .filter((i) => i.artifact['@odata.type'] === '#microsoft.graph.security.ipAddress')
    .map((i) => i.artifact.id);
  const ipHostIds = [ipIds.find((id) => !id.includes(':')), ipIds.find((id) => id.includes(':'))].filter((x): x is string => x !== undefined);

  const config: ClientSuiteConfig = {
    httpUrl: main.url,
    httpsUrl: `https://localhost:${portOf(https.url)}`,
    token: main.token,
    documentedHttpsUrl: `https://localhost:${portOf(documentedHttps.url)}`,
    documentedToken,
    expected: {
      largeProfileId: LARGE_PROFILE_ID,
      largeProfileIndicatorIds,
      docIndicatorId: DOC_INDICATOR_ID,
      docHostname: DOC_INDICATOR_HOSTNAME,
      contosoIndicatorId: DOC_CONTOSO_INDICATOR_ID,
      hostId: DOC_HOST_ID,
      ipHostIds,
      profileId: 'actinium',
      articleIds,
      vulnerabilityIds,
    },
  };

  const verifyTrace = (traceId: string, x: ServerExpectation): void => {
    const seen = requests.filter((r) => r.traceId === traceId);
    const summary = JSON.stringify(seen.map((r) => ({ url: r.url, retryAttempt: r.retryAttempt, status: r.status, at: r.at - (seen[0]?.at ?? 0) })));
    if (x.minAttempts !== undefined) assert.ok(seen.length >= x.minAttempts, `server saw ${seen.length} requests for ${traceId}, expected at least ${x.minAttempts}: ${summary}`);
    if (x.exactAttempts !== undefined) assert.equal(seen.length, x.exactAttempts, `server saw ${seen.length} requests for ${traceId}: ${summary}`);
    if (x.retryAttemptHeaders) seen.forEach((r, i) => assert.equal(r.retryAttempt, i === 0 ? undefined : String(i), `Retry-Attempt of attempt ${i}: ${summary}`));
    if (x.minDelayMs !== undefined) {
      assert.ok(seen.length >= 2, summary);
      assert.ok(seen[1]!.at - seen[0]!.at >= x.minDelayMs, `second attempt after ${seen[1]!.at - seen[0]!.at} ms, expected ≥ ${x.minDelayMs} (Retry-After): ${summary}`);
    }
    if (x.httpsWithToken) for (const r of seen) assert.ok(r.encrypted && r.authorization, `request without TLS or token: ${summary}`);
    if (x.statuses) assert.deepEqual(seen.map((r) => r.status), x.statuses, summary);
  };

  const runClientSuite = (name: string, options: RunOptions = {}): Promise<SuiteRun> =>
    new Promise((resolve, reject) => {
      const script = fileURLToPath(new URL(`../clients/${name}.js`, import.meta.url));
      const env: NodeJS.ProcessEnv = { ...process.env, TIGRAPH_CONFORMANCE: JSON.stringify({ ...config, ...options.config }), ...options.env };
      delete env.NODE_TEST_CONTEXT;
      delete env.NODE_OPTIONS;
      if (options.trustCa === false) delete env.NODE_EXTRA_CA_CERTS;
      else env.NODE_EXTRA_CA_CERTS = certs.caCertPath;
      // ipv4first: `localhost` must reach the servers, which listen on 127.0.0.1.
      const child = spawn(process.execPath, ['--dns-result-order=ipv4first', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        const results = stdout
          .split('\n')
          .filter((l) => l.startsWith(RESULT_PREFIX))
          .map((l) => JSON.parse(l.slice(RESULT_PREFIX.length)) as CheckResult);
        resolve({ results, code, stderr });
      });
    });

  const report = async (t: TestContext, run: SuiteRun): Promise<void> => {
    for (const r of run.results) {
      await t.test(`[${r.client}/${r.version}] ${r.category}: ${r.description}`, () => {
        if (!r.ok) throw new Error(r.error);
        if (r.traceId && r.expectServer) verifyTrace(r.traceId, r.expectServer);
      });
    }
    assert.equal(run.code, 0, `client suite exited with ${run.code}: ${run.stderr.slice(-4000)}`);
    assert.ok(run.results.length > 0, `client suite reported nothing: ${run.stderr.slice(-4000)}`);
  };

  return {
    main,
    documented,
    https,
    documentedHttps,
    certs,
    dataDir,
    config,
    requests,
    runClientSuite,
    report,
    async close() {
      await Promise.all([https.close(), documentedHttps.close()]);
      await Promise.all([main.close(), documented.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
