/**
 * Binds a $search syntax tree: terms and phrases both become SearchTerm (the phrase quotes only delimit).
 * Recursion follows the tree, which the parser bounds by depth and term count.
 */
import { errors } from '../../errors/catalog.js';
import type { SearchToken } from '../uri/syntax-tree.js';
import type { SearchNode } from './semantic-tree.js';
import { findUnstorable } from './unstorable-text.js';

export function bindSearch(token: SearchToken): SearchNode {
  switch (token.kind) {
    case 'SearchTermToken': {
      const bad = findUnstorable(token.term);
      if (bad) throw errors.unstorableText('search', `the term '${token.term}'`, bad.describe, token.position);
      return { kind: 'SearchTerm', term: token.term };
    }
    case 'SearchBinaryToken':
      return { kind: token.operator === 'AND' ? 'SearchAnd' : 'SearchOr', left: bindSearch(token.left), right: bindSearch(token.right) };
    case 'SearchNotToken':
      return { kind: 'SearchNot', operand: bindSearch(token.operand) };
    default: {
      const never: never = token;
      throw new Error(`unreachable: ${(never as { kind: string }).kind}`);
    }
  }
}
