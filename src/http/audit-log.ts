/**
 * The audit log (`--audit-log <file>`, or `-` for stdout): one JSON line per write, import and refused
 * authentication, separate from the request log. Lines are written with a synchronous write(2) before the
 * response is sent, so every write a client saw acknowledged has its line in the file even if the process is
 * killed right after. `reopen()` (on SIGHUP) closes and reopens the file, for rotation by rename. Lines carry
 * `"audit": true` so that on stdout they are told apart from request-log lines.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { FinishedJob } from '../service/import-job-queue.js';
import type { Exchange } from './exchange.js';

export interface AuditLog {
  /** Writes the line for this answer when it is auditable (a write or import, or a refused authentication). */
  record(x: Exchange, status: number, headers: Record<string, string>): void;
  /** The outcome of an import job, with its counts (the job's submission has its own `import` line). */
  importFinished(finished: FinishedJob): void;
  reopen(): void;
  close(): void;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** The id a `Location` header ends with: `…/set('id')` or `…/set/id`. */
function locationId(location: string | undefined): string | undefined {
  if (!location) return undefined;
  const path = location.replace(/[?#].*$/, '');
  const quoted = /\('((?:[^']|'')*)'\)$/.exec(path);
  if (quoted) return decodeURIComponent(quoted[1]!).replace(/''/g, "'");
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last ? decodeURIComponent(last) : undefined;
}

function entityIds(x: Exchange, headers: Record<string, string>): string[] {
  const ids: string[] = [];
  const target = x.route?.target;
  if (target?.kind === 'resource') {
    const r = target.resource;
    if (r.kind === 'entity' || r.kind === 'navigation') ids.push(r.key);
    if ((r.kind === 'collection' || r.kind === 'entity') && r.parent) ids.unshift(r.parent.key);
  }
  const created = locationId(headers['Location'] ?? headers['location']);
  if (created !== undefined && !ids.includes(created)) ids.push(created);
  return ids;
}

/** Whether an answer gets an audit line: writes and imports (any outcome), and refused authentication. */
export function isAuditable(x: Exchange, status: number): boolean {
  if (status === 401 || status === 403) return true;
  return x.route?.access === 'write' && WRITE_METHODS.has(x.method);
}

export function auditLine(x: Exchange, status: number, headers: Record<string, string>, now = new Date()): Record<string, unknown> {
  const target = x.route?.target;
  const p = x.principal;
  return {
    audit: true,
    time: now.toISOString(),
    requestId: x.requestId,
    clientRequestId: x.clientRequestId,
    event: status === 401 || status === 403 ? 'refusedAuthentication' : target?.kind === 'resource' && target.resource.kind === 'action' ? 'import' : 'write',
    tenant: p?.tenantId ?? null,
    principal: p?.subject ?? null,
    principalKind: p?.kind ?? null,
    application: p?.clientId ?? null,
    permission: p ? [...p.permissions].filter((perm) => perm.startsWith('ThreatIntelligence.')).sort() : [],
    method: x.method,
    route: x.path,
    entityIds: entityIds(x, headers),
    status,
    remoteAddress: x.req.socket.remoteAddress ?? null,
  };
}

/** An audit log appending to `file`, or writing to stdout for '-'. */
export function openAuditLog(file: string): AuditLog {
  const stdout = file === '-';
  let fd = stdout ? 1 : openSync(file, 'a', 0o600);
  return {
    record(x, status, headers) {
      if (!isAuditable(x, status)) return;
      writeSync(fd, `${JSON.stringify(auditLine(x, status, headers))}\n`);
    },
    importFinished(finished) {
      writeSync(fd, `${JSON.stringify({ audit: true, time: new Date().toISOString(), event: 'importFinished', ...finished })}\n`);
    },
    reopen() {
      if (stdout) return;
      const next = openSync(file, 'a', 0o600);
      const old = fd;
      fd = next;
      closeSync(old);
    },
    close() {
      if (!stdout) closeSync(fd);
    },
  };
}
