/**
 * Reads the request body as the route declares it: none, JSON (writes; `application/json` only, parsed), or bytes
 * with their media type (an action taking any format). Bounded in size (413) before and while reading.
 */
import type { IncomingMessage } from 'node:http';
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

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw errors.unsupportedMediaType(type || '(none)');
  const text = (await readBytes(req, limit)).bytes.toString('utf8');
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
