// An artifact: its properties (as an indicator expands it, and hosts/{id} for a hostname or IP address) and the
// profiles that list it (the pivot: intelProfiles?$filter=indicators/any(i: i/artifact/id eq '…')).
import { html } from 'htm/preact';
import { getJson, literal } from '../api.js';
import { hrefOf } from '../route.js';
import { Status, useAsync } from '../use-async.js';

const HOST_TYPES = ['hostname', 'ipAddress'];
/** The host navigations the API serves as collections (empty when nothing is known). */
export const ENRICHMENT = ['passiveDns', 'ports', 'sslCertificates', 'components', 'trackers', 'subdomains', 'hostPairs'];
const ENRICHMENT_TOP = 5;

async function loadArtifact(id, type) {
  const key = literal(id);
  const [indicators, profiles, host] = await Promise.all([
    getJson('intelligenceProfileIndicators', { $filter: `artifact/id eq ${key}`, $expand: 'artifact', $top: '1' }),
    getJson('intelProfiles', { $filter: `indicators/any(i: i/artifact/id eq ${key})`, $select: 'id,title,kind', $orderby: 'title asc', $top: '999' }),
    HOST_TYPES.includes(type) ? getJson(`hosts/${encodeURIComponent(id)}`) : Promise.resolve(null),
  ]);
  const enrichment = host
    ? await Promise.all(ENRICHMENT.map((nav) => getJson(`hosts/${encodeURIComponent(id)}/${nav}`, { $top: String(ENRICHMENT_TOP) }).then((r) => ({ nav, items: r.value, more: !!r['@odata.nextLink'] }))))
    : [];
  return { artifact: host ?? indicators.value[0]?.artifact ?? null, profiles: profiles.value, host, enrichment };
}

const show = (v) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function ArtifactPage({ params }) {
  const state = useAsync(() => loadArtifact(params.id ?? '', params.type ?? ''), [params.id, params.type]);
  const d = state.data;
  const props = d?.artifact ? Object.entries(d.artifact).filter(([k]) => !k.startsWith('@')) : [];
  return html`
    <h1>Artifact <code>${params.id}</code></h1>
    <${Status} state=${state} />
    ${d
      ? html`
          <section>
            <h2>Properties${d.artifact ? ` (${(d.artifact['@odata.type'] ?? '').replace(/^#microsoft\.graph\.security\./, '')})` : ''}</h2>
            ${d.artifact
              ? html`<table class="listing" id="artifact-properties"><caption>Properties of the artifact</caption>
                  <tbody>${props.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${show(v)}</td></tr>`)}</tbody></table>`
              : html`<p class="muted">No indicator lists this artifact.</p>`}
            ${d.host ? html`<p class="muted">Served by <code>hosts/${params.id}</code>.</p>` : null}
          </section>
          ${d.host
            ? html`<section>
                <h2>Enrichment</h2>
                <dl class="fields" id="artifact-enrichment">
                  ${d.enrichment.map(
                    (e) => html`<dt>${e.nav}</dt><dd data-nav=${e.nav}>${e.items.length === 0 ? 'none' : `${e.items.length}${e.more ? '+' : ''}: ${e.items.map((i) => i.id).join(', ')}`}</dd>`,
                  )}
                </dl>
              </section>`
            : null}
          <section>
            <h2>Profiles that list it</h2>
            <ul id="artifact-profiles">
              ${d.profiles.map((p) => html`<li><a href=${hrefOf('profile', { id: p.id })}>${p.title}</a> (${p.kind})</li>`)}
            </ul>
          </section>
        `
      : null}
  `;
}
