/**
 * The model owns every name: outside `src/model/`, no source file spells, in a string, an entity-set name, a
 * camelCase name of a model type, property or enum member, a qualified `microsoft.graph.…` type name, or the
 * container path. Code uses the accessors of `src/model/names.ts` (or reads the model it is given) instead.
 *
 * Lower-case one-word names (`id`, `title`, `osint`, `tool`) are not checked: they are also STIX, MISP and X.509
 * vocabulary, so a scan cannot tell them apart; the typed accessors keep those honest where the model is meant.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL } from '../../src/model/model.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SRC = join(REPO, 'src');

/** (file, name) pairs that are not the model's name, with the reason. */
const NOT_THE_MODEL: Readonly<Record<string, readonly string[]>> = {
  // X.509 subject attribute names of node-forge, not sslCertificateEntity's properties.
  'src/tls/dev-certificates.ts': ['commonName', 'organizationName'],
  // The CVE JSON 5 schema's own field (metrics[].cvssV3_1.vectorString), read from the record, not cvssSummary's.
  'src/import/readers/cve-json.ts': ['vectorString'],
  // X.509 distinguished-name attribute names as OpenSSL prints them (subject/issuer), read from the certificate.
  'src/import/readers/x509.ts': ['postalCode', 'serialNumber'],
};

function modelNames(): Set<string> {
  const names = new Set<string>();
  for (const t of MODEL.types) {
    const any = t as unknown as { name: string; properties?: { name: string }[]; navigationProperties?: { name: string }[]; members?: { name: string }[] };
    for (const n of [any.name, ...(any.properties ?? []).map((p) => p.name), ...(any.navigationProperties ?? []).map((p) => p.name), ...(any.members ?? []).map((m) => m.name)]) {
      if (/[a-z][A-Z]/.test(n)) names.add(n);
    }
  }
  // Set names that are plain English words (hosts, articles) are left out with the other one-word names.
  for (const s of MODEL.entitySets) if (/[a-z][A-Z]/.test(s.name)) names.add(s.name);
  return names;
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });

/** The string literals of a TypeScript source (comments removed first), template literals' text parts included. */
function stringLiterals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return [...code.matchAll(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g)].map((m) =>
    // A template literal's substitutions are code (for example `${SETS.intelProfiles}`), not text.
    m[0].startsWith('`') ? m[0].slice(1, -1).replace(/\$\{[^}]*\}/g, ' ') : m[0].slice(1, -1),
  );
}

it('no file outside src/model spells a name of the model or the container path', () => {
  const names = modelNames();
  assert.ok(names.has('intelligenceProfileIndicators') && names.has('firstSeenDateTime'), 'the scan knows the model names');
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const rel = relative(REPO, file);
    if (rel.startsWith('src/model/')) continue;
    const allowed = new Set(NOT_THE_MODEL[rel] ?? []);
    for (const literal of stringLiterals(readFileSync(file, 'utf8'))) {
      if (literal.includes(MODEL.servicePath)) found.push(`${rel}: '${MODEL.servicePath}'`);
      if (/microsoft\.graph\.[a-z]/.test(literal)) found.push(`${rel}: qualified name in '${literal.slice(0, 60)}'`);
      for (const word of literal.split(/[^A-Za-z0-9]+/)) if (names.has(word) && !allowed.has(word)) found.push(`${rel}: ${word}`);
    }
  }
  assert.deepEqual([...new Set(found)], []);
});

it('the scan finds a name spelled in a string and ignores it in a comment or a template substitution', () => {
  const names = modelNames();
  const hits = stringLiterals("// 'firstSeenDateTime' in a comment\nconst a = v['lastSeenDateTime'];\n/* 'intelProfiles' */\nconst u = `${SETS.intelProfiles}/x`;")
    .flatMap((l) => l.split(/[^A-Za-z0-9]+/))
    .filter((w) => names.has(w));
  assert.deepEqual(hits, ['lastSeenDateTime']);
});
