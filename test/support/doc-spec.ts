/**
 * The documented GET examples of `../shared/spec/graph-ti-api{,-all}.md` (laid beside the repository), for the
 * doc-example tests: the JSON bodies of one example, and the comparison rules that are not a doc/CSDL choice.
 * Tests that use them skip loudly (with the path) when the spec is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Json = Record<string, any>;

// dist/test/support/ → repository root → ../shared/spec
const SPEC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'spec');
export const SPEC_FILES = { core: join(SPEC_DIR, 'graph-ti-api.md'), all: join(SPEC_DIR, 'graph-ti-api-all.md') } as const;

/** `false` when both spec files are present, else the reason to skip (printed by node:test as the skip message). */
export const SPEC_SKIP: false | string = existsSync(SPEC_FILES.core) && existsSync(SPEC_FILES.all) ? false : `doc-example spec not found at ${SPEC_DIR} (needs ../shared beside the repository)`;
if (SPEC_SKIP) console.warn(`!!! ${SPEC_SKIP}: the doc-example tests are skipped`);

const text = (file: keyof typeof SPEC_FILES): string => (SPEC_SKIP ? '' : readFileSync(SPEC_FILES[file], 'utf8'));

/**
 * The response bodies of one example: `E6` (a `**E6**` paragraph of graph-ti-api.md, up to the next example) or
 * `A3` (section `### 3.x A3` of graph-ti-api-all.md). `trailingCommas` repairs the docs' invalid JSON (A12, A18),
 * which the caller must say.
 */
export function docBodies(ref: string, options: { trailingCommas?: boolean } = {}): Json[] {
  const isCore = ref.startsWith('E');
  const source = text(isCore ? 'core' : 'all');
  const start = isCore ? source.indexOf(`**${ref}**`) : source.search(new RegExp(`### 3\\.\\d+ ${ref} `));
  assert.ok(start >= 0, `example ${ref} in the spec`);
  const rest = source.slice(start + 4);
  const end = rest.search(isCore ? /\n\*\*E\d+\*\*|\n### / : /\n### /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => {
    let block = (m[1] as string).slice((m[1] as string).indexOf('{'));
    if (options.trailingCommas) block = block.replace(/,(\s*[}\]])/g, '$1');
    return JSON.parse(block) as Json;
  });
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The comparison rules common to every example (not doc/CSDL choices): DateTimeOffsets compare as instants
 * (the docs write `.00Z`/no fraction, tigraph `toISOString`); `@odata.context` is not compared (the docs write it
 * relative, absolute or inside values); an `@odata.type` without `#` inside a value is the docs' annotation of a
 * complex value, not data.
 */
export function comparable(v: unknown, depth = 0): any {
  if (Array.isArray(v)) return v.map((x) => comparable(x, depth + 1));
  if (typeof v === 'string' && DATE_TIME.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? v : new Date(ms).toISOString();
  }
  if (v === null || typeof v !== 'object') return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '@odata.context') continue;
    if (k === '@odata.type' && depth > 0 && typeof x === 'string' && !x.startsWith('#')) continue;
    out[k] = comparable(x, depth + 1);
  }
  return out;
}

export const T = (name: string): string => `#microsoft.graph.security.${name}`;
/** A reference as tigraph writes every single-valued navigation: with the target's concrete `@odata.type`. */
export const ref = (type: string, id: string): Json => ({ '@odata.type': T(type), id });
