/**
 * Splits a raw (still percent-encoded) query string into system query options. Names are matched with or
 * without '$' and in any case; '+' is a space; duplicates and unknown '$' options are 400s; other
 * (custom) parameters are ignored, as OData prescribes.
 */
import { errors } from '../../errors/catalog.js';

export const SYSTEM_QUERY_OPTIONS = ['select', 'expand', 'filter', 'orderby', 'top', 'skip', 'count', 'search', 'skiptoken', 'format'] as const;
export type SystemQueryOptionName = (typeof SYSTEM_QUERY_OPTIONS)[number];

export interface RawQueryOption {
  /** The name as written (decoded), for messages. */
  readonly name: string;
  /** The decoded value. */
  readonly value: string;
}

export type RawQueryOptions = ReadonlyMap<SystemQueryOptionName, RawQueryOption>;

const KNOWN: ReadonlySet<string> = new Set(SYSTEM_QUERY_OPTIONS);

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw errors.malformedUrl(`the query ${what} '${part.length > 60 ? `${part.slice(0, 60)}…` : part}' has an invalid percent-encoding`);
  }
}

export function parseQueryString(rawQuery: string): RawQueryOptions {
  const options = new Map<SystemQueryOptionName, RawQueryOption>();
  const query = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq), 'parameter name');
    const bare = (name.startsWith('$') ? name.slice(1) : name).toLowerCase();
    if (!KNOWN.has(bare)) {
      if (name.startsWith('$')) throw errors.unknownQueryOption(name);
      continue; // custom query option
    }
    const key = bare as SystemQueryOptionName;
    if (options.has(key)) throw errors.duplicateQueryOption(`$${key}`);
    options.set(key, { name, value: decode(eq < 0 ? '' : pair.slice(eq + 1), `value of '${name}'`) });
  }
  return options;
}
