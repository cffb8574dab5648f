// Profiles: $search, kind and origin filters, sort, server paging through @odata.nextLink, indicator counts per profile.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { call, apiUrl, getJson, literal, skipTokenOf } from '../api.js';
import { go, hrefOf } from '../route.js';
import { day, Status, useAsync } from '../use-async.js';

export const PROFILE_PAGE_SIZE = 5;
const SORTS = { title: 'title asc', '-title': 'title desc', '-active': 'firstActiveDateTime desc', active: 'firstActiveDateTime asc' };
const KINDS = ['actor', 'tool'];

export function profilesFilter(p) {
  const parts = [];
  if (p.kind) parts.push(`kind eq ${literal(p.kind)}`);
  if (p.origin) parts.push(`countriesOrRegionsOfOrigin/any(c: c/code eq ${literal(p.origin.toUpperCase())})`);
  return parts.join(' and ') || undefined;
}

/** The API query the page's URL state stands for (the test runs the same one). */
export function profilesQuery(p) {
  return {
    $search: p.search ? p.search : undefined,
    $filter: profilesFilter(p),
    $orderby: SORTS[p.sort ?? 'title'] ?? SORTS.title,
    $select: 'id,title,kind,aliases,firstActiveDateTime,countriesOrRegionsOfOrigin',
    $count: 'true',
    $top: String(PROFILE_PAGE_SIZE),
    $skiptoken: p.skiptoken,
  };
}

async function loadProfiles(p) {
  const page = await getJson('intelProfiles', profilesQuery(p));
  const counts = await Promise.all(page.value.map((row) => call(apiUrl(`intelProfiles/${encodeURIComponent(row.id)}/indicators/$count`)).then((r) => Number(r.data))));
  return { ...page, counts };
}

export function ProfilesPage({ params }) {
  const state = useAsync(() => loadProfiles(params), [JSON.stringify(params)]);
  const [search, setSearch] = useState(params.search ?? '');
  const [origin, setOrigin] = useState(params.origin ?? '');
  // the boxes follow the URL (back, forward, a link), not only typing
  useEffect(() => setSearch(params.search ?? ''), [params.search]);
  useEffect(() => setOrigin(params.origin ?? ''), [params.origin]);
  const set = (changes) => go('profiles', { ...params, skiptoken: undefined, ...changes });
  const page = state.data;
  const next = page ? skipTokenOf(page['@odata.nextLink']) : '';
  return html`
    <h1>Intel profiles</h1>
    <form class="controls" role="search" onSubmit=${(e) => (e.preventDefault(), set({ search: search.trim(), origin: origin.trim().toUpperCase() }))}>
      <label for="profile-search">Search</label>
      <input id="profile-search" type="search" value=${search} onInput=${(e) => setSearch(e.currentTarget.value)} placeholder="title, alias or summary" />
      <label for="profile-origin">Origin code</label>
      <input id="profile-origin" class="code" type="text" maxlength="8" value=${origin} onInput=${(e) => setOrigin(e.currentTarget.value)} placeholder="RU" />
      <button type="submit">Search</button>
      <label for="profile-kind">Kind</label>
      <select id="profile-kind" value=${params.kind ?? ''} onChange=${(e) => set({ kind: e.currentTarget.value })}>
        <option value="">any</option>
        ${KINDS.map((k) => html`<option value=${k}>${k}</option>`)}
      </select>
      <label for="profile-sort">Sort</label>
      <select id="profile-sort" value=${params.sort ?? 'title'} onChange=${(e) => set({ sort: e.currentTarget.value })}>
        <option value="title">title A→Z</option>
        <option value="-title">title Z→A</option>
        <option value="-active">first active, newest</option>
        <option value="active">first active, oldest</option>
      </select>
    </form>
    <${Status} state=${state} />
    ${page
      ? html`
          <p id="profile-count" aria-live="polite">${page['@odata.count']} profiles</p>
          <table class="listing" id="profiles-table">
            <caption>Profiles, ${PROFILE_PAGE_SIZE} per page</caption>
            <thead><tr><th scope="col">Title</th><th scope="col">Kind</th><th scope="col">Aliases</th><th scope="col">Origin</th><th scope="col">First active</th><th scope="col">Indicators</th></tr></thead>
            <tbody>
              ${page.value.map(
                (p, i) => html`<tr data-id=${p.id}>
                  <td><a href=${hrefOf('profile', { id: p.id })}>${p.title}</a></td>
                  <td>${p.kind}</td>
                  <td>${(p.aliases ?? []).join(', ')}</td>
                  <td>${(p.countriesOrRegionsOfOrigin ?? []).map((c) => html`<abbr title=${c.label}>${c.code}</abbr> `)}</td>
                  <td>${day(p.firstActiveDateTime)}</td>
                  <td class="num"><a href=${hrefOf('indicators', { profile: p.id })} aria-label=${`${page.counts[i]} indicators of ${p.title}`}>${page.counts[i]}</a></td>
                </tr>`,
              )}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            ${params.skiptoken ? html`<a href=${hrefOf('profiles', { ...params, skiptoken: undefined })}>First page</a>` : null}
            ${next ? html`<a id="next-page" href=${hrefOf('profiles', { ...params, skiptoken: next })}>Next page</a>` : html`<span class="muted">End of the list</span>`}
          </nav>
        `
      : null}
  `;
}
