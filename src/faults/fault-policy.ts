/**
 * Fault injection for client testing (like Microsoft's Dev Proxy against the real Graph): tigraph answers a share
 * of requests, or a request that asks for it, with a Graph-shaped 429 or 503 carrying `Retry-After`, so teams can
 * test their retry logic against the real SDK middleware. Off by default.
 *
 * Two triggers:
 *
 * 1. A policy from `--inject <spec>` (comma-separated):
 *      429=0.1          answer 10 % of requests with 429 TooManyRequests   (also `429=10%`)
 *      503=0.05         answer 5 % of requests with 503 ServiceUnavailable
 *      retry-after=2    the Retry-After value in seconds (default 1; 0–3600)
 *      header=off       ignore the request header below (default: honoured)
 *    One random draw per request decides: 429 with the first share, else 503 with the next share, else no fault.
 *
 * 2. The request header `x-tigraph-inject-fault`, which forces a fault for that one request:
 *      x-tigraph-inject-fault: 429
 *      x-tigraph-inject-fault: 503; retry-after=0
 *      x-tigraph-inject-fault: 429; attempts=1
 *    `attempts=N` limits the fault to the first N attempts of a request: the Graph SDK retry handlers (Kiota's and
 *    microsoft-graph-client's) send `Retry-Attempt: n` on the n-th retry and re-send the original headers, so
 *    `attempts=1` fails the first attempt and lets the first retry through, while no `attempts` fails every attempt
 *    (the client exhausts its retries and surfaces the 429). The header is honoured only on a server started with
 *    `--inject` (`--inject header=on` honours it with no random faults; `--inject header=off` ignores it). An
 *    unparseable header value is answered with 400 BadRequest rather than ignored.
 *
 * The middleware that applies the policy (src/http/middleware/inject-faults.ts) runs after authentication, so an
 * unauthenticated caller never gets a fault; health probes (`/healthz`, `/readyz`) are never faulted.
 */
import { errors } from '../errors/catalog.js';
import type { ODataError } from '../errors/odata-error.js';

/** Request headers by lower-case name, as node:http gives them. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export const FAULT_HEADER = 'x-tigraph-inject-fault';
export const RETRY_ATTEMPT_HEADER = 'retry-attempt';
export const FAULT_STATUSES = [429, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

export interface FaultPolicy {
  /** Share of requests (0–1) answered with each status; evaluated in this order from one random draw. */
  readonly rates: ReadonlyArray<{ readonly status: FaultStatus; readonly probability: number }>;
  readonly retryAfterSeconds: number;
  /** Whether the `x-tigraph-inject-fault` request header is honoured. */
  readonly honourHeader: boolean;
}

/** Without `--inject`: no random faults, and the request header is ignored (a client cannot fault a server that was not started for it). */
export const DEFAULT_FAULT_POLICY: FaultPolicy = Object.freeze({ rates: Object.freeze([]), retryAfterSeconds: 1, honourHeader: false });

const MAX_RETRY_AFTER = 3600;

const isFaultStatus = (n: number): n is FaultStatus => (FAULT_STATUSES as readonly number[]).includes(n);

function parseRetryAfter(value: string, where: string): number {
  if (!/^\d{1,4}$/.test(value) || Number(value) > MAX_RETRY_AFTER) throw new Error(`${where}: retry-after must be an integer number of seconds from 0 to ${MAX_RETRY_AFTER}, got '${value}'`);
  return Number(value);
}

/**
 * Parses an `--inject` value such as `429=0.1,503=0.05` or `429=10%,retry-after=2`. Throws a message that names
 * the bad item (the CLI shows it as an invalid-argument error).
 */
