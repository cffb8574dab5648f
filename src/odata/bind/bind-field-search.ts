/**
 * Graph's field-scoped `$search` on the collections whose type declares no free-text properties (whoisRecords,
 * sslCertificates): `$search="admin/address/state:WA"`, `$search="nameservers/host/id:contoso.com"`,
 * `$search="subject/commonName:Contoso"` — one property path (through complex values and collections of them) and a
 * value, matched exactly. It is rewritten as the `$filter` that means the same, `admin/address/state eq 'WA'` or
 * `nameservers/any(x: x/host/id eq 'contoso.com')`, and bound like any $filter, so typing, limits and SQL are the
 * filter's.
 */
import { errors } from '../../errors/catalog.js';
import type { ComplexType, EntityType, StructuralProperty } from '../../model/model.js';

/** The `$filter` text a field-scoped search stands for; a 400 when the value is not `path:value` over `type`. */
export function fieldSearchFilter(search: string, type: EntityType, where: string): string {
  const text = search.trim().replace(/^"/, '').replace(/"$/, '');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw errors.invalidQuery('$search', `expected one 'property/path:value' term for ${where}, as in "${exampleOf(type)}:value"`);
  const path = text.slice(0, colon).split('/');
  const value = text.slice(colon + 1);
  const { lhs, opened } = condition(path, type, where);
  return `${lhs} eq '${value.replace(/'/g, "''")}'${')'.repeat(opened)}`;
}

const exampleOf = (type: EntityType): string => type.properties.find((p) => p !== type.key && p.type.kind === 'primitive' && !p.collection)?.name ?? type.key.name;

/**
 * The left side of the comparison: the path as written, with each collection of complex values opened by an any()
 * (`opened` of them, closed after the right side).
 */
function condition(path: readonly string[], type: EntityType | ComplexType, where: string): { lhs: string; opened: number } {
  const parts: string[] = [];
  let opened = 0;
  let current: EntityType | ComplexType | undefined = type;
  let prefix = '';
  for (let i = 0; i < path.length; i++) {
    const name = path[i]!;
    if (!current) throw errors.invalidQuery('$search', `'${path.slice(0, i).join('/')}' has no properties to search for ${where}`);
    const property: StructuralProperty | undefined = current.property(name);
    const navigation = current.navigationProperties.find((n) => n.name === name);
    if (!property && !navigation) throw errors.invalidQuery('$search', `there is no property '${name}' on ${current.qualifiedName} to search for ${where}`);
    if (navigation) {
      // A reference inside a complex value (whoisNameserver.host): only its id is stored.
      if (path[i + 1] !== 'id' || i + 2 !== path.length) throw errors.invalidQuery('$search', `only '${[...path.slice(0, i + 1), 'id'].join('/')}' can be searched through '${name}'`);
      parts.push(`${prefix}${name}/id`);
      return { lhs: parts.join(''), opened };
    }
    if (property!.collection && property!.type.kind === 'complex') {
      const v = `s${opened++}`;
      parts.push(`${prefix}${name}/any(${v}: `);
      prefix = `${v}/`;
      current = property!.type;
      continue;
    }
    if (property!.type.kind === 'complex') {
      prefix = `${prefix}${name}/`;
      current = property!.type;
      continue;
    }
    if (i !== path.length - 1) throw errors.invalidQuery('$search', `'${name}' has no properties to search for ${where}`);
    parts.push(`${prefix}${name}`);
    return { lhs: parts.join(''), opened };
  }
  throw errors.invalidQuery('$search', `'${path.join('/')}' names a complex value, not a property to search for ${where}`);
}
