/**
 * `@odata.nextLink`: an absolute URL back to this server with the request's own query options (as Graph
 * keeps them), minus `$skip` (first page only) and the previous `$skiptoken`, plus the new token.
 * Percent-encoded, ASCII only, no braces: safe for Kiota's URI-template expander and the old client.
 */
const decodeName = (raw: string): string => {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).replace(/^\$/, '').toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
};

const DROPPED = new Set(['skip', 'skiptoken']);

export function buildNextLink(base: string, rawQuery: string, skipToken: string): string {
  const kept = rawQuery
    .split('&')
    .filter((p) => p.length > 0)
    .filter((p) => !DROPPED.has(decodeName(p.split('=')[0]!)))
    .map((p) => {
      const eq = p.indexOf('=');
      const name = eq < 0 ? p : p.slice(0, eq);
      const value = eq < 0 ? '' : p.slice(eq + 1);
      const decode = (s: string): string => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      return `${encodeURIComponent(decode(name)).replace(/^%24/, '$')}=${encodeURIComponent(decode(value)).replace(/'/g, '%27')}`;
    });
  kept.push(`$skiptoken=${skipToken}`);
  return `${base}?${kept.join('&')}`;
}

/** The decoded value of a system query option, by name without `$`, matched case-insensitively. */
export function rawOptionValue(rawQuery: string, name: string): string | undefined {
  for (const p of rawQuery.split('&')) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (decodeName(p.slice(0, eq)) !== name) continue;
    try {
      return decodeURIComponent(p.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return p.slice(eq + 1);
    }
  }
  return undefined;
}
