// Indicators of one profile (?profile=) or of all: server paging, $filter built from the controls (source,
// artifact type through isof(), artifact text, first/last seen ranges), sortable
// columns, $count shown.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson, literal, skipTokenOf } from '../api.js';
import { go, hrefOf } from '../route.js';
import { day, Status, useAsync } from '../use-async.js';

export const INDICATOR_PAGE_SIZE = 10;
const SOURCES = ['microsoft', 'osint', 'public'];
/** Artifact types offered (host: a hostname or an IP address). */
const TYPES = ['host', 'hostname', 'ipAddress', 'sslCertificate', 'unclassifiedArtifact'];
const COLUMNS = [
  ['artifact', 'Artifact', 'artifact/id'],
  ['source', 'Source', 'source'],
  ['first', 'First seen', 'firstSeenDateTime'],
  ['last', 'Last seen', 'lastSeenDateTime'],
];
const shortType = (t) => (t ?? '').replace(/^#?microsoft\.graph\.security\./, '');

export function indicatorsFilter(p) {
  const parts = [];
  if (p.source) parts.push(`source eq ${literal(p.source)}`);
  if (p.type && /^[A-Za-z]+$/.test(p.type)) parts.push(`isof(artifact, microsoft.graph.security.${p.type})`);
  if (p.text) parts.push(`contains(artifact/id, ${literal(p.text)})`);
  if (p.firstFrom) parts.push(`firstSeenDateTime ge ${p.firstFrom}T00:00:00Z`);
  if (p.firstTo) parts.push(`firstSeenDateTime le ${p.firstTo}T23:59:59Z`);
  if (p.lastFrom) parts.push(`lastSeenDateTime ge ${p.lastFrom}T00:00:00Z`);
  if (p.lastTo) parts.push(`lastSeenDateTime le ${p.lastTo}T23:59:59Z`);
  return parts.join(' and ') || undefined;
}

export function indicatorsOrderBy(sort = '-first') {
  const desc = sort.startsWith('-');
  const col = COLUMNS.find(([key]) => key === sort.replace(/^-/, '')) ?? COLUMNS[2];
  return `${col[2]} ${desc ? 'desc' : 'asc'},id asc`;
}

export const indicatorsPath = (p) => (p.profile ? `intelProfiles/${encodeURIComponent(p.profile)}/indicators` : 'intelligenceProfileIndicators');

export const indicatorsQuery = (p) => ({
  $filter: indicatorsFilter(p),
  $orderby: indicatorsOrderBy(p.sort),
  $expand: 'artifact',
  $count: 'true',
  $top: String(INDICATOR_PAGE_SIZE),
  $skiptoken: p.skiptoken,
});

function DateField({ id, label, value, onChange }) {
  return html`<label for=${id}>${label}</label><input id=${id} type="date" value=${value ?? ''} onChange=${(e) => onChange(e.currentTarget.value)} />`;
}

export function IndicatorsPage({ params }) {
  const state = useAsync(() => getJson(indicatorsPath(params), indicatorsQuery(params)), [JSON.stringify(params)]);
  const [text, setText] = useState(params.text ?? '');
  useEffect(() => setText(params.text ?? ''), [params.text]);
  const set = (changes) => go('indicators', { ...params, skiptoken: undefined, ...changes });
  const page = state.data;
  const next = page ? skipTokenOf(page['@odata.nextLink']) : '';
  const sort = params.sort ?? '-first';
  return html`
    <h1>Indicators${params.profile ? html` of <a href=${hrefOf('profile', { id: params.profile })}>${params.profile}</a>` : ' of all profiles'}</h1>
    <form class="controls" onSubmit=${(e) => (e.preventDefault(), set({ text: text.trim() }))}>
      <label for="indicator-text">Artifact contains</label>
      <input id="indicator-text" type="search" value=${text} onInput=${(e) => setText(e.currentTarget.value)} />
      <button type="submit">Filter</button>
      <label for="indicator-source">Source</label>
      <select id="indicator-source" value=${params.source ?? ''} onChange=${(e) => set({ source: e.currentTarget.value })}>
        <option value="">any</option>
        ${SOURCES.map((s) => html`<option value=${s}>${s}</option>`)}
      </select>
      <label for="indicator-type">Artifact type</label>
      <select id="indicator-type" value=${params.type ?? ''} onChange=${(e) => set({ type: e.currentTarget.value })}>
        <option value="">any</option>
        ${TYPES.map((t) => html`<option value=${t}>${t === 'host' ? 'host (hostname or IP)' : t}</option>`)}
      </select>
      <${DateField} id="first-from" label="First seen from" value=${params.firstFrom} onChange=${(v) => set({ firstFrom: v })} />
      <${DateField} id="first-to" label="to" value=${params.firstTo} onChange=${(v) => set({ firstTo: v })} />
      <${DateField} id="last-from" label="Last seen from" value=${params.lastFrom} onChange=${(v) => set({ lastFrom: v })} />
      <${DateField} id="last-to" label="to" value=${params.lastTo} onChange=${(v) => set({ lastTo: v })} />
    </form>
    <${Status} state=${state} />
    ${page
      ? html`
          <p id="indicator-count" aria-live="polite">${page['@odata.count']} indicators</p>
          <table class="listing" id="indicators-table">
            <caption>Indicators, ${INDICATOR_PAGE_SIZE} per page, sorted by ${sort}</caption>
            <thead>
              <tr>
                ${COLUMNS.map(([key, label]) => {
                  const active = sort.replace(/^-/, '') === key;
                  const nextSort = active && !sort.startsWith('-') ? `-${key}` : key;
                  return html`<th scope="col" aria-sort=${active ? (sort.startsWith('-') ? 'descending' : 'ascending') : undefined}>
                    <button type="button" class="sort" data-sort=${key} onClick=${() => set({ sort: nextSort })}>${label}${active ? (sort.startsWith('-') ? ' ↓' : ' ↑') : ''}</button>
                  </th>`;
                })}
                <th scope="col">Type</th>
                ${params.profile ? null : html`<th scope="col">Indicator</th>`}
              </tr>
            </thead>
            <tbody>
              ${page.value.map(
                (i) => html`<tr data-id=${i.id}>
                  <td><a href=${hrefOf('artifact', { id: i.artifact.id, type: shortType(i.artifact['@odata.type']) })}>${i.artifact.id}</a></td>
                  <td>${i.source}</td>
                  <td>${day(i.firstSeenDateTime)}</td>
                  <td>${day(i.lastSeenDateTime)}</td>
                  <td>${shortType(i.artifact['@odata.type'])}</td>
                  ${params.profile ? null : html`<td><code>${i.id.slice(0, 8)}</code></td>`}
                </tr>`,
              )}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            ${params.skiptoken ? html`<a href=${hrefOf('indicators', { ...params, skiptoken: undefined })}>First page</a>` : null}
            ${next ? html`<a id="next-page" href=${hrefOf('indicators', { ...params, skiptoken: next })}>Next page</a>` : html`<span class="muted">End of the list</span>`}
          </nav>
        `
      : null}
  `;
}
