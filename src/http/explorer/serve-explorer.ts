/**
 * The intel explorer's static files (issue 15): `GET /` answers the built `index.html`, `GET /ui/…` the bundle's
 * assets, from the folder Vite writes during `npm install` (dist/ui). The explorer is a page on the public API:
 * it adds no data endpoint, and its scripts call the Graph routes with the caller's own token.
 *
 * Every answer carries the explorer's strict Content-Security-Policy (scripts only from this origin, no inline
 * script, no plugins, no framing, no <base>), `X-Frame-Options: DENY` and, from the first step,
 * `X-Content-Type-Options: nosniff`. A path that leaves the folder (`/ui/../package.json`, `%2e%2e`, a backslash,
 * a NUL) or names nothing in it is a Graph 404; any method but GET and HEAD is a 405.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errors } from '../../errors/catalog.js';
import type { Responder } from '../respond.js';
import type { Exchange, Step } from '../exchange.js';

export const EXPLORER_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Where `vite build` writes the bundle: dist/ui, next to the compiled server (dist/src/http/explorer). */
export const DEFAULT_EXPLORER_DIR = fileURLToPath(new URL('../../../ui/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html;charset=utf-8',
  '.js': 'text/javascript;charset=utf-8',
  '.css': 'text/css;charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json;charset=utf-8',
  '.map': 'application/json;charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain;charset=utf-8',
};

/** The explorer's headers, set on every answer of its paths (errors included). */
export function setExplorerHeaders(x: Exchange): void {
  x.res.setHeader('Content-Security-Policy', EXPLORER_CONTENT_SECURITY_POLICY);
  x.res.setHeader('X-Frame-Options', 'DENY');
  x.res.setHeader('Referrer-Policy', 'no-referrer');
}

export const isExplorerPath = (path: string): boolean => path === '/' || path === '/ui' || path.startsWith('/ui/');

/** The file a request path names inside `root`, or undefined when it would leave it or is not a plain path. */
export function fileFor(root: string, path: string): string | undefined {
  if (path === '/' || path === '/ui' || path === '/ui/') return join(root, 'index.html');
  let rel: string;
  try {
    rel = decodeURIComponent(path.slice('/ui/'.length));
  } catch {
    return undefined;
  }
  if (rel === '' || rel.includes('\0') || rel.includes('\\')) return undefined;
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.'))) return undefined;
  const base = resolve(root);
  const file = resolve(base, ...parts);
  return file.startsWith(base + sep) ? file : undefined;
}

export const serveExplorer =
  (responder: Responder, root: string = DEFAULT_EXPLORER_DIR): Step =>
  async (x) => {
    if (!isExplorerPath(x.path)) return;
    setExplorerHeaders(x);
    if (x.method !== 'GET' && x.method !== 'HEAD') throw errors.methodNotAllowed(x.method, ['GET', 'HEAD']);
    const file = fileFor(root, x.path);
    const type = file ? CONTENT_TYPES[extname(file).toLowerCase()] : undefined;
    if (!file || !type || !(await stat(file).then((s) => s.isFile(), () => false))) {
      if (x.path === '/') throw errors.serviceUnavailable('the explorer is not built; run `npm run build`.');
      throw errors.pathNotFound(x.path);
    }
    const body = await readFile(file);
    // Vite names assets by their content hash: they never change under one name.
    const cache = x.path.startsWith('/ui/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    responder.respond(x, 200, { 'Content-Type': type, 'Cache-Control': cache }, body);
    return 'done';
  };
