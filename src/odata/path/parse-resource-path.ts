/**
 * Parses the request path (still percent-encoded) into untyped segments: the API version, then either
 * `$metadata`, the service document, or a resource path below the model's root path (given by the caller from the
 * entity container: security/threatIntelligence). Keys are accepted
 * as segments (`/x/{id}`) and in parentheses (`/x('{id}')`, `/x(id='{id}')`); names are case-insensitive,
 * keys case-sensitive.
 */
import { errors } from '../../errors/catalog.js';

export type ApiVersion = 'v1.0' | 'beta';

export type PathSegment =
  | { readonly kind: 'name'; readonly name: string }
  /** `segment`: written as a path segment of its own (`/x/{id}`), so it may also be read as a name by the binder. */
  | { readonly kind: 'key'; readonly key: string; readonly segment?: boolean }
  | { readonly kind: 'count' };

export type ParsedPath =
  | { readonly kind: 'serviceDocument'; readonly version: ApiVersion }
  | { readonly kind: 'metadata'; readonly version: ApiVersion }
  | { readonly kind: 'resource'; readonly version: ApiVersion; readonly segments: readonly PathSegment[] }
  | { readonly kind: 'unknown' };

const VERSIONS: Readonly<Record<string, ApiVersion>> = { 'v1.0': 'v1.0', beta: 'beta' };

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw errors.malformedUrl(`invalid percent-encoding in path segment '${raw.slice(0, 100)}'`);
  }
}

/** `name('key')`, `name(key)`, `name(id='key')` → name + key; keys use '' to escape quotes. */
export function splitKey(segment: string): { name: string; key?: string } {
  const open = segment.indexOf('(');
  if (open < 0 || !segment.endsWith(')')) return { name: segment };
  const name = segment.slice(0, open);
  let inner = segment.slice(open + 1, -1);
  const named = /^\s*[A-Za-z_][A-Za-z0-9_]*\s*=\s*(.*)$/s.exec(inner);
  if (named) inner = named[1]!;
  inner = inner.trim();
  if (inner.length >= 2 && inner.startsWith("'") && inner.endsWith("'")) {
    const body = inner.slice(1, -1);
    if (/(^|[^'])'(?!')/.test(body.replace(/''/g, ''))) throw errors.invalidKey(`unbalanced quote in '${inner}'`);
    return { name, key: body.replace(/''/g, "'") };
  }
  if (inner.length === 0) throw errors.invalidKey(`empty key in '${segment}'`);
  return { name, key: inner };
}

/** `rootPath`: the segments from the version root to the entity whose collections are served (any case). */
export function parseResourcePath(rawPath: string, rootPath: readonly string[]): ParsedPath {
  const parts = rawPath.split('/').filter((p) => p.length > 0);
  const version = VERSIONS[decode(parts[0] ?? '').toLowerCase()];
  if (!version) return { kind: 'unknown' };
  if (parts.length === 1) return { kind: 'serviceDocument', version };
  const second = decode(parts[1]!);
  if (parts.length === 2 && second.toLowerCase() === '$metadata') return { kind: 'metadata', version };
  for (let i = 0; i < rootPath.length; i++) {
    const seg = parts[1 + i];
    if (seg === undefined || decode(seg).toLowerCase() !== rootPath[i]!.toLowerCase()) return { kind: 'unknown' };
  }
  const segments: PathSegment[] = [];
  for (const raw of parts.slice(1 + rootPath.length)) {
    const seg = decode(raw);
    if (seg === '$count') {
      segments.push({ kind: 'count' });
      continue;
    }
    // key-as-segment: any segment right after a name is that name's key, taken verbatim
    if (segments.at(-1)?.kind === 'name') {
      segments.push({ kind: 'key', key: seg, segment: true });
      continue;
    }
    const { name, key } = splitKey(seg);
    segments.push({ kind: 'name', name });
    if (key !== undefined) segments.push({ kind: 'key', key });
  }
  return { kind: 'resource', version, segments };
}
