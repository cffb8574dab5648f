/** Medians and the markdown tables the benchmark prints. */
import type { ScenarioResult, SizeReport } from './bench-options.js';
import type { ServerName } from './paths.js';

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtMs = (n: number): string => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '–');
export const fmtRatio = (n: number): string => (!Number.isFinite(n) ? '–' : n >= 0.1 || n === 0 ? n.toFixed(2) : n.toPrecision(2));

export function markdownTable(rows: number, results: readonly ScenarioResult[]): string {
  const head = `| scenario (${fmtInt(rows)} rows) | req/s | p50 ms | p99 ms | ceiling req/s | minimum req/s | ratio to ceiling | ratio to minimum | tigraph peak RSS MiB |`;
  const sep = '|---|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = results.map((r) => {
    const t = r.median.tigraph;
    return `| ${r.label} | ${fmtInt(t.requestsPerSecond)} | ${fmtMs(t.p50)} | ${fmtMs(t.p99)} | ${fmtInt(r.median.ceiling.requestsPerSecond)} | ${fmtInt(r.median.minimum.requestsPerSecond)} | ${fmtRatio(r.ratioToCeiling)} | ${fmtRatio(r.ratioToMinimum)} | ${r.tigraphPeakRssMiB.toFixed(0)} |`;
  });
  return [head, sep, ...lines].join('\n');
}

/** Issue 4's table: one line per (store, rows). Page cost = 1 / req/s at fixed connections; last/first > 1 = slower. */
export function summaryTable(sizes: readonly SizeReport[]): string {
  const by = (s: SizeReport, name: string): ScenarioResult | undefined => s.scenarios.find((x) => x.name === name);
  const head =
    '| store | rows | GET-by-id req/s | GET-by-id p99 ms | GET ratio to ceiling | GET ratio to minimum | list req/s | list p99 ms | list ratio to ceiling | list ratio to minimum | last full page | last page req/s | last page p99 ms | page cost last/first (tigraph) | last/first (minimum) | last page ratio to minimum |';
  const sep = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|';
  const lines = sizes.map((s) => {
    const g = by(s, 'get-indicator');
    const f = by(s, 'list-first-page');
    const l = by(s, 'list-last-page');
    const cost = (who: ServerName): number => (f && l ? f.median[who].requestsPerSecond / l.median[who].requestsPerSecond : NaN);
    const rps = (r?: ScenarioResult): string => fmtInt(r?.median.tigraph.requestsPerSecond ?? NaN);
    const p99 = (r?: ScenarioResult): string => fmtMs(r?.median.tigraph.p99 ?? NaN);
    return `| ${s.store} | ${fmtInt(s.rows)} | ${rps(g)} | ${p99(g)} | ${fmtRatio(g?.ratioToCeiling ?? NaN)} | ${fmtRatio(g?.ratioToMinimum ?? NaN)} | ${rps(f)} | ${p99(f)} | ${fmtRatio(f?.ratioToCeiling ?? NaN)} | ${fmtRatio(f?.ratioToMinimum ?? NaN)} | ${l?.label.replace(/^.*\((\d+)\)$/, 'page $1') ?? '–'} | ${rps(l)} | ${p99(l)} | ${fmtRatio(cost('tigraph'))} | ${fmtRatio(cost('minimum'))} | ${fmtRatio(l?.ratioToMinimum ?? NaN)} |`;
  });
  return [head, sep, ...lines].join('\n');
}

export function scaleTable(sizes: readonly SizeReport[]): string {
  const by = (s: SizeReport, name: string): ScenarioResult | undefined => s.scenarios.find((x) => x.name === name);
  const head = '| store | rows | page 1 req/s | page 1 p99 ms | page 50 p99 ms | last full page | last page p99 ms | last/first page cost (tigraph) | last/first (minimum) | pivot req/s | pivot p99 ms | pivot ratio to minimum |';
  const sep = '|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|';
  const lines = sizes.map((s) => {
    const f = by(s, 'list-first-page');
    const p50 = by(s, 'list-page-50');
    const l = by(s, 'list-last-page');
    const pv = by(s, 'pivot-artifact');
    const cost = (a?: ScenarioResult, b?: ScenarioResult, who: ServerName = 'tigraph'): number => (a && b ? a.median[who].requestsPerSecond / b.median[who].requestsPerSecond : NaN);
    return `| ${s.store} | ${fmtInt(s.rows)} | ${fmtInt(f?.median.tigraph.requestsPerSecond ?? NaN)} | ${fmtMs(f?.median.tigraph.p99 ?? NaN)} | ${fmtMs(p50?.median.tigraph.p99 ?? NaN)} | ${l?.label.replace(/^.*\((\d+)\)$/, 'page $1') ?? '–'} | ${fmtMs(l?.median.tigraph.p99 ?? NaN)} | ${fmtRatio(cost(f, l))} | ${fmtRatio(cost(f, l, 'minimum'))} | ${fmtInt(pv?.median.tigraph.requestsPerSecond ?? NaN)} | ${fmtMs(pv?.median.tigraph.p99 ?? NaN)} | ${fmtRatio(pv?.ratioToMinimum ?? NaN)} |`;
  });
  return [head, sep, ...lines].join('\n');
}
