/**
 * Whole-file input for the formats whose files are single small documents (a CVE record, an RDAP response, a
 * certificate): the bytes, or why they cannot be read as one document (too large to hold).
 */
import type { ReaderContext } from './types.js';
import { MAX_VALUE_DEPTH } from './stream-json-array.js';

/** Largest single-document input (a CVE record is about 20 kB, an RDAP response a few kB, a PEM 2 kB). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export async function readWholeFile(ctx: ReaderContext, limit = MAX_DOCUMENT_BYTES): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of ctx.open()) {
    n += c.length;
    if (n > limit) return { ok: false, reason: `file larger than ${limit} bytes (one document per file)` };
    chunks.push(c);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** Whether JSON `bytes` nest objects and arrays deeper than `max` (strings skipped, escapes included). */
function depthOver(bytes: Buffer, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x22) {
      for (i++; i < bytes.length && bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
    } else if (b === 0x7b || b === 0x5b) {
      if (++depth > max) return true;
    } else if (b === 0x7d || b === 0x5d) depth--;
  }
  return false;
}

/** The file as one JSON document, or why it is not one. */
export async function readJsonDocument(ctx: ReaderContext): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> {
  const r = await readWholeFile(ctx);
  if (!r.ok) return r;
  // Readers walk the document recursively: a deeper one would end in a stack overflow, not a reason.
  if (depthOver(r.bytes, MAX_VALUE_DEPTH)) return { ok: false, reason: `nested deeper than ${MAX_VALUE_DEPTH} levels` };
  try {
    return { ok: true, value: JSON.parse(r.bytes.toString('utf8').replace(/^\uFEFF/, '')) };
  } catch (e) {
    return { ok: false, reason: `malformed JSON: ${(e as Error).message}` };
  }
}

/** ISO 8601 string of epoch ms. */
export const iso = (ms: number): string => new Date(ms).toISOString();
