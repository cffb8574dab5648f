/**
 * Reads the request body as the route declares it: none, JSON (writes; `application/json` only, parsed), or bytes
 * with their media type (an action taking any format). Bounded in size (413) before and while reading.
 * JSON is UTF-8 (RFC 8259 §8.1): a leading byte order mark is skipped, a declared charset other than UTF-8 is 415.
 */
import type { IncomingMessage } from 'node:http';
import { widestObject } from './widest-object.js';
import { MAX_OBJECT_MEMBERS } from '../../odata/deserialize/read-entity.js';
import { errors } from '../../errors/catalog.js';
import type { RawBody } from '../../service/handle-import-action.js';
import type { Step } from '../exchange.js';

async function readBytes(req: IncomingMessage, limit: number): Promise<RawBody> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw errors.payloadTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw errors.payloadTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return { kind: 'raw', contentType, bytes: Buffer.concat(chunks) };
}

/** The `charset` parameter of a Content-Type (lower case, unquoted), if any. */
function charsetOf(contentType: string): string | undefined {
  for (const param of contentType.split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const header = req.headers['content-type'] ?? '';
  const type = header.split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw errors.unsupportedMediaType(type || '(none)');
  const charset = charsetOf(header);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw errors.unsupportedCharset(charset);
  const bytes = (await readBytes(req, limit)).bytes;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = bytes.toString('utf8', bom);
  // Refused before parsing: the outermost object over the member cap, or a nested one ten times over it (the
  // binder names a nested one's path when it is merely over the cap, read-entity.ts).
  const wide = widestObject(text);
  if (wide.root && wide.members > MAX_OBJECT_MEMBERS) throw errors.invalidBody(`the body has ${wide.members} members; an object may have at most ${MAX_OBJECT_MEMBERS}`);
  if (wide.members > 10 * MAX_OBJECT_MEMBERS) throw errors.invalidBody(`the object at character ${wide.at} has ${wide.members} members; an object may have at most ${MAX_OBJECT_MEMBERS}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.invalidBody(`not valid JSON (${(e as Error).message})`);
  }
}

export const readBody =
  (maxBodyBytes: number): Step =>
  async (x) => {
    const kind = x.route?.body ?? 'none';
    if (kind === 'json') x.body = await readJson(x.req, maxBodyBytes);
    else if (kind === 'bytes') x.body = await readBytes(x.req, maxBodyBytes);
  };
