/**
 * Throttling as Graph does it: a token bucket per client — tenant + application (`appid`/`azp`, and its service
 * principal) for app tokens, tenant + application + user for delegated ones, from the verified token — or the remote address for the unauthenticated public routes — with
 * `429 TooManyRequests` and `Retry-After` (seconds) beyond the limit, the header Microsoft's clients obey. Writes
 * and imports also draw from a second, smaller bucket. Runs after authentication (it needs the principal), so
 * health probes (answered earlier in the chain) are never throttled. The buckets live in the store: shared by all
 * processes on one PostgreSQL, in memory on the embedded store. Off unless `--rate-limit` is given.
 */
import { errors } from '../../errors/catalog.js';
import type { RateBuckets } from '../../storage/rate-buckets.js';
import type { Step } from '../exchange.js';
import { clientKey } from '../client-key.js';

export interface RateLimit {
  readonly requests: number;
  readonly seconds: number;
}

export interface ThrottleOptions {
  /** Every request of a client. */
  readonly all?: RateLimit;
  /** Writes and imports of a client, in addition. */
  readonly writes?: RateLimit;
}

/** `<requests>/<seconds>` (e.g. `100/10`); undefined when it is not one. */
export function parseRateLimit(value: string): RateLimit | undefined {
  const m = /^\s*(\d{1,9})\s*\/\s*(\d{1,7})\s*$/.exec(value);
  if (!m) return undefined;
  const requests = Number(m[1]);
  const seconds = Number(m[2]);
  return requests >= 1 && seconds >= 1 ? { requests, seconds } : undefined;
}

export const throttle =
  (buckets: RateBuckets, options: ThrottleOptions, now: () => number = Date.now): Step =>
  async (x) => {
    const client = clientKey(x);
    const take = async (prefix: string, limit: RateLimit): Promise<void> => {
      const d = await buckets.take({ key: `${prefix}:${client}`, capacity: limit.requests, refillPerSecond: limit.requests / limit.seconds, now: now() });
      if (!d.admitted) throw errors.tooManyRequests(d.retryAfterSeconds);
    };
    if (options.writes && x.route?.access === 'write') await take('write', options.writes);
    if (options.all) await take('all', options.all);
  };
