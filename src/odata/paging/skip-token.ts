/**
 * Opaque keyset `$skiptoken`: the sort values of the last row served, bound to the query shape (type, parent,
 * ordering) by a short hash so a token cannot continue a different listing. Stateless, so any server process
 * sharing the store can continue a listing. Format: base64url(JSON [version, shape, values]).
 */
import { createHash } from 'node:crypto';
import { errors } from '../../errors/catalog.js';
import type { SortValue } from '../plan/query-plan.js';

const VERSION = 1;
const MAX_TOKEN_LENGTH = 4096;

export const shapeHash = (shape: string): string => createHash('sha256').update(shape).digest('base64url').slice(0, 12);

export function encodeSkipToken(shape: string, values: readonly SortValue[]): string {
  return Buffer.from(JSON.stringify([VERSION, shapeHash(shape), values])).toString('base64url');
}

export function decodeSkipToken(token: string, shape: string, expectedValues: number): SortValue[] {
  if (token.length > MAX_TOKEN_LENGTH) throw errors.invalidSkipToken('the token is too long');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw errors.invalidSkipToken('the token is not in the format this server issues');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
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
