/**
 * Binds $orderby: each item a single-valued property path (`title`, `summary/content`, `artifact/id`) with a
 * direction. Collections, complex values and navigation paths to anything but the target's key are 400s.
 */
import { errors } from '../../errors/catalog.js';
import type { EntityType } from '../../model/model.js';
import { enforceLimit, type QueryLimits } from '../limits/query-limits.js';
import type { OrderByToken } from '../uri/syntax-tree.js';
import { bindPath, pathText } from './bind-path.js';
import type { OrderByItem } from './semantic-tree.js';

const OPTION = '$orderby';

export function bindOrderBy(
  tokens: readonly OrderByToken[],
  type: EntityType,
  limits: QueryLimits,
  onRootMember?: (name: string, position: number) => void,
): readonly OrderByItem[] {
  enforceLimit('the number of $orderby items', limits.maxOrderByItems, tokens.length);
  return tokens.map(({ path, direction }): OrderByItem => {
    const bound = bindPath(path, { type, option: OPTION, scope: [], onRootMember });
    const text = pathText(path);
    if (bound.kind === 'unresolved') throw errors.unknownProperty(OPTION, bound.segment.name, type.qualifiedName, bound.segment.position);
    if (bound.kind === 'collection') throw errors.invalidQuery(OPTION, `'${text}' is collection-valued and cannot be sorted on`, path.position);
    const node = bound.node;
    if (node.type.kind === 'complex') {
      throw errors.invalidQuery(OPTION, `'${text}' is of complex type '${node.type.qualifiedName}'; sort on one of its properties instead`, path.position);
    }
    const nav = node.navigation.at(-1);
    if (nav && (node.property !== nav.target.key || node.complexPath.length > 0)) {
      throw errors.invalidQuery(OPTION, `only the key of a navigation property can be sorted on ('${nav.name}/${nav.target.key.name}'), not '${text}'`, path.position);
    }
    return { expression: node, direction };
  });
}
