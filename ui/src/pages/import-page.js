// Import: drop or pick files of any import format, POST each to the import action with a write token, poll its
// job and show the summary (counts, skipped and rejected records with their positions) and links to the profiles
// its indicators went into.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { BASE, call } from '../api.js';
import { getWriteToken, setWriteToken } from '../session.js';

const POLL_MS = 250;
const contentTypeOf = (name) => (/\.json$/i.test(name) ? 'application/json' : /\.csv$/i.test(name) ? 'text/csv' : 'text/plain');
const pathOf = (url) => {
  const u = new URL(url, location.origin);
  return u.pathname + u.search;
};

async function importFile(file, token, onJob) {
  const action = `${BASE}microsoft.graph.security.import?name=${encodeURIComponent(file.name)}`;
  const { data, headers } = await call(action, { token, method: 'POST', body: file, contentType: contentTypeOf(file.name) });
  let job = data;
  onJob(job);
  const location = pathOf(headers.get('Location') ?? `${BASE}importJobs/${job.id}`);
  while (job.status === 'notStarted' || job.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    job = (await call(location, { token })).data;
    onJob(job);
  }
  return job;
}

function Reasons({ title, value, id }) {
  if (!value || value.count === 0) return html`<p id=${id}>${title}: 0</p>`;
  return html`<div id=${id}>
    <p>${title}: ${value.count}</p>
    <ul>${value.reasons.map((r) => html`<li>${r.reason} (${r.count}): ${(r.positions ?? []).join('; ')}</li>`)}</ul>
  </div>`;
}

/** The profiles the job's files went into (summary.files[].profiles[]), each once, in the order first named. */
const touchedProfiles = (s) => [...new Map((s?.files ?? []).flatMap((f) => f.profiles ?? []).map((p) => [p.profileId, p])).values()];

function JobSummary({ name, job, error }) {
  const s = job?.summary;
  const touched = touchedProfiles(s);
  return html`<section class="job" data-file=${name}>
    <h2>${name}</h2>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${job ? html`<p class="job-status">Status: <strong>${job.status}</strong>${job.format ? ` · format ${job.format}` : ''}${job.error ? ` · ${job.error}` : ''}</p>` : null}
    ${s
      ? html`<table class="listing counts"><caption>Counts</caption>
          <thead><tr><th scope="col"></th><th scope="col">created</th><th scope="col">updated</th><th scope="col">unchanged</th></tr></thead>
          <tbody>
            <tr class="profiles-counts"><th scope="row">profiles</th><td>${s.profiles.created}</td><td>${s.profiles.updated}</td><td>${s.profiles.unchanged}</td></tr>
            <tr class="indicators-counts"><th scope="row">indicators</th><td>${s.indicators.created}</td><td>${s.indicators.updated}</td><td>${s.indicators.unchanged}</td></tr>
          </tbody></table>
          <${Reasons} id="skipped" title="Skipped" value=${s.skipped} />
          <${Reasons} id="rejected" title="Rejected" value=${s.rejected} />
          ${touched.length
            ? html`<h3 id="touched-heading">Profiles this import touched</h3>
                <ul id="touched-profiles" aria-labelledby="touched-heading">
                  ${touched.map((p) => html`<li><a href=${`#/profile?id=${encodeURIComponent(p.profileId)}`}>${p.title}</a> (${p.indicators} indicators; ${p.rule === 'new' ? 'new profile' : `matched by ${p.rule}`})</li>`)}
                </ul>`
            : null}
          <p><a href="#/profiles?sort=-active">See all profiles</a></p>`
      : null}
  </section>`;
}

export function ImportPage() {
  const [token, setToken] = useState(getWriteToken());
  const [jobs, setJobs] = useState({});
  const [over, setOver] = useState(false);
  const update = (name, patch) => setJobs((j) => ({ ...j, [name]: { ...j[name], ...patch } }));
  const run = (files) => {
    for (const file of files) {
      update(file.name, { job: null, error: '' });
      importFile(file, token, (job) => update(file.name, { job })).catch((e) => update(file.name, { error: e.message }));
    }
  };
  const drop = (e) => {
    e.preventDefault();
    setOver(false);
    if (token) run([...e.dataTransfer.files]);
  };
  return html`
    <h1>Import intel</h1>
    <p>STIX 2.1 bundles, MISP events, feeds and galaxies, Microsoft IOC CSVs and IOC lists; the format is detected per file.</p>
    <form class="controls" onSubmit=${(e) => e.preventDefault()}>
      <label for="write-token">Write token</label>
      <input id="write-token" type="password" autocomplete="off" value=${token} onInput=${(e) => (setWriteToken(e.currentTarget.value), setToken(e.currentTarget.value.trim()))} />
    </form>
    ${token
      ? null
      : html`<p id="needs-write-token" class="notice">Importing needs a write token (permission ThreatIntelligence.ReadWrite.All): run <code>npx tigraph token --write</code> in dev mode, or get one with that role from your identity provider, and paste it above. It is kept in memory only.</p>`}
    <div class=${`drop${over ? ' over' : ''}`} onDragOver=${(e) => (e.preventDefault(), setOver(true))} onDragLeave=${() => setOver(false)} onDrop=${drop}>
      <label for="import-files">Drop files here or choose them</label>
      <input id="import-files" type="file" multiple disabled=${!token} onChange=${(e) => run([...e.currentTarget.files])} />
    </div>
    ${Object.entries(jobs).map(([name, j]) => html`<${JobSummary} key=${name} name=${name} job=${j.job} error=${j.error} />`)}
  `;
}
