/**
 * Throttling buckets shared by every process on one PostgreSQL database (../rate-buckets.ts): a table outside the
 * model (no entity of the API), updated by one atomic statement per request.
 */
import type pg from 'pg';
import { retryAfter, type RateBuckets, type RateDecision } from '../rate-buckets.js';

const RATE_BUCKETS_TABLE = 'tigraph_rate_buckets';
export const RATE_BUCKETS_DDL = `CREATE TABLE IF NOT EXISTS "${RATE_BUCKETS_TABLE}" ("key" TEXT PRIMARY KEY, "tokens" DOUBLE PRECISION NOT NULL, "updated_ms" BIGINT NOT NULL, "admitted" BOOLEAN NOT NULL)`;
/**
 * One atomic statement per request: refill by the time since the last update, take a token when one is there, and
 * say whether it was taken. The row lock of the upsert serialises concurrent takers of one bucket across processes.
 * $1 key, $2 capacity, $3 now (ms), $4 refill per second.
 */
const REFILLED = `LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.updated_ms) * $4::float8 / 1000.0)`;
const TAKE_RATE_TOKEN = `INSERT INTO "${RATE_BUCKETS_TABLE}" AS b ("key", "tokens", "updated_ms", "admitted") VALUES ($1, $2::float8 - 1, $3::bigint, TRUE)
  ON CONFLICT ("key") DO UPDATE SET
    "tokens" = CASE WHEN ${REFILLED} >= 1 THEN ${REFILLED} - 1 ELSE ${REFILLED} END,
    "updated_ms" = GREATEST(b.updated_ms, $3::bigint),
    "admitted" = ${REFILLED} >= 1
  RETURNING "tokens", "admitted"`;

/** The buckets over `query` (the store's pool); driver errors pass through `translate`. */
export function postgresRateBuckets(
  query: (text: string, values: unknown[]) => Promise<pg.QueryResult<{ tokens: number; admitted: boolean }>>,
  translate: (e: unknown) => unknown,
): RateBuckets {
  return {
    take: async ({ key, capacity, refillPerSecond, now }): Promise<RateDecision> => {
      try {
        const r = await query(TAKE_RATE_TOKEN, [key, capacity, Math.round(now), refillPerSecond]);
        const row = r.rows[0]!;
        return { admitted: row.admitted, retryAfterSeconds: row.admitted ? 0 : retryAfter(row.tokens, refillPerSecond) };
      } catch (e) {
        throw translate(e);
      }
    },
  };
}
