/**
 * Token buckets for throttling, behind the store so that processes sharing one PostgreSQL share the buckets
 * (postgres-store.ts keeps them in a table, updated by one atomic statement per request). The embedded store runs
 * in one process and keeps them in memory (this class).
 */
export interface RateTake {
  /** The client's bucket (e.g. `all:<tenant>:<principal>`). */
  readonly key: string;
  /** Bucket size: requests admitted in a burst. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
  /** Epoch milliseconds. */
  readonly now: number;
}

export interface RateDecision {
  readonly admitted: boolean;
  /** Whole seconds until a token is there again (0 when admitted). */
  readonly retryAfterSeconds: number;
}

export interface RateBuckets {
  take(request: RateTake): Promise<RateDecision>;
}

/** Seconds until `tokens` (< 1) refills to 1, rounded up, at least 1. */
export const retryAfter = (tokens: number, refillPerSecond: number): number => Math.max(1, Math.ceil((1 - tokens) / refillPerSecond));

/** One process's buckets; least recently used ones beyond `maxKeys` are forgotten (a full bucket is the default). */
export class MemoryRateBuckets implements RateBuckets {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async take({ key, capacity, refillPerSecond, now }: RateTake): Promise<RateDecision> {
    const b = this.buckets.get(key);
    const refilled = b ? Math.min(capacity, b.tokens + (Math.max(0, now - b.updated) * refillPerSecond) / 1000) : capacity;
    const admitted = refilled >= 1;
    const tokens = admitted ? refilled - 1 : refilled;
    this.buckets.delete(key);
    this.buckets.set(key, { tokens, updated: Math.max(now, b?.updated ?? now) });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    return { admitted, retryAfterSeconds: admitted ? 0 : retryAfter(tokens, refillPerSecond) };
  }
}
