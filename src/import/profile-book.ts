/**
 * The profiles an import resolves drafts against: every stored profile (listed once at import start; profiles
 * are few) plus those the import creates. Values are kept in storage form (epoch ms, enum member values), the
 * form store records carry.
 *
 * Matching, first hit wins:
 * 1. by id: the draft's stated id (a tigraph export's `x_tigraph_id`), then the lower-case slug of its title
 *    (`Storm-1061` → `storm-1061`; for a draft with a stated id, not against profiles of the same file);
 * 2. by title: the draft's title equals a known profile's title or one of its aliases (case-insensitive);
 * 3. by alias: one of the draft's aliases equals a known profile's title (so "Aqua Blizzard" with alias
 *    ACTINIUM meets a stored "ACTINIUM", and the other way round by rule 2). Alias-to-alias matches are not
 *    made (sources list loose aliases: apt1.json gives SuperHard the alias "dota", another actor's name).
 * Aliases harvested from free text (ProfileDraft.harvestedAliases: maltrail's loose `# Aliases:` lines, which name
 * other families too: 0ktapus.txt names pay2key) are kept on the profile but take part in neither rule, in this
 * import or a later one (the store remembers them: Store.harvestedAliases), so they cannot capture another
 * family's file and the same files give the same profiles in any order. A curated source naming the same alias
 * for the profile makes it curated.
 * Rules 2 and 3 consider the profiles of the store and of earlier input files, never those created from the
 * same file: the objects of one file (a bundle's SDOs, a galaxy's clusters) are distinct by the source's own
 * account (misp-galaxy lists HAFNIUM and Silk Typhoon as two clusters, each naming the other), and matching
 * them against each other would make the result depend on their order in the file.
 *
 * Merging a draft into a matched profile: aliases are united (the draft's title becomes an alias when it
 * differs from the profile's title), countries united by code, targets united; summary, description and
 * tradecraft are filled only when the profile's are empty; firstActiveDateTime takes the earliest value; title and kind stay.
 *
 * Policy for non-nullable fields a source lacks: summary and description `{content: '', format: 'text'}`;
 * firstActiveDateTime the draft's own date (STIX first_seen), else the earliest first seen of the profile's
 * indicators in this import, else the draft's fallback date (STIX `created`), else the import time (maltrail lists
 * carry no dates). A dated draft or a stored profile is never made later by an indicator. A profile created from
 * a draft with `firstActiveExact` (a tigraph export) keeps the draft's firstActiveDateTime as is.
 */
import { createHash } from 'node:crypto';
import type { EntityType, Model } from '../model/model.js';
import { PROFILE, SETS } from '../model/names.js';
import { readEntity } from '../odata/deserialize/read-entity.js';
import type { CollectionQuery } from '../odata/plan/query-plan.js';
import { T_PROFILE } from '../seed/seed-dataset.js';
import type { Store } from '../storage/store.js';
import { keyAccess } from './queries.js';
import { distinctNames, type ProfileDraft } from './types.js';

export interface ProfileState {
  readonly id: string;
  values: Record<string, unknown>;
  readonly existed: boolean;
  /** JSON of the stored values when the import started (undefined for created profiles). */
  readonly baseline: string | undefined;
  /** Values changed since the last write. */
  dirty: boolean;
  /** Touched by this import (counted in the summary). */
  touched: boolean;
  /** The input file that created the profile (0 = stored before the import). */
  readonly file: number;
  /** firstActiveDateTime came from an exact draft (ProfileDraft.firstActiveExact): indicators do not move it. */
  firstActiveExact?: boolean;
  /** firstActiveDateTime is a placeholder (fallback date or import time): the first indicator replaces it. */
  firstActivePlaceholder?: boolean;
}

/** How a draft found its profile, for the per-file summary: `new`, `id`, `title`, `alias "…"` or `--profile`. */
export type MatchRule = string;

export interface Resolution {
  readonly state: ProfileState;
  readonly rule: MatchRule;
}

export function slugOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || `profile-${createHash('sha256').update(title, 'utf8').digest('hex').slice(0, 16)}`;
}

