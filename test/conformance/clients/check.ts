/**
 * The tiny runner the client suites use inside their child process (a process started with
 * NODE_EXTRA_CA_CERTS=<generated CA>, so it trusts tigraph's development CA and nothing else extra).
 *
 * Each check prints one line `@@conformance {json}` on stdout; the parent test (test/conformance/*.test.ts)
 * turns every line into a node:test subtest named `[client/version] category: description`, which is what
 * `npm run conformance` tabulates.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

export const RESULT_PREFIX = '@@conformance ';
/** Request header a check puts on its requests so the parent can count the attempts the server saw. */
export const CHECK_HEADER = 'x-conformance-check';

export interface CheckResult {
  readonly client: string;
  readonly version: string;
  readonly category: string;
  readonly description: string;
  readonly ok: boolean;
  readonly error?: string;
  /** Id of the requests (CHECK_HEADER) whose server-side trace the parent must also verify. */
  readonly traceId?: string;
  readonly expectServer?: ServerExpectation;
  readonly ms: number;
}

/** What the parent must find in its request log for a check's trace id. */
export interface ServerExpectation {
  readonly minAttempts?: number;
  readonly exactAttempts?: number;
  /** The i-th attempt (0-based) must carry `Retry-Attempt: i` (absent on the first). */
  readonly retryAttemptHeaders?: boolean;
  /** Minimum delay in milliseconds between the first and the second attempt (Retry-After honoured). */
  readonly minDelayMs?: number;
  /** Every traced request arrived over TLS with an Authorization header. */
  readonly httpsWithToken?: boolean;
  readonly statuses?: readonly number[];
}

export interface ClientSuiteConfig {
  /** http://127.0.0.1:PORT — the same tigraph over plain HTTP. */
  readonly httpUrl: string;
  /** https://localhost:PORT — tigraph over TLS (default enum spelling). */
  readonly httpsUrl: string;
  /** https://[::1]:PORT when IPv6 loopback is available (TLS suite only). */
  readonly ipv6HttpsUrl?: string;
  readonly token: string;
  /** https://localhost:PORT of a second tigraph started with betaEnumSpelling 'documented'. */
  readonly documentedHttpsUrl: string;
  readonly documentedToken: string;
  readonly expected: {
    readonly largeProfileId: string;
    /** Every indicator id of the large profile, from a direct fetch over HTTP. */
    readonly largeProfileIndicatorIds: readonly string[];
    readonly docIndicatorId: string;
    readonly docHostname: string;
    readonly contosoIndicatorId: string;
    readonly hostId: string;
    readonly ipHostIds: readonly string[];
    readonly profileId: string;
    /** Every id of two collections new in issue 13, from a direct fetch over HTTP (paging checks). */
    readonly articleIds: readonly string[];
    readonly vulnerabilityIds: readonly string[];
  };
}

export function readConfig(): ClientSuiteConfig {
  const raw = process.env.TIGRAPH_CONFORMANCE;
  if (!raw) throw new Error('TIGRAPH_CONFORMANCE is not set; the client suites are started by test/conformance/*.test.ts');
  return JSON.parse(raw) as ClientSuiteConfig;
}

let traceCounter = 0;
export const newTraceId = (label: string): string => `${label}-${process.pid}-${++traceCounter}`;

export interface CheckContext {
  /** Ask the parent to verify the server-side trace of requests tagged with `traceId`. */
  expectServer(traceId: string, expectation: ServerExpectation): void;
}

export function createRecorder(client: string) {
  return async function check(version: string, category: string, description: string, fn: (ctx: CheckContext) => Promise<void>): Promise<void> {
    const started = Date.now();
    let trace: { traceId: string; expectServer: ServerExpectation } | undefined;
    let result: CheckResult;
    try {
      await fn({ expectServer: (traceId, expectServer) => (trace = { traceId, expectServer }) });
      result = { client, version, category, description, ok: true, ...trace, ms: Date.now() - started };
    } catch (e) {
      result = { client, version, category, description, ok: false, error: describeError(e), ...trace, ms: Date.now() - started };
    }
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  };
}

/** An error as text, whatever was thrown (Kiota throws parsed models, not always Error instances). */
function describeError(e: unknown): string {
  if (e instanceof Error && e.name === 'AssertionError') return e.stack ?? e.message;
  return inspect(e, { depth: 4, breakLength: 120 });
}

/** Asserts that two id lists hold the same ids, with no duplicate and no missing one (messages name a few). */
export function assertSameIdSet(actual: readonly string[], expected: readonly string[], what: string): void {
  const seen = new Set<string>();
  const dups = actual.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  assert.deepEqual(dups, [], `${what}: duplicate ids ${dups.slice(0, 5).join(', ')}`);
  const want = new Set(expected);
  const missing = expected.filter((id) => !seen.has(id));
  const extra = actual.filter((id) => !want.has(id));
  assert.deepEqual(missing, [], `${what}: ${missing.length} missing ids, e.g. ${missing.slice(0, 5).join(', ')}`);
  assert.deepEqual(extra, [], `${what}: ${extra.length} unexpected ids, e.g. ${extra.slice(0, 5).join(', ')}`);
  assert.equal(actual.length, expected.length);
}

export const VERSIONS = ['v1.0', 'beta'] as const;
export const TI = '/security/threatIntelligence';
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
