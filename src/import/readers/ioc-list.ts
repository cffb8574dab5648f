/**
 * Plain IOC lists, one value per line, `#` starting a comment (also after a value, as maltrail's own loader
 * does), in maltrail's trail shape (`trails/static/malware/apt_*.txt`):
 *
 * - the file names the profile: an `apt_` file is an actor (`apt_kimsuky.txt` → 'kimsuky'; a purely numeric
 *   name gets its prefix back, `apt_12.txt` → 'apt12'); any other file is a malware family, kind tool, and keeps
 *   its own name even when numeric (`9002.txt` → '9002', the 9002 RAT, not an APT group); a `-<n>` suffix
 *   continues a group (`apt_gamaredon-1.txt` → 'gamaredon');
 * - `# Aliases: a, b, …` → aliases, as harvested names (ProfileDraft.harvestedAliases: maltrail's lists name
 *   related families and tools too, `apt_lazarus.txt` names rokrat and poolrat, so they never decide which profile
 *   another file's indicators go to); the `# Reference: …` lines, in order and de-duplicated, make the profile
 *   description (format markdown: "References:" and a list), capped at the first MAX_REFERENCES with a count of
 *   the rest, so one family with 24,000 references does not make a 600 KB profile;
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

/** References kept in a list's profile description; the rest are counted. */
export const MAX_REFERENCES = 50;

/** The profile a list file names: its title and kind (see the module comment). */
export function profileFromFileName(path: string): { title: string; kind: 'actor' | 'tool' } {
  const base = basename(path, extname(path));
  const apt = /^apt[_-]/i.test(base);
  let name = base.replace(/^apt[_-]/i, '').replace(/-\d+$/, '');
  if (apt && /^\d+$/.test(name)) name = `apt${name}`;
  return { title: name || basename(path), kind: apt ? 'actor' : 'tool' };
}

export function titleFromFileName(path: string): string {
  return profileFromFileName(path).title;
}

/** The markdown description of a list's references, capped at MAX_REFERENCES. */
export function referencesDescription(refs: readonly string[]): string {
  const kept = refs.slice(0, MAX_REFERENCES);
  const more = refs.length - kept.length;
  return `References:\n\n${kept.map((r) => `- ${r}`).join('\n')}\n${more > 0 ? `\n… and ${more} more references\n` : ''}`;
}

export async function* readIocList(ctx: ReaderContext): AsyncGenerator<ImportItem> {
  const { title, kind } = profileFromFileName(ctx.path);
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
      kind,
      harvestedAliases: distinctNames(aliases, [title]),
      ...(refs.length ? { description: { content: referencesDescription(refs), format: 'markdown' as const } } : {}),
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
      yield { kind: c.outcome, position, reason: c.reason, value };
      continue;
    }
    yield { kind: 'indicator', position, indicator: { profileKey: key, source, firstSeen: ctx.now, lastSeen: null, artifact: c.artifact } };
  }
}
