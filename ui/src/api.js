// Calls to the public Graph API with the caller's token. Nothing here reaches the store another way.
import { readToken, setReadToken } from './session.js';

export const BASE = '/v1.0/security/threatIntelligence/';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** An OData string literal: single quotes doubled. */
export const literal = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** `path` relative to BASE, or an absolute nextLink; `params` as OData query options. */
export function apiUrl(path, params = {}) {
  const u = new URL(path, new URL(BASE, location.origin));
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.searchParams.set(k, v);
  return u.pathname + u.search;
}

export async function call(url, { token = readToken(), method = 'GET', body, contentType } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (contentType) headers['Content-Type'] = contentType;
  const r = await fetch(url, { method, headers, body });
  const text = await r.text();
  let data = text;
  try {
    data = JSON.parse(text);
  } catch {
    /* $count answers text/plain */
  }
  if (!r.ok) {
    if (r.status === 401 && token === readToken()) setReadToken('');
    throw new ApiError(r.status, data?.error?.message ?? `HTTP ${r.status}`);
  }
  return { data, headers: r.headers };
}

export const getJson = async (path, params) => (await call(apiUrl(path, params))).data;

/** The `$skiptoken` of a nextLink (the page after this one), or ''. */
export const skipTokenOf = (nextLink) => (nextLink ? new URL(nextLink).searchParams.get('$skiptoken') ?? '' : '');
