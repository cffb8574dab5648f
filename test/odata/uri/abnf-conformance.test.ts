/**
 * The OASIS OData ABNF test cases (positive and negative) for the rules tigraph's parsers claim:
 * filter / commonExpr / boolCommonExpr / notExpr, orderby, select, search / searchExpr. Cases that use
 * constructs tigraph does not implement are selected programmatically and skipped with their reason and
 * count in the test name; for those we still assert a clean 400 (never another exception).
 * Syntax only: the cases use the ABNF's sample model, so nothing is bound.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ODataError } from '../../../src/errors/odata-error.js';
import { parseExpression } from '../../../src/odata/uri/parse-expression.js';
import { parseQueryString } from '../../../src/odata/uri/parse-query-options.js';
import { parseSearch } from '../../../src/odata/uri/parse-search.js';
import { parseOrderBy, parseSelect } from '../../../src/odata/uri/parse-select-expand.js';

const FILE = path.resolve(process.cwd(), '../shared/datasets/odata-abnf/odata-abnf-testcases.yaml');
const LIMITS = { maxDepth: 32, maxLiteralLength: 4096, maxInListItems: 100, maxTerms: 32 };

interface AbnfCase {
  Name: string;
  Rule: string;
  Input: string | number;
  FailAt?: number;
}

type Family = 'filter' | 'orderby' | 'select' | 'search';
const FAMILY: Readonly<Record<string, Family>> = {
  filter: 'filter',
  commonExpr: 'filter',
  boolCommonExpr: 'filter',
  boolcommonExpr: 'filter',
  notExpr: 'filter',
  orderby: 'orderby',
  select: 'select',
  search: 'search',
  searchExpr: 'search',
};

/** Names that may be followed by '(': supported functions, lambdas and keyword operators. */
const SUPPORTED_CALLS = new Set(['any', 'all', 'startswith', 'endswith', 'contains', 'tolower', 'toupper', 'trim', 'length', 'in', 'not', 'and', 'or', 'eq', 'ne', 'gt', 'ge', 'lt', 'le']);

