/**
 * Opaque keyset `$skiptoken`: the sort values of the last row served, bound to the query shape (type, parent,
 * ordering, filter, search) by a short hash so a token cannot continue a different listing, and authenticated with
 * an HMAC-SHA-256 under a key the store keeps (`store.secret('skiptoken')`: shared by every process on one store,
 * surviving restarts), so a forged or edited token is a 400 before its values reach SQL. Stateless otherwise: any
 * process sharing the store continues a listing.
 *
 * Format: base64url(JSON [version, shape hash, values]) "." base64url(first 16 bytes of the HMAC of that part).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { errors } from '../../errors/catalog.js';
import type { SortValue } from '../plan/query-plan.js';

const VERSION = 2;
const MAX_TOKEN_LENGTH = 4096;
const MAC_BYTES = 16;

export const shapeHash = (shape: string): string => createHash('sha256').update(shape).digest('base64url').slice(0, 12);

const mac = (key: Buffer, body: string): Buffer => createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);

export function encodeSkipToken(shape: string, values: readonly SortValue[], key: Buffer): string {
  const body = Buffer.from(JSON.stringify([VERSION, shapeHash(shape), values])).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

export function decodeSkipToken(token: string, shape: string, expectedValues: number, key: Buffer): SortValue[] {
  if (token.length > MAX_TOKEN_LENGTH) throw errors.invalidSkipToken('the token is too long');
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) throw errors.invalidSkipToken('the token is not in the format this server issues');
  const [, body, signature] = m as unknown as [string, string, string];
  // Compared as text: the last base64url character carries 4 padding bits, so byte comparison would accept variants.
  const given = Buffer.from(signature);
  const expected = Buffer.from(mac(key, body).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw errors.invalidSkipToken('the token was not issued by this server or was altered');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw errors.invalidSkipToken('the token is not in the format this server issues');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== VERSION) throw errors.invalidSkipToken('the token is not in the format this server issues');
  if (parsed[1] !== shapeHash(shape)) throw errors.invalidSkipToken('the token belongs to a different query ($filter, $orderby, $search or path changed)');
  const values = parsed[2];
  if (!Array.isArray(values) || values.length !== expectedValues || !values.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
    throw errors.invalidSkipToken('the token does not match the ordering');
  }
  return values as SortValue[];
}
