// Sign-in: in dev mode one click mints a 1-hour read token (loopback only); in any mode a token can be pasted
// (oidc: a token from your identity provider, e.g. `az account get-access-token --resource api://tigraph`).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { setReadToken, signInLocally, signInOptions } from '../session.js';

export function SignInPanel({ signedIn }) {
  const [options, setOptions] = useState(null);
  const [error, setError] = useState('');
  const [pasted, setPasted] = useState('');
  useEffect(() => {
    signInOptions().then(setOptions, (e) => setError(String(e.message ?? e)));
  }, []);
  if (signedIn) {
    return html`<div class="session"><span>Signed in</span> <button type="button" onClick=${() => setReadToken('')}>Sign out</button></div>`;
  }
  const paste = (e) => {
    e.preventDefault();
    if (pasted.trim()) setReadToken(pasted.trim());
  };
  const local = async () => {
    setError('');
    try {
      await signInLocally();
    } catch (e) {
      setError(String(e.message ?? e));
    }
  };
  return html`
    <div class="session">
      ${options?.localSignIn ? html`<button type="button" id="sign-in-locally" onClick=${local}>Sign in locally (read, 1 hour)</button>` : null}
      <form onSubmit=${paste} class="paste">
        <label for="pasted-token">${options?.mode === 'oidc' ? 'Access token from your identity provider' : 'Or paste a token'}</label>
        <input id="pasted-token" type="password" autocomplete="off" value=${pasted} onInput=${(e) => setPasted(e.currentTarget.value)} />
        <button type="submit">Use token</button>
      </form>
      ${options?.mode === 'oidc'
        ? html`<p class="hint">This server verifies tokens of its OIDC issuer (e.g. <code>az account get-access-token --resource api://tigraph --query accessToken -o tsv</code>). The token stays in this tab's session storage.</p>`
        : null}
      ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    </div>
  `;
}
