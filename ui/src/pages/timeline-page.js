// A profile's indicators over time: how many were first seen and last seen up to each day, drawn with uPlot.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { call, apiUrl } from '../api.js';
import { hrefOf } from '../route.js';
import { Status, useAsync } from '../use-async.js';

const MAX_PAGES = 20;

async function loadIndicators(profile) {
  const rows = [];
  let url = apiUrl(`intelProfiles/${encodeURIComponent(profile)}/indicators`, { $select: 'id,firstSeenDateTime,lastSeenDateTime', $orderby: 'firstSeenDateTime asc', $top: '999' });
  for (let i = 0; url && i < MAX_PAGES; i++) {
    const { data } = await call(url);
    rows.push(...data.value);
    url = data['@odata.nextLink'] ? new URL(data['@odata.nextLink']).pathname + new URL(data['@odata.nextLink']).search : '';
  }
  return rows;
}

/** [days (unix seconds), cumulative first seen, cumulative last seen]. */
export function timelineSeries(rows) {
  const dayOf = (iso) => Math.floor(Date.parse(iso) / 86400000) * 86400;
  const first = rows.map((r) => dayOf(r.firstSeenDateTime));
  const last = rows.filter((r) => r.lastSeenDateTime).map((r) => dayOf(r.lastSeenDateTime));
  const days = [...new Set([...first, ...last])].sort((a, b) => a - b);
  const upTo = (list) => days.map((d) => list.filter((x) => x <= d).length);
  return [days, upTo(first), upTo(last)];
}

function Chart({ data }) {
  const box = useRef(null);
  useEffect(() => {
    const width = Math.max(320, box.current.clientWidth || 800);
    const plot = new uPlot(
      {
        width,
        height: 320,
        title: 'Indicators seen, cumulative',
        series: [{}, { label: 'first seen', stroke: '#1f5fa8', width: 2 }, { label: 'last seen', stroke: '#b4451f', width: 2, dash: [6, 4] }],
        axes: [{}, { label: 'indicators' }],
      },
      data,
      box.current,
    );
    return () => plot.destroy();
  }, [data]);
  return html`<div ref=${box} id="timeline-chart" role="img" aria-label="Cumulative count of the profile's indicators by first and last seen date"></div>`;
}

export function TimelinePage({ params }) {
  const state = useAsync(() => loadIndicators(params.profile ?? ''), [params.profile]);
  const rows = state.data;
  const data = rows ? timelineSeries(rows) : null;
  return html`
    <h1>Timeline of <a href=${hrefOf('profile', { id: params.profile })}>${params.profile}</a></h1>
    <${Status} state=${state} />
    ${rows
      ? rows.length === 0
        ? html`<p>No indicators.</p>`
        : html`<p id="timeline-summary">${rows.length} indicators, first seen from ${new Date(data[0][0] * 1000).toISOString().slice(0, 10)} to ${new Date(data[0][data[0].length - 1] * 1000).toISOString().slice(0, 10)}.</p>
            <${Chart} data=${data} />`
      : null}
  `;
}
