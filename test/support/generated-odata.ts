/**
 * fast-check arbitraries for OData requests, derived from the model: `$filter` expressions over the properties of
 * an entity type (comparisons with literals of every EDM kind, also of the wrong kind, string functions, any/all
 * over collections and navigations, and/or/not), `$orderby`, `$select`, `$top`, `$skip`, `$count`, `$search`, plus
 * hostile text (garbage characters, unbalanced quotes and parentheses, NUL, huge numbers) spliced in. Most
 * generated requests are valid and some are not: the properties assert only that every answer is a Graph 2xx or 4xx.
 */
import fc from 'fast-check';
import type { EntityType, StructuralProperty } from '../../src/model/model.js';

const literal = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map(String),
  fc.constantFrom('2147483648', '-9223372036854775809', '1e308', '1.5', '-0', 'INF', 'NaN', '99999999999999999999999'),
  fc.string({ maxLength: 12 }).map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.constantFrom("'osint'", "'microsoft'", "'actor'", "'tool'", "'contoso.com'", "'NOBELIUM'", "'\u0000'", "'bad''quote'", "'unterminated"),
  fc.constantFrom('2024-01-01T00:00:00Z', '2024-02-30T00:00:00Z', '2024-13-01', '9999-12-31T23:59:59.9999999Z', '2020-01-01'),
  fc.constantFrom('true', 'false', 'null', "microsoft.graph.security.indicatorSource'osint'", "Edm.Guid'x'"),
);

const hostile = fc.constantFrom('(', ')', "'", ',', ' and', ' or ', 'not ', '/', '$it', '@p', '\u0000', '%', '~', 'any(', 'eq eq', '))))', '(((');

/** A literal of the property's own EDM type (valid mostly, sometimes at the edges of its range). */
function typedLiteral(p: StructuralProperty | undefined): fc.Arbitrary<string> {
  if (!p) return fc.string({ maxLength: 8 }).map((x) => `'${x.replace(/'/g, "''")}'`);
  if (p.type.kind === 'enum') return fc.constantFrom(...p.type.members.map((m) => `'${m.name}'`), "'noSuchMember'");
  switch (p.type.kind === 'primitive' ? p.type.qualifiedName : '') {
    case 'Edm.Int32':
    case 'Edm.Int64':
      return fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -5, max: 100 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('2147483647', '2147483648', '9223372036854775807') });
    case 'Edm.Double':
      return fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }).map((d) => String(d).replace('e+', 'e'));
    case 'Edm.Boolean':
      return fc.constantFrom('true', 'false', 'null');
    case 'Edm.DateTimeOffset':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    default:
      return fc.oneof(fc.string({ maxLength: 8 }).map((x) => `'${x.replace(/'/g, "''")}'`), fc.constantFrom("'contoso.com'", "'NOBELIUM'", "'osint'", 'null'));
  }
}

function propertyPaths(type: EntityType): { scalars: string[]; collections: string[]; navigations: string[] } {
  const scalar = (p: StructuralProperty): boolean => !p.collection && p.type.kind !== 'complex';
  return {
    scalars: [...type.properties.filter(scalar).map((p) => p.name), ...type.navigationProperties.filter((n) => !n.collection).map((n) => `${n.name}/id`)],
    collections: type.properties.filter((p) => p.collection).map((p) => p.name),
    navigations: type.navigationProperties.filter((n) => n.collection).map((n) => n.name),
  };
}