export function parseFaultPolicy(spec: string): FaultPolicy {
  const rates: { status: FaultStatus; probability: number }[] = [];
  let retryAfterSeconds = DEFAULT_FAULT_POLICY.retryAfterSeconds;
  let honourHeader = true;
  const items = spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new Error(`--inject: expected e.g. '429=0.1,503=0.05', got '${spec}'`);
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new Error(`--inject: '${item}' is not name=value (e.g. 429=0.1)`);
    const name = item.slice(0, eq).trim().toLowerCase();
    const value = item.slice(eq + 1).trim();
    if (name === 'retry-after') {
      retryAfterSeconds = parseRetryAfter(value, '--inject');
    } else if (name === 'header') {
      if (value !== 'on' && value !== 'off') throw new Error(`--inject: header must be 'on' or 'off', got '${value}'`);
      honourHeader = value === 'on';
    } else if (/^\d{3}$/.test(name)) {
      const status = Number(name);
      if (!isFaultStatus(status)) throw new Error(`--inject: status ${name} is not supported; use ${FAULT_STATUSES.join(' or ')}`);
      const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(value);
      const probability = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
      if (!(probability >= 0 && probability <= 1)) throw new Error(`--inject: ${name}=${value}: the share must be a number from 0 to 1 (or 0% to 100%)`);
      if (rates.some((r) => r.status === status)) throw new Error(`--inject: status ${name} is given twice`);
      rates.push({ status, probability });
    } else {
      throw new Error(`--inject: unknown item '${item}'; expected 429=<share>, 503=<share>, retry-after=<seconds> or header=on|off`);
    }
  }
  const total = rates.reduce((sum, r) => sum + r.probability, 0);
  if (total > 1 + 1e-9) throw new Error(`--inject: the shares add up to ${total}, more than 1`);
  return Object.freeze({ rates: Object.freeze(rates), retryAfterSeconds, honourHeader });
}

/** One line for the start-up banner, e.g. "429 for 10% and 503 for 5% of requests (Retry-After: 1)". */
export function describeFaultPolicy(policy: FaultPolicy): string {
  const shares = policy.rates.filter((r) => r.probability > 0).map((r) => `${r.status} for ${+(r.probability * 100).toFixed(4)}%`);
  const random = shares.length > 0 ? `${shares.join(' and ')} of requests (Retry-After: ${policy.retryAfterSeconds})` : 'no random faults';
  return `${random}; header ${FAULT_HEADER} ${policy.honourHeader ? 'honoured' : 'ignored'}`;
}

const faultFor = (status: FaultStatus, retryAfterSeconds: number): ODataError =>
  status === 429
    ? errors.tooManyRequests(retryAfterSeconds)
    : errors.serviceUnavailable(`fault injected by tigraph (${FAULT_HEADER} or --inject); retry after ${retryAfterSeconds} s.`, retryAfterSeconds);

const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The fault the request header asks for, undefined when there is none or it does not apply to this attempt. */
function headerFault(value: string, retryAttempt: string | undefined, defaultRetryAfter: number): ODataError | undefined {
  const [head, ...params] = value.split(';').map((s) => s.trim());
  const status = Number(head);
  if (!/^\d{3}$/.test(head ?? '') || !isFaultStatus(status)) {
    throw errors.invalidHeader(FAULT_HEADER, `expected ${FAULT_STATUSES.join(' or ')} optionally followed by '; retry-after=<seconds>' and '; attempts=<n>', got '${value}'`);
  }
  let retryAfter = defaultRetryAfter;
  let attempts = Infinity;
  for (const p of params) {
    if (p === '') continue;
    const m = /^(retry-after|attempts)\s*=\s*(\d{1,4})$/i.exec(p);
    if (!m) throw errors.invalidHeader(FAULT_HEADER, `unknown parameter '${p}' (expected retry-after=<seconds> or attempts=<n>)`);
    const n = Number(m[2]);
    if (m[1]!.toLowerCase() === 'attempts') attempts = n;
    else if (n > MAX_RETRY_AFTER) throw errors.invalidHeader(FAULT_HEADER, `retry-after must be at most ${MAX_RETRY_AFTER}`);
    else retryAfter = n;
  }
  const attempt = retryAttempt !== undefined && /^\d{1,6}$/.test(retryAttempt.trim()) ? Number(retryAttempt.trim()) : 0;
  return attempt < attempts ? faultFor(status, retryAfter) : undefined;
}

/**
 * Decides whether to fault this request: the request header first (when honoured), then one draw of `random`
 * against the policy's shares. Returns the Graph-shaped error to answer with, or undefined. Throws a 400
 * ODataError when the header is malformed.
 */
export function maybeInjectFault(policy: FaultPolicy, headers: RequestHeaders, random: () => number = Math.random): ODataError | undefined {
  const asked = single(headers[FAULT_HEADER]);
  if (policy.honourHeader && asked !== undefined) return headerFault(asked, single(headers[RETRY_ATTEMPT_HEADER]), policy.retryAfterSeconds);
  if (policy.rates.length === 0) return undefined;
  const r = random();
  let edge = 0;
  for (const { status, probability } of policy.rates) {
    edge += probability;
    if (r < edge) return faultFor(status, policy.retryAfterSeconds);
  }
  return undefined;
}

