// An artifact: its properties (as an indicator expands it, and hosts/{id} for a hostname or IP address, with its
// enrichment: collections, reputation, whois) and the
// profiles that list it (the pivot: intelProfiles?$filter=indicators/any(i: i/artifact/id eq '…')).
import { html } from 'htm/preact';
import { ApiError, getJson, literal } from '../api.js';
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
  // The single-valued enrichment: whois through its collection (no 404 when there is none); reputation has no
  // collection, so a host without one answers 404 (Graph's answer for a missing navigation), shown as none.
  const [whois, reputation] = host
    ? await Promise.all([
        getJson('whoisRecords', { $filter: `host/id eq ${key}`, $top: '1' }).then((r) => r.value[0] ?? null),
        getJson(`hosts/${encodeURIComponent(id)}/reputation`).catch((e) => {
          if (e instanceof ApiError && e.status === 404) return null;
          throw e;
        }),
      ])
    : [null, null];
  return { artifact: host ?? indicators.value[0]?.artifact ?? null, profiles: profiles.value, host, enrichment, whois, reputation };
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
                <h3>Reputation</h3>
                ${d.reputation
                  ? html`<dl class="fields" id="artifact-reputation">
                      <dt>classification</dt><dd data-field="classification">${d.reputation.classification}</dd>
                      <dt>score</dt><dd data-field="score">${d.reputation.score}</dd>
                      <dt>rules</dt><dd data-field="rules">${(d.reputation.rules ?? []).map((r) => `${r.name} (${r.severity})`).join('; ') || 'none'}</dd>
                    </dl>`
                  : html`<p id="artifact-reputation" class="muted">none</p>`}
                <h3>Whois</h3>
                ${d.whois
                  ? html`<dl class="fields" id="artifact-whois">
                      <dt>registrar</dt><dd data-field="registrar">${d.whois.registrar?.name ?? '—'}</dd>
                      <dt>registrant</dt><dd data-field="registrant">${d.whois.registrant?.name ?? '—'}</dd>
                      <dt>registered</dt><dd data-field="registrationDateTime">${d.whois.registrationDateTime ?? '—'}</dd>
                      <dt>expires</dt><dd data-field="expirationDateTime">${d.whois.expirationDateTime ?? '—'}</dd>
                      <dt>status</dt><dd data-field="domainStatus">${d.whois.domainStatus ?? '—'}</dd>
                      <dt>server</dt><dd data-field="whoisServer">${d.whois.whoisServer ?? '—'}</dd>
                    </dl>`
                  : html`<p id="artifact-whois" class="muted">none</p>`}
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
