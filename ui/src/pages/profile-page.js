// One profile: its fields, and summary, description and tradecraft rendered by their format.
import { html } from 'htm/preact';
import { call, apiUrl, getJson } from '../api.js';
import { RichContent } from '../render-content.js';
import { hrefOf } from '../route.js';
import { day, Status, useAsync } from '../use-async.js';

async function loadProfile(id) {
  const key = encodeURIComponent(id);
  const [profile, count] = await Promise.all([getJson(`intelProfiles/${key}`), call(apiUrl(`intelProfiles/${key}/indicators/$count`)).then((r) => Number(r.data))]);
  return { profile, count };
}

export function ProfilePage({ params }) {
  const state = useAsync(() => loadProfile(params.id ?? ''), [params.id]);
  const p = state.data?.profile;
  return html`
    <${Status} state=${state} />
    ${p
      ? html`
          <article class="profile">
            <h1>${p.title}</h1>
            <dl class="fields">
              <dt>Kind</dt><dd>${p.kind}</dd>
              <dt>Aliases</dt><dd>${(p.aliases ?? []).join(', ') || '—'}</dd>
              <dt>Countries or regions of origin</dt><dd>${(p.countriesOrRegionsOfOrigin ?? []).map((c) => `${c.label} (${c.code})`).join(', ') || '—'}</dd>
              <dt>Targets</dt><dd>${(p.targets ?? []).join(', ') || '—'}</dd>
              <dt>First active</dt><dd>${day(p.firstActiveDateTime)}</dd>
              <dt>Indicators</dt><dd><a id="profile-indicators" href=${hrefOf('indicators', { profile: p.id })}>${state.data.count} indicators</a> · <a id="profile-timeline" href=${hrefOf('timeline', { profile: p.id })}>timeline</a></dd>
            </dl>
            <section id="summary"><h2>Summary</h2><${RichContent} value=${p.summary} /></section>
            <section id="description"><h2>Description</h2><${RichContent} value=${p.description} /></section>
            <section id="tradecraft"><h2>Tradecraft</h2><${RichContent} value=${p.tradecraft} /></section>
          </article>
        `
      : null}
  `;
}
