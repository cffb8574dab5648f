/**
 * The longest strings tigraph stores, in UTF-8 bytes, declared once for every store and every way in (the write
 * API's deserializer, the importers):
 *
 * - keys and single string properties of an entity are columns that may be indexed together, up to three in one
 *   index (`(profile id, title, id)`): PostgreSQL refuses a btree entry over 2704 bytes (a 3 KB title was a 500),
 *   so each gets at most 800 bytes — ids are hashes or host names (≤ 253), titles are names;
 * - single strings declared `freeText` in the model (raw whois text, URLs) are not indexed and get the text limit;
 * - strings inside complex values and collections (a profile's summary, description and tradecraft, aliases)
 *   are stored as JSON and never indexed: each at most 1 MiB, so one entity stays small enough to page through
 *   (40 profiles with 15 MiB summaries made every `GET intelProfiles` fail with a 500).
 */
export const MAX_INDEXED_STRING_BYTES = 800;
export const MAX_TEXT_STRING_BYTES = 1024 * 1024;

/** Why `text` is too long for `limit` bytes, or undefined. Counts UTF-8 bytes without encoding short strings. */
export function lengthProblem(text: string, limit: number): string | undefined {
  // A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair, two units, is 4): short strings need no count.
  if (text.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes <= limit ? undefined : `the string is ${bytes} bytes long (UTF-8); at most ${limit} are stored`;
}
