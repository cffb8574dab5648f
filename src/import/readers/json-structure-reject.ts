/**
 * The reject a JSON reader reports when the document's structure breaks off (JsonStreamError): at the byte where it
 * did, 'truncated file' or a malformed structure, after the values read before it. Two-pass readers (stix.ts,
 * misp.ts) report the earlier of their passes' errors, so a file cut short between the passes (while being
 * written, say) is not read as a shorter file silently.
 */
import type { JsonStreamError } from '../stream-json-array.js';
import type { ImportItem } from '../types.js';

export const structureReject = (e: JsonStreamError): ImportItem => ({
  kind: 'reject',
  position: `byte ${e.offset}`,
  reason: e.truncated ? 'truncated file' : 'malformed JSON structure (rest of the file not read)',
});

/** The error to report of two passes' (either may be undefined): the one that broke off first. */
export const earlierError = (a: JsonStreamError | undefined, b: JsonStreamError | undefined): JsonStreamError | undefined => (a && b ? (b.offset < a.offset ? b : a) : (a ?? b));