const lc = (s: string): string => s.trim().toLowerCase();
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export class ProfileBook {
  private readonly byId = new Map<string, ProfileState>();
  /** title or alias (lower case) → profile */
  private readonly byName = new Map<string, ProfileState>();
  /** title (lower case) → profile */
  private readonly byTitle = new Map<string, ProfileState>();
  private file = 0;
  /** profile id → its harvested aliases (lower case), as stored plus what this import adds. */
  private readonly weak = new Map<string, Set<string>>();
  private readonly weakAdded: [string, string][] = [];
  private readonly weakRemoved: [string, string][] = [];
  readonly type: EntityType;

  constructor(
    private readonly model: Model,
    private readonly now: number,
  ) {
    const set = model.entitySet(SETS.intelProfiles);
    if (!set) throw new Error(`import: the model has no ${SETS.intelProfiles} entity set`);
    this.type = set.entityType;
  }

  /** Lists every stored profile (keyset paging, 1000 per query). */
  async load(store: Store): Promise<void> {
    for (const [id, aliases] of await store.harvestedAliases()) this.weak.set(id, aliases);
    let after: CollectionQuery['after'];
    for (;;) {
      const page = await store.findMany({
        kind: 'collection',
        type: this.type,
        parent: undefined,
        filter: undefined,
        search: undefined,
        orderBy: [{ expression: keyAccess(this.type), direction: 'asc' }],
        after,
        skip: 0,
        limit: 1000,
        expand: [],
      });
      for (const r of page.records) {
        const values = { ...r.values } as Record<string, unknown>;
        const state: ProfileState = { id: values['id'] as string, values, existed: true, baseline: JSON.stringify(values), dirty: false, touched: false, file: 0 };
        this.index(state);
      }
      if (page.records.length < 1000) break;
      after = page.sortKeys[page.sortKeys.length - 1];
    }
  }

  /** Starts the next input file (see rules 2 and 3). */
  beginFile(): void {
    this.file++;
  }

  private index(state: ProfileState): void {
    this.byId.set(state.id, state);
    if (typeof state.values['title'] === 'string' && !this.byTitle.has(lc(state.values['title']))) this.byTitle.set(lc(state.values['title']), state);
    const weak = this.weak.get(state.id);
    const names = [state.values['title'], ...asStrings(state.values['aliases']).filter((a) => !weak?.has(lc(a)))];
    for (const n of names) if (typeof n === 'string' && n.trim() && !this.byName.has(lc(n))) this.byName.set(lc(n), state);
  }

  private match(draft: ProfileDraft): Resolution | undefined {
    // Not a profile this same file made (rule 3). Stored profiles have file 0, as --profile is resolved in: they match.
    const other = (s: ProfileState | undefined): ProfileState | undefined => (s && (s.file === 0 || s.file !== this.file) ? s : undefined);
    const stated = draft.id !== undefined ? this.byId.get(draft.id) : undefined;
    if (stated) return { state: stated, rule: 'id' };
    const slug = draft.id !== undefined ? other(this.byId.get(slugOf(draft.title))) : this.byId.get(slugOf(draft.title));
    if (slug) return { state: slug, rule: 'title' };
    const named = other(this.byName.get(lc(draft.title)));
    if (named) return { state: named, rule: lc(String(named.values['title'])) === lc(draft.title) ? 'title' : `alias "${draft.title}"` };
    for (const a of draft.aliases ?? []) {
      const s = other(this.byTitle.get(lc(a)));
      if (s) return { state: s, rule: `alias "${a}"` };
    }
    return undefined;
  }

  /** Marks `aliases` of the profile harvested (unless already curated there). */
  private harvest(state: ProfileState, aliases: readonly string[], curated: ReadonlySet<string>): void {
    for (const a of aliases) {
      const l = lc(a);
      if (curated.has(l)) continue;
      const set = this.weak.get(state.id) ?? new Set<string>();
      if (set.has(l)) continue;
      set.add(l);
      this.weak.set(state.id, set);
      this.weakAdded.push([state.id, l]);
    }
  }

  /** Curated aliases that were harvested before become curated (and matchable). */
  private curate(state: ProfileState, aliases: readonly string[]): void {
    const set = this.weak.get(state.id);
    if (!set) return;
    for (const a of aliases) if (set.delete(lc(a))) this.weakRemoved.push([state.id, lc(a)]);
  }

  /** Harvested-alias changes since the last call, for the store (written before the batch that stores the aliases). */
  takeHarvested(): { add: [string, string][]; remove: [string, string][] } {
    return { add: this.weakAdded.splice(0), remove: this.weakRemoved.splice(0) };
  }

  /** Storage-form values of a draft, validated by the model (throws an ODataError naming the property). */
  private draftValues(id: string, draft: ProfileDraft): Record<string, unknown> {
    const empty = { content: '', format: 'text' };
    const json = {
      '@odata.type': T_PROFILE,
      id,
      title: draft.title,
      kind: draft.kind,
      aliases: distinctNames([...(draft.aliases ?? []), ...(draft.harvestedAliases ?? [])], [draft.title]),
      [PROFILE.p.countriesOrRegionsOfOrigin]: draft.countries ?? [],
      summary: draft.summary ?? empty,
      description: draft.description ?? empty,
      [PROFILE.p.firstActiveDateTime]: new Date(draft.firstActive ?? draft.firstActiveFallback ?? this.now).toISOString(),
      targets: draft.targets ?? [],
      tradecraft: draft.tradecraft ?? null,
    };
    return { ...readEntity(this.model, this.type, json, { partial: false }).record.values };
  }

  /** Resolves a draft to a profile (matched and merged, or created), with the rule that matched. Throws on invalid drafts. */
  resolve(draft: ProfileDraft): Resolution {
    const matched = this.match(draft);
    const curated = new Set([lc(draft.title), ...(draft.aliases ?? []).map(lc)]);
    if (!matched) {
      const id = draft.id ?? slugOf(draft.title);
      const state: ProfileState = { id, values: this.draftValues(id, draft), existed: false, baseline: undefined, dirty: true, touched: true, file: this.file };
      if (draft.firstActiveExact && draft.firstActive !== undefined) state.firstActiveExact = true;
      if (draft.firstActive === undefined) state.firstActivePlaceholder = true;
      this.curate(state, [...curated]);
      this.harvest(state, draft.harvestedAliases ?? [], curated);
      this.index(state);
      return { state, rule: 'new' };
    }
    const found = matched.state;
    this.curate(found, [...curated]);
    const stored = new Set([lc(String(found.values['title'] ?? '')), ...asStrings(found.values['aliases']).map(lc)].filter((n) => !this.weak.get(found.id)?.has(n)));
    this.harvest(found, draft.harvestedAliases ?? [], new Set([...curated, ...stored]));
    // The same profile as the exact draft says (matched by its stated id): its first activity is the draft's.
    if (draft.firstActiveExact && draft.firstActive !== undefined && draft.id === found.id) found.firstActiveExact = true;
    const incoming = this.draftValues(found.id, draft);
    const v = found.values;
    const before = JSON.stringify(v);
    const title = String(v['title'] ?? '');
    const aliases = asStrings(v['aliases']);
    const known = new Set([lc(title), ...aliases.map(lc)]);
    for (const a of [draft.title, ...asStrings(incoming['aliases'])]) {
      if (!known.has(lc(a))) {
        known.add(lc(a));
        aliases.push(a);
      }
    }
    v['aliases'] = aliases;
    const countries = (Array.isArray(v[PROFILE.p.countriesOrRegionsOfOrigin]) ? v[PROFILE.p.countriesOrRegionsOfOrigin] : []) as { code: string }[];
    const codes = new Set(countries.map((c) => lc(c.code)));
    for (const c of (incoming[PROFILE.p.countriesOrRegionsOfOrigin] ?? []) as { code: string }[]) if (!codes.has(lc(c.code))) countries.push(c), codes.add(lc(c.code));
    v[PROFILE.p.countriesOrRegionsOfOrigin] = countries;
    const targets = asStrings(v['targets']);
    for (const t of asStrings(incoming['targets'])) if (!targets.some((x) => lc(x) === lc(t))) targets.push(t);
    v['targets'] = targets;
    for (const k of ['summary', 'description', 'tradecraft']) {
      const cur = v[k] as { content?: string | null } | null;
      const inc = incoming[k] as { content?: string | null } | null;
      if ((!cur || !cur.content) && inc?.content) v[k] = inc;
    }
    const active = v[PROFILE.p.firstActiveDateTime];
    if (draft.firstActive !== undefined && (typeof active !== 'number' || draft.firstActive < active)) v[PROFILE.p.firstActiveDateTime] = draft.firstActive;
    if (JSON.stringify(v) !== before) found.dirty = true;
    found.touched = true;
    this.index(found);
    return matched;
  }

  /** An indicator of the profile was first seen at `firstSeen`: the profile was active no later. */
  noteIndicator(state: ProfileState, firstSeen: number): void {
    if (state.firstActiveExact) return;
    const cur = state.values[PROFILE.p.firstActiveDateTime];
    if (state.firstActivePlaceholder || typeof cur !== 'number' || firstSeen < cur) {
      state.firstActivePlaceholder = false;
      state.values[PROFILE.p.firstActiveDateTime] = firstSeen;
      state.dirty = true;
    }
  }

  touched(): ProfileState[] {
    return [...this.byId.values()].filter((s) => s.touched);
  }

  dirty(): ProfileState[] {
    return [...this.byId.values()].filter((s) => s.dirty);
  }
}
