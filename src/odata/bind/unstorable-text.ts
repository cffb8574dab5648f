/**
 * Text neither store can hold: PostgreSQL rejects U+0000 in text and both stores (UTF-8) cannot encode a lone
 * UTF-16 surrogate. Such text is refused where it enters (path keys, literals, $search, request bodies) so the
 * store never sees it. Hand-written: it is one scan, and the message needs the character's index.
 */

// Any NUL or surrogate code unit; pairs are then told apart from lone halves by the scan.
const SUSPECT = /[\u0000\ud800-\udfff]/;

/** The first character the stores cannot hold, with its index, or undefined when all of `text` can be stored. */
export function findUnstorable(text: string): { readonly index: number; readonly describe: string } | undefined {
  if (!SUSPECT.test(text)) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return { index: i, describe: 'a NUL character (U+0000)' };
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) return { index: i, describe: `a lone surrogate (U+${c.toString(16).toUpperCase()})` };
  }
  return undefined;
}
