/**
 * The bulk import action (declared in the model, routed like every URL):
 *
 *   POST …/threatIntelligence/microsoft.graph.security.import[?format=&profile=&source=&strict=&name=]
 *        body: any import format — application/json (STIX 2.1 bundle, MISP event or galaxy, CVE JSON 5 record,
 *        RDAP object), text/csv (Microsoft IOC CSV), text/plain (IOC list; CSV detected by its header line),
 *        application/x-ndjson (passive DNS COF), a PEM or DER certificate (application/x-pem-file,
 *        application/pkix-cert, application/octet-stream). Requires write access.
 *   → 202 Accepted with the importJob and `Location: …/threatIntelligence/importJobs/{id}`.
 *
 * Query options mirror `tigraph import`: format (default detected), profile (attach every indicator to this
 * profile), source, strict (true: any rejected record aborts the job with nothing written), name (the file name
 * the body stands for: an IOC list names its profile after it, as `apt_kimsuky.txt` → kimsuky), host (X.509: the
 * host[:port] that served the certificates, as `tigraph import --host`).
 *
 * Checked before a job is created (Graph 4xx): the options, the media type (415), an empty body, a JSON body that
 * does not parse or is neither a STIX bundle nor a MISP document, an IOC list naming no profile. Malformed
 * records inside a well-formed body do not fail the job: they are counted in the job's summary with positions.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { errors } from '../errors/catalog.js';
import { DETECTION_HEAD_BYTES, detectFormat, FORMATS, type ImportFormat } from '../import/detect-format.js';
import { SOURCES, type IndicatorSourceName } from '../import/types.js';
import { parseHostOption } from '../import/readers/x509.js';
import type { Action } from '../model/model.js';
import type { ImportJobQueue } from './import-job-queue.js';

/** A request body read as bytes (an action whose declaration says `body: 'bytes'`). */
export interface RawBody {
  readonly kind: 'raw';
  /** Media type, lower case, without parameters ('' when absent). */
  readonly contentType: string;
  readonly bytes: Buffer;
}

const JSON_TYPES = new Set(['application/json', 'application/stix+json', 'application/taxii+json', 'application/misp+json', 'application/rdap+json']);
/**
 * Bodies checked by their importer only — text, JSON lines (passive DNS COF), certificates (PEM or DER) — with the
 * extension of the file they are spooled to.
 */
const OTHER_TYPES: ReadonlyMap<string, string> = new Map([
  ['text/plain', 'txt'],
  ['text/csv', 'csv'],
  ['application/x-ndjson', 'jsonl'],
  ['application/jsonl', 'jsonl'],
  ['application/x-pem-file', 'pem'],
  ['application/pkix-cert', 'der'],
  ['application/x-x509-ca-cert', 'der'],
  ['application/octet-stream', 'bin'],
]);
const MAX_NAME_LENGTH = 200;

export function isRawBody(b: unknown): b is RawBody {
  return typeof b === 'object' && b !== null && (b as RawBody).kind === 'raw' && Buffer.isBuffer((b as RawBody).bytes);
}

interface ActionOptions {
  readonly format: ImportFormat | undefined;
  readonly profile: string | undefined;
  readonly source: IndicatorSourceName | undefined;
  readonly strict: boolean;
  readonly name: string | undefined;
  readonly host: string | undefined;
}

function readOptions(action: Action, query: string): ActionOptions {
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (!key.startsWith('$') && !action.queryParameters.includes(key)) throw errors.invalidActionParameter(key, `one of ${action.queryParameters.join(', ')}`);
  }
  const opt = (name: string): string | undefined => {
    const v = params.get(name);
    return v === null || v === '' ? undefined : v;
  };
  const format = opt('format');
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) throw errors.invalidActionParameter('format', `one of ${FORMATS.join(', ')}`);
  const source = opt('source');
  if (source !== undefined && !(SOURCES as readonly string[]).includes(source)) throw errors.invalidActionParameter('source', `one of ${SOURCES.join(', ')}`);
  const strict = opt('strict');
  if (strict !== undefined && strict !== 'true' && strict !== 'false') throw errors.invalidActionParameter('strict', 'true or false');
  const name = opt('name');
  if (name !== undefined && (basename(name) !== name || name.startsWith('.') || name.length > MAX_NAME_LENGTH)) throw errors.invalidActionParameter('name', 'a plain file name');
  const host = opt('host');
  if (host !== undefined) {
    const parsed = parseHostOption(host);
    if (!parsed.ok) throw errors.invalidActionParameter('host', `a hostname or IP address, optionally with :port (${parsed.reason})`);
  }
  return { format: format as ImportFormat | undefined, profile: opt('profile'), source: source as IndicatorSourceName | undefined, strict: strict === 'true', name, host };
}

/** Validates the request, spools the body and queues the job; returns the job's id. */
export async function handleImportAction(queue: ImportJobQueue, action: Action, query: string, body: unknown): Promise<string> {
  const options = readOptions(action, query);
  if (!isRawBody(body)) throw errors.invalidBody('no body');
  const json = JSON_TYPES.has(body.contentType);
  if (!json && !OTHER_TYPES.has(body.contentType)) throw errors.unsupportedImportMediaType(body.contentType || '(none)');
  if (body.bytes.length === 0) throw errors.invalidBody('the body is empty');
  if (json) {
    try {
      JSON.parse(body.bytes.toString('utf8').replace(/^\uFEFF/, ''));
    } catch (e) {
      throw errors.invalidBody(`not valid JSON (${(e as Error).message})`);
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'tigraph-import-job-'));
  const spooled = join(dir, options.name ?? `body.${json ? 'json' : OTHER_TYPES.get(body.contentType)!}`);
  await writeFile(spooled, body.bytes);
  let submitted = false;
  try {
    const format = options.format ?? detectFormat({ name: spooled, head: body.bytes.subarray(0, DETECTION_HEAD_BYTES).toString('utf8') });
    if (!format) throw errors.invalidBody('a JSON body must be a STIX 2.1 bundle or a MISP event, feed event or galaxy (or name ?format=)');
    if (format === 'ioc-list' && options.profile === undefined && options.name === undefined) {
      throw errors.invalidBody('an IOC list names no profile: add ?profile=<title> or ?name=<file name> (apt_<group>.txt names the group)');
    }
    const id = await queue.submit({
      file: spooled,
      dir,
      format,
      strict: options.strict,
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.source !== undefined ? { source: options.source } : {}),
      ...(options.host !== undefined ? { host: options.host } : {}),
    });
    submitted = true;
    return id;
  } finally {
    if (!submitted) await rm(dir, { recursive: true, force: true });
  }
}
