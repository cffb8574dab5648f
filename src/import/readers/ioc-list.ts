/**
 * Plain IOC lists, one value per line, `#` starting a comment (also after a value, as maltrail's own loader
 * does), in maltrail's trail shape (`trails/static/malware/apt_*.txt`):
 *
 * - the file names the profile (kind actor): `apt_kimsuky.txt` → 'kimsuky'; a `-<n>` suffix continues a group
 *   (`apt_gamaredon-1.txt` → 'gamaredon'); a purely numeric name gets its prefix back (`apt_12.txt` → 'apt12');
 * - `# Aliases: a, b, …` → aliases; every `# Reference: …` line is kept, in order and de-duplicated, as the
 *   profile description (format markdown: "References:" and a list);
 * - values: domains, IPs, CIDRs, `ip:port` (port dropped), `host:port`, URLs with or without a scheme;
 *   a path without a host ('/x/y') is skipped.
 *
 * The lists carry no dates: first seen = the import time, last seen = none (so re-importing the same list
 * changes nothing). Source = --source, else 'osint'. Two passes: comments first (the profile must be known
 * before its first indicator, and references are spread through the file), then values. Positions are
 * `line <n>`.
 */
import { basename, extname } from 'node:path';
import { canonicalizeAuto } from '../canonicalize.js';
import { readLines } from '../read-lines.js';
import { distinctNames, type ImportItem, type ReaderContext } from '../types.js';

export function titleFromFileName(path: string): string {
  let name = basename(path, extname(path));
  name = name.replace(/^apt[_-]/i, '').replace(/-\d+$/, '');
  if (/^\d+$/.test(name)) name = `apt${name}`;
  return name || basename(path);
}

export async function* readIocList(ctx: ReaderContext): AsyncGenerator<ImportItem> {
  const title = titleFromFileName(ctx.path);
  const aliases: string[] = [];
  const references: string[] = [];
  for await (const line of readLines(ctx.open())) {
    if (line.text === undefined) continue;
    const t = line.text.trim();
    if (!t.startsWith('#')) continue;
    const m = /^#\s*(aliases|reference)s?\s*:\s*(.*)$/i.exec(t);
    if (!m) continue;
    if (m[1]!.toLowerCase() === 'aliases') aliases.push(...m[2]!.split(','));
    else if (m[2]!.trim()) references.push(m[2]!.trim());
  }
  const refs = distinctNames(references);
  const key = `file:${title}`;
  yield {
    kind: 'profile',
    position: 'file',
    profile: {
      key,
      title,
      kind: 'actor',
      aliases: distinctNames(aliases, [title]),
      ...(refs.length ? { description: { content: `References:\n\n${refs.map((r) => `- ${r}`).join('\n')}\n`, format: 'markdown' as const } } : {}),
    },
  };
  const source = ctx.source ?? 'osint';
  for await (const line of readLines(ctx.open())) {
    const position = `line ${line.lineNo}`;
    if (line.text === undefined) {
      yield { kind: 'reject', position, reason: line.error };
      continue;
    }
    const hash = line.text.indexOf('#');
    const value = (hash < 0 ? line.text : line.text.slice(0, hash)).trim();
    if (!value) continue;
    const c = canonicalizeAuto(value);
    if (!c.ok) {
      yield { kind: c.outcome, position, reason: c.reason };
      continue;
    }
    yield { kind: 'indicator', position, indicator: { profileKey: key, source, firstSeen: ctx.now, lastSeen: null, artifact: c.artifact } };
  }
}
