/** The plain-text summary `tigraph import` prints at the end of an import. */
import type { FileSummary, ImportSummary, ReasonCount } from '../import/import-summary.js';

/** Profiles named per file in the printed summary (the import job's summary lists them all). */
export const MAX_PLACEMENTS = 10;

/** `3285 → 0ktapus (new); 12 → APT28 (alias "Sofacy"); 3 without a profile` for one input file. */
export function placementLine(f: FileSummary): string {
  const shown = f.profiles.slice(0, MAX_PLACEMENTS);
  const parts = shown.map((p) => `${p.indicators} → ${p.title} [${p.profileId}] (${p.rule})`);
  const more = f.profiles.slice(MAX_PLACEMENTS);
  if (more.length) parts.push(`${more.reduce((n, p) => n + p.indicators, 0)} → ${more.length} more profiles`);
  if (f.withoutProfile) parts.push(`${f.withoutProfile} without a profile`);
  return parts.length ? parts.join('; ') : 'no indicators';
}

/** The plain-text summary printed at the end of an import. */
export function formatSummary(s: ImportSummary): string {
  const lines: string[] = [];
  const formats = [...new Set(s.files.map((f) => f.format ?? 'unknown'))].join(', ');
  lines.push(`${s.files.length} file${s.files.length === 1 ? '' : 's'} (${formats}) in ${(s.elapsedMs / 1000).toFixed(1)} s`);
  if (s.aborted) {
    lines.push('--strict: rejected records found; the import was aborted and nothing was written.');
  } else {
    lines.push(`profiles:   ${s.profiles.created} created, ${s.profiles.updated} updated, ${s.profiles.unchanged} unchanged`);
    lines.push(
      `indicators: ${s.indicators.created} created, ${s.indicators.updated} updated, ${s.indicators.unchanged} unchanged` +
        (s.indicators.withoutProfile ? ` (${s.indicators.withoutProfile} created without a profile)` : '') +
        (s.mergedInBatch ? `; ${s.mergedInBatch} duplicate input records merged` : '') +
        ` in ${s.batches} batch${s.batches === 1 ? '' : 'es'}`,
    );
    if (s.hostsFromUrls) lines.push(`            ${s.hostsFromUrls} host indicators derived from URL indicators`);
    if (s.orphansAdopted) lines.push(`            ${s.orphansAdopted} indicators without a profile adopted by the profile named now`);
    if (s.keptUnderProfile) lines.push(`            ${s.keptUnderProfile} indicators without a profile not created: their artifact is listed under a profile`);
    for (const [type, c] of s.entities) lines.push(`${`${type}:`.padEnd(11)} ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`);
    lines.push('where the indicators went:');
    for (const f of s.files) lines.push(`  ${f.path}: ${placementLine(f)}`);
  }
  const section = (title: string, map: Map<string, ReasonCount>): void => {
    const total = [...map.values()].reduce((n, r) => n + r.count, 0);
    lines.push(`${title}: ${total}`);
    for (const [reason, r] of [...map].sort((a, b) => b[1].count - a[1].count)) {
      lines.push(`  ${r.count} × ${reason}${r.positions.length ? ` (${r.positions.join(', ')}${r.count > r.positions.length ? ', …' : ''})` : ''}`);
    }
  };
  section('skipped', s.skipped);
  section('rejected', s.rejected);
  return lines.join('\n');
}