/** Why a case uses something tigraph does not implement (undefined: it should be handled). */
function unsupported(family: Family, value: string): string | undefined {
  if (family === 'filter' || family === 'orderby') {
    if (/(^|[\s(])(add|sub|mul|div|divby|mod)(?=[\s(])/i.test(value) || /(^|[\s(,])-[A-Za-z(]/.test(value)) return 'arithmetic';
    if (/\$(it|root|this|count|filter|each)\b/.test(value)) return '$-path segments';
    if (/[[\]{}"]/.test(value)) return 'JSON arrays/objects';
    if (value.includes('@')) return 'annotations/aliases';
    if (/\b(geography|geometry|duration|binary)'/i.test(value)) return 'typed literals';
    if (/[A-Za-z_]\w*\.[A-Za-z_][\w.]*(?![\w.']|%27)/.test(value)) return 'qualified names (casts, functions)';
    for (const m of value.matchAll(/([A-Za-z_][\w.]*)\s*\(/g)) if (!SUPPORTED_CALLS.has(m[1]!.toLowerCase())) return 'functions/key segments';
    if (family === 'orderby' && /\s(eq|ne|gt|ge|lt|le|and|or)\s/i.test(value)) return 'expressions in $orderby';
  }
  if (family === 'select') {
    if (value.includes('.') || value.includes('@') || value.includes('(')) return 'casts, operations, annotations, nested options';
  }
  return undefined;
}

/** Known, deliberate differences from the ABNF, by input. */
const DEVIATIONS: Readonly<Record<string, string>> = {
  '$filter= true': 'leading whitespace is tolerated, as odata.net (Graph) does',
  'FirstName in (FirstName)': "the right operand of 'in' must be a list of literals",
  'FirstName in ()': "empty 'in' lists are rejected",
};

/** The option value and the parser to run for a case; throws as the server would. */
function prepare(c: AbnfCase, family: Family): { value: string; run: () => unknown } {
  const input = String(c.Input);
  const wrapped = /^\$?[A-Za-z]+=/.test(input) || /^\$?[A-Za-z]+ =/.test(input) ? input : `$${family === 'search' ? 'search' : family}=${input}`;
  let value = '';
  try {
    const opts = parseQueryString(wrapped);
    value = opts.get(family)?.value ?? '';
  } catch {
    // the query-string stage itself rejects it; run() reproduces that
  }
  const run = (): unknown => {
    const opts = parseQueryString(wrapped);
    const v = opts.get(family);
    if (!v) throw new Error(`no ${family} option in ${wrapped}`);
    switch (family) {
      case 'filter':
        return parseExpression(v.value, LIMITS);
      case 'orderby':
        return parseOrderBy(v.value, LIMITS);
      case 'select':
        return parseSelect(v.value, LIMITS);
      case 'search':
        return parseSearch(v.value, { maxDepth: LIMITS.maxDepth, maxTerms: LIMITS.maxTerms });
    }
  };
  return { value, run };
}

function outcome(run: () => unknown): 'ok' | 'bad-request' | string {
  try {
    run();
    return 'ok';
  } catch (e) {
    if (e instanceof ODataError && e.status === 400) return 'bad-request';
    return `unexpected ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

if (!existsSync(FILE)) {
  describe('OASIS ABNF test cases', () => {
    it('ABNF test cases', (t) => t.skip(`dataset absent: ${FILE} (expected ../shared/datasets/odata-abnf relative to the repo root)`));
  });
} else {
  const doc = parseYaml(readFileSync(FILE, 'utf8')) as { TestCases: AbnfCase[] };
  type Group = { cases: { c: AbnfCase; family: Family }[]; skipped: Map<string, AbnfCase[]> };
  const groups = new Map<string, Group>();
  for (const c of doc.TestCases) {
    const family = FAMILY[c.Rule];
    if (!family || c.Input === undefined || c.Input === null) continue;
    const polarity = c.FailAt === undefined ? 'positive' : 'negative';
    const key = `${family} ${polarity}`;
    const g: Group = groups.get(key) ?? { cases: [], skipped: new Map() };
    groups.set(key, g);
    const { value } = prepare(c, family);
    const reason = DEVIATIONS[String(c.Input)] ?? (polarity === 'positive' ? unsupported(family, value) : undefined);
    if (reason) g.skipped.set(reason, [...(g.skipped.get(reason) ?? []), c]);
    else g.cases.push({ c, family });
  }

  describe('OASIS ABNF test cases', () => {
    for (const [key, g] of groups) {
      const [family, polarity] = key.split(' ') as [Family, 'positive' | 'negative'];
      const skippedText = [...g.skipped].map(([reason, cs]) => `${cs.length} skipped: ${reason}`).join('; ');
      it(`${key}: ${g.cases.length} cases${skippedText ? ` (${skippedText})` : ''}`, () => {
        const failures: string[] = [];
        for (const { c } of g.cases) {
          const result = outcome(prepare(c, family).run);
          const expected = polarity === 'positive' ? 'ok' : 'bad-request';
          if (result !== expected) failures.push(`${c.Name} [${c.Rule}] ${JSON.stringify(c.Input)}: expected ${expected}, got ${result}`);
        }
        assert.deepEqual(failures, []);
      });
      if (polarity === 'positive' && g.skipped.size > 0) {
        it(`${key}: the skipped (unsupported) cases are clean 400s`, () => {
          const failures: string[] = [];
          for (const cs of g.skipped.values()) {
            for (const c of cs) {
              const result = outcome(prepare(c, family).run);
              if (result !== 'bad-request' && result !== 'ok') failures.push(`${c.Name} ${JSON.stringify(c.Input)}: ${result}`);
            }
          }
          assert.deepEqual(failures, []);
        });
      }
    }
  });
}
