/**
 * STIX 2.1 validity checks, written from the specification (OASIS STIX 2.1, §3 common properties, §2.7
 * identifiers, §3.2 timestamps, §4 SDOs, §5 SROs, §9 patterning): required properties per type, `<type>--<uuid>`
 * identifiers, RFC 3339 UTC timestamps, `modified` ≥ `created`, a report's non-empty `object_refs`, external
 * references with a source_name and a description, url or external_id, custom properties named `x_…` (or
 * lowercase a–z 0–9 _ of 3–250 characters), and the basic pattern syntax (balanced brackets, each comparison
 * `object-type:path op value`, string literals closed).
 */
const ID = /^([a-z][a-z0-9-]+[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
const PROPERTY = /^[a-z0-9_]{3,250}$/;

const REQUIRED: Record<string, readonly string[]> = {
  indicator: ['pattern', 'pattern_type', 'valid_from'],
  'intrusion-set': ['name'],
  tool: ['name'],
  identity: ['name'],
  location: [],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  report: ['name', 'published', 'object_refs'],
  vulnerability: ['name'],
};
const COMMON = ['type', 'spec_version', 'id', 'created', 'modified'];
const TIMESTAMPS = ['created', 'modified', 'valid_from', 'valid_until', 'first_seen', 'last_seen', 'published'];
const REFS = ['source_ref', 'target_ref', 'created_by_ref'];

/** Basic STIX pattern syntax: `[comparison (AND|OR comparison)*]` with `type:path op 'literal'` comparisons. */
export function patternProblems(pattern: string): string[] {
  const m = /^\[(.*)\]$/s.exec(pattern.trim());
  if (!m) return ['pattern is not one observation expression in [ ]'];
  const comparison = /^\s*([a-z0-9-]+):([a-z0-9_]+(?:\.[a-z0-9_'-]+|\[\d+\]|\[\*\])*)\s*(=|!=|>=|<=|>|<|LIKE|MATCHES|IN)\s*'((?:[^'\\]|\\['\\])*)'\s*$/;
  const parts = m[1]!.split(/\s(?:AND|OR)\s(?=(?:[^']*'[^']*')*[^']*$)/);
  return parts.filter((p) => !comparison.test(p)).map((p) => `comparison '${p.trim()}' is not valid STIX patterning`);
}

/** The problems of one object (empty = valid). */
export function stixProblems(o: Record<string, any>): string[] {
  const out: string[] = [];
  for (const p of COMMON) if (o[p] === undefined) out.push(`missing ${p}`);
  const required = REQUIRED[o['type']];
  if (!required) out.push(`type ${o['type']} not checked`);
  for (const p of required ?? []) if (o[p] === undefined || o[p] === '') out.push(`missing ${p}`);
  if (o['spec_version'] !== '2.1') out.push(`spec_version ${o['spec_version']}`);
  const id = ID.exec(String(o['id']));
  if (!id) out.push(`id ${o['id']} is not <type>--<uuid>`);
  else if (id[1] !== o['type']) out.push(`id prefix ${id[1]} ≠ type ${o['type']}`);
  for (const p of TIMESTAMPS) if (o[p] !== undefined && !TIMESTAMP.test(o[p])) out.push(`${p} ${o[p]} is not an RFC 3339 UTC timestamp`);
  if (typeof o['created'] === 'string' && typeof o['modified'] === 'string' && Date.parse(o['modified']) < Date.parse(o['created'])) out.push('modified before created');
  for (const p of REFS) if (o[p] !== undefined && !ID.test(o[p])) out.push(`${p} ${o[p]} is not an identifier`);
  for (const k of Object.keys(o)) if (!PROPERTY.test(k) && k !== 'id') out.push(`property name ${k}`);
  if (o['type'] === 'indicator' && o['pattern_type'] === 'stix') out.push(...patternProblems(String(o['pattern'])));
  if (o['type'] === 'identity' && o['identity_class'] === undefined) out.push('missing identity_class');
  if (o['object_refs'] !== undefined) {
    if (!Array.isArray(o['object_refs']) || o['object_refs'].length === 0) out.push('object_refs is not a non-empty list');
    else for (const r of o['object_refs']) if (!ID.test(String(r))) out.push(`object_refs ${r} is not an identifier`);
  }
  // §2.5 external-reference: source_name, and at least one of description, url, external_id
  for (const e of Array.isArray(o['external_references']) ? o['external_references'] : []) {
    if (typeof e?.source_name !== 'string' || e.source_name === '') out.push('external reference without source_name');
    if (e?.description === undefined && e?.url === undefined && e?.external_id === undefined) out.push(`external reference ${e?.source_name} without description, url or external_id`);
  }
  if (o['labels'] !== undefined && (!Array.isArray(o['labels']) || o['labels'].some((l: unknown) => typeof l !== 'string'))) out.push('labels is not a list of strings');
  if (o['type'] === 'location' && o['region'] === undefined && o['country'] === undefined && (o['latitude'] === undefined || o['longitude'] === undefined)) out.push('location without region, country or latitude/longitude');
  return out;
}
