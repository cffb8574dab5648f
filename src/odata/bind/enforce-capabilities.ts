/**
 * Strict mode: the Org.OData.Capabilities.V1 annotations of the official CSDL (model/capabilities.ts),
 * enforced as 400s. Outside strict mode every option is served on every collection.
 */
import { errors } from '../../errors/catalog.js';
import type { CapabilityDecl } from '../../model/edm.js';
import type { SystemQueryOptionName } from '../uri/parse-query-options.js';

const OPTION_CAPABILITY: Partial<Record<SystemQueryOptionName, keyof CapabilityDecl>> = {
  filter: 'filterable',
  orderby: 'sortable',
  search: 'searchable',
  select: 'selectSupported',
  skip: 'skipSupported',
  top: 'topSupported',
  count: 'countable',
};

/**
 * 400 for any present option the annotations declare unsupported (`false`; unspecified means supported). `$expand`
 * is checked after binding (bind-query-options.ts), because Graph's error names the expanded property.
 */
export function enforceOptionCapabilities(present: Iterable<SystemQueryOptionName>, caps: CapabilityDecl, where: string): void {
  for (const name of present) {
    const term = OPTION_CAPABILITY[name];
    if (term && caps[term] === false) throw errors.capabilityRestricted(`$${name}`, where);
  }
}

/** A guard for properties named in $filter or $orderby, or undefined when nothing is restricted. */
export function propertyGuard(
  restricted: readonly string[] | undefined,
  what: 'Filtering' | 'Sorting',
  where: string,
): ((name: string, position: number) => void) | undefined {
  if (!restricted || restricted.length === 0) return undefined;
  const names = new Set(restricted.map((n) => n.toLowerCase()));
  return (name) => {
    if (names.has(name.toLowerCase())) throw errors.capabilityRestricted(`${what} on the property '${name}'`, where);
  };
}
