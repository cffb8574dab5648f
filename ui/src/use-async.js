// Runs an async load when its inputs change; a result that arrives after newer inputs is dropped.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

export function useAsync(load, deps) {
  const [state, setState] = useState({ loading: true, error: null, data: null });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ loading: false, error: null, data }),
      (error) => live && setState({ loading: false, error, data: null }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

export function Status({ state }) {
  if (state.error) return html`<p class="error" role="alert">${state.error.message ?? String(state.error)}</p>`;
  if (state.loading) return html`<p class="muted" aria-live="polite">Loading…</p>`;
  return null;
}

export const day = (iso) => (iso ? iso.slice(0, 10) : '—');
