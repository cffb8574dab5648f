/**
 * Binds $select and $expand. $select takes structural and navigation property names of the addressed type
 * (`*` = all, bound as undefined). $expand supports exactly the navigations the storage layer can expand
 * (indicator/artifact), optionally with a nested $select; everything else is ExpandNotSupported.
 */
import { errors } from '../../errors/catalog.js';
import type { EntityType, NavigationProperty, StructuralProperty } from '../../model/model.js';
import { enforceLimit, type QueryLimits } from '../limits/query-limits.js';
import { parseSelect } from '../uri/parse-select-expand.js';
import type { ExpandToken, SelectToken } from '../uri/syntax-tree.js';
import type { ExpandItem, SelectItem } from './semantic-tree.js';

export const isExpandable = (nav: NavigationProperty): boolean => nav.expandable;

/** undefined when `*` is among the items (all properties). */
export function bindSelect(tokens: readonly SelectToken[], type: EntityType, limits: QueryLimits, option = '$select'): readonly SelectItem[] | undefined {
  enforceLimit(`the number of ${option === '$select' ? '$select' : 'nested $select'} items`, limits.maxSelectItems, tokens.length);
  const items: SelectItem[] = [];
  let all = false;
  for (const token of tokens) {
    if (token.kind === 'SelectAll') {
      all = true;
      continue;
    }
    const [first, second] = token.path.segments;
    if (second) throw errors.invalidQuery(option, `selecting a path ('${token.path.segments.map((s) => s.name).join('/')}') is not supported; select the property '${first!.name}'`, second.position);
    const property: StructuralProperty | NavigationProperty | undefined = type.property(first!.name) ?? type.navigation(first!.name);
    if (!property) throw errors.selectPropertyNotFound(first!.name, type.qualifiedName);
    if (!items.some((i) => i.property === property)) items.push({ property });
  }
  return all ? undefined : items;
}

export function bindExpand(tokens: readonly ExpandToken[], type: EntityType, limits: QueryLimits): readonly ExpandItem[] {
  const items: ExpandItem[] = [];
  const add = (item: ExpandItem): void => {
    if (!items.some((i) => i.navigation === item.navigation)) items.push(item);
  };
  for (const token of tokens) {
    if (token.path === '*') {
      for (const navigation of type.navigationProperties.filter(isExpandable)) add({ navigation, select: bindNestedSelect(token, navigation, limits) });
      continue;
    }
    const [first, second] = token.path.segments;
    if (second) throw errors.invalidQuery('$expand', `expanding a path ('${token.path.segments.map((s) => s.name).join('/')}') is not supported`, second.position);
    const navigation = type.navigation(first!.name);
    if (!navigation) {
      if (type.property(first!.name)) throw errors.expandNotSupported(type.property(first!.name)!.name);
      throw errors.selectPropertyNotFound(first!.name, type.qualifiedName);
    }
    if (!isExpandable(navigation)) throw errors.expandNotSupported(navigation.name);
    add({ navigation, select: bindNestedSelect(token, navigation, limits) });
  }
  return items;
}

function bindNestedSelect(token: ExpandToken, navigation: NavigationProperty, limits: QueryLimits): readonly SelectItem[] | undefined {
  let select: readonly SelectItem[] | undefined;
  let seen = false;
  for (const option of token.options) {
    const bare = (option.name.startsWith('$') ? option.name.slice(1) : option.name).toLowerCase();
    if (bare === 'expand') {
      enforceLimit('the depth of $expand', limits.maxExpandDepth, 2);
      throw errors.invalidQuery('$expand', `nested $expand inside '${navigation.name}' is not supported`, option.position);
    }
    if (bare !== 'select') throw errors.invalidQuery('$expand', `the nested query option '${option.name}' is not supported inside $expand (only $select is)`, option.position);
    if (seen) throw errors.duplicateQueryOption(`$expand=${navigation.name}(${option.name})`);
    seen = true;
    select = bindSelect(parseSelect(option.value, limits, option.valuePosition, '$expand'), navigation.target, limits, '$expand');
  }
  return select;
}
