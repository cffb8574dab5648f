// The caller's tokens. The read token lives in sessionStorage (this tab only, gone when it closes); a pasted write
// token for imports lives in memory only. Nothing else is ever stored.
const KEY = 'tigraph.token';
let writeToken = '';
const listeners = new Set();

export const readToken = () => sessionStorage.getItem(KEY) ?? '';
export const getWriteToken = () => writeToken;

export function setReadToken(token) {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
  listeners.forEach((f) => f());
}

export function setWriteToken(token) {
  writeToken = token.trim();
}

export function onSessionChange(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** What the server offers: {mode: 'dev'|'oidc', localSignIn: boolean}. */
export async function signInOptions() {
  const r = await fetch('/ui/sign-in', { headers: { Accept: 'application/json' } });
  return r.json();
}

/** The dev-mode one-click sign-in: a 1-hour read token minted by the server for this loopback page. */
export async function signInLocally() {
  const r = await fetch('/ui/sign-in', { method: 'POST', headers: { 'X-Tigraph-Sign-In': '1', Accept: 'application/json' } });
  const body = await r.json();
  if (!r.ok) throw new Error(body?.error?.message ?? `sign-in failed (${r.status})`);
  setReadToken(body.token);
}
