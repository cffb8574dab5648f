// Runs an async load when its inputs change; a result that arrives after newer inputs is dropped, and a result
// for older inputs is never shown.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

export function useAsync(load, deps) {
  const key = JSON.stringify(deps);
  const [state, setState] = useState({ key: null, loading: true, error: null, data: null });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ key, loading: false, error: null, data }),
      (error) => live && setState({ key, loading: false, error, data: null }),
    );
    return () => {
      live = false;
    };
  }, deps);
  // What was loaded for other inputs is never shown for these: until their answer arrives, the page is loading.
  return state.key === key ? state : { key, loading: true, error: null, data: null };
}

export function Status({ state }) {
  if (state.error) return html`<p class="error" role="alert">${state.error.message ?? String(state.error)}</p>`;
  if (state.loading) return html`<p class="muted" aria-live="polite">Loading…</p>`;
  return null;
}

export const day = (iso) => (iso ? iso.slice(0, 10) : '—');