/** A `$filter` expression over `type` (and, inside lambdas, over the collection's items). */
export function filterExpression(type: EntityType): fc.Arbitrary<string> {
  const { scalars, collections, navigations } = propertyPaths(type);
  const inner = navigations.length ? propertyPaths(type.navigationProperties.find((n) => n.name === navigations[0])!.target).scalars : [];
  const path = fc.constantFrom(...(scalars.length ? scalars : ['id']));
  const op = fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le');
  const byName = new Map(type.properties.map((p) => [p.name, p]));
  const typed = path.chain((p) => fc.tuple(fc.constant(p), fc.oneof({ weight: 4, arbitrary: typedLiteral(byName.get(p)) }, { weight: 1, arbitrary: literal })));
  const comparison = fc.tuple(typed, op).map(([[p, l], o]) => `${p} ${o} ${l}`);
  const fn = fc.tuple(fc.constantFrom('contains', 'startswith', 'endswith'), path, literal).map(([f, p, l]) => `${f}(${p},${l})`);
  const len = fc.tuple(fc.constantFrom('length', 'tolower', 'toupper', 'trim', 'year'), path, op, literal).map(([f, p, o, l]) => `${f}(${p}) ${o} ${l}`);
  const inList = fc.tuple(path, fc.array(literal, { maxLength: 4 })).map(([p, ls]) => `${p} in (${ls.join(',')})`);
  const lambdaOverCollection = collections.length
    ? fc.tuple(fc.constantFrom(...collections), fc.constantFrom('any', 'all'), literal, fc.constantFrom('eq', 'ne', 'gt')).map(([c, q, l, o]) => `${c}/${q}(x: x ${o} ${l})`)
    : comparison;
  const lambdaOverNavigation =
    navigations.length && inner.length
      ? fc.tuple(fc.constantFrom(...navigations), fc.constantFrom('any', 'all'), fc.constantFrom(...inner), op, literal).map(([n, q, p, o, l]) => `${n}/${q}(i: i/${p} ${o} ${l})`)
      : comparison;
  const leaf = fc.oneof({ weight: 4, arbitrary: comparison }, fn, len, inList, lambdaOverCollection, lambdaOverNavigation);
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: leaf },
      fc.tuple(tie('expr'), fc.constantFrom('and', 'or'), tie('expr')).map(([a, o, b]) => `(${a}) ${o} (${b})`),
      tie('expr').map((e) => `not (${e})`),
    ),
  }));
  return expr;
}

/** Splices hostile fragments into a text at generated positions. */
export function mangle(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.array(fc.tuple(fc.nat(), hostile), { maxLength: 3 })).map(([t, cuts]) => {
    let out = t;
    for (const [at, frag] of cuts) {
      const i = at % (out.length + 1);
      out = out.slice(0, i) + frag + out.slice(i);
    }
    return out;
  });
}

/** A query string (without '?') for a collection of `type`: encoded options, sometimes hostile. */
export function collectionQuery(type: EntityType): fc.Arbitrary<string> {
  const { scalars } = propertyPaths(type);
  const filter = fc.oneof({ weight: 6, arbitrary: filterExpression(type) }, { weight: 1, arbitrary: mangle(filterExpression(type)) });
  const orderby = fc.array(fc.tuple(fc.constantFrom(...scalars, 'nope'), fc.constantFrom('', ' asc', ' desc')), { minLength: 1, maxLength: 3 }).map((xs) => xs.map(([p, d]) => p + d).join(','));
  const select = fc.subarray([...type.properties.map((p) => p.name), 'nope'], { minLength: 1, maxLength: 4 }).map((xs) => xs.join(','));
  const top = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 999 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('-1', '1200', 'abc', '1e3', '99999999999999999999') });
  const search = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('"unterminated', 'NOBELIUM', 'a OR b', '"x" AND'));
  // Each option at most once (a repeated option is a 400 of its own, which a few cases still send).
  const options = fc.record(
    {
      filter: filter.map((f) => `$filter=${encodeURIComponent(f)}`),
      orderby: orderby.map((o) => `$orderby=${encodeURIComponent(o)}`),
      select: select.map((x) => `$select=${encodeURIComponent(x)}`),
      top: top.map((t) => `$top=${t}`),
      skip: top.map((t) => `$skip=${t}`),
      count: fc.constantFrom('$count=true', '$count=false', '$count=true', '$count=maybe'),
      search: search.map((x) => `$search=${encodeURIComponent(x)}`),
      odd: fc.constantFrom('$expand=*', '$expand=artifact', '$expand=indicators', '$skiptoken=forged', '$format=json', '$unknown=1', '$filter=', '$filter=%ZZ', '$top=1&$top=2'),
    },
    { requiredKeys: [] },
  );
  const pick = fc.tuple(options, fc.nat(9)).map(([o, r]) => {
    const parts = Object.entries(o).filter(([k]) => k !== 'odd' || r === 0).map(([, v]) => v);
    return parts.length ? parts.join('&') : '$top=1';
  });
  return fc.oneof({ weight: 4, arbitrary: fc.tuple(filter, fc.option(top)).map(([f, t]) => `$filter=${encodeURIComponent(f)}${t ? `&$top=${t}` : ''}`) }, { weight: 3, arbitrary: pick });
}
