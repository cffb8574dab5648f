/**
 * Gives a literal its type: the type of what it is compared with (enum members from any of the three
 * spellings, dates to epoch ms, …), or its natural type when there is nothing to compare with.
 * Values come out in storage form (see semantic-tree.ts).
 */
import { errors } from '../../errors/catalog.js';
import type { EnumType } from '../../model/model.js';
import type { LiteralToken } from '../uri/syntax-tree.js';
import { EDM, NULL_TYPE, typeName } from './primitive-types.js';
import type { ConstantNode, NodeType } from './semantic-tree.js';
import { findUnstorable } from './unstorable-text.js';

export interface LiteralContext {
  /** Option name for messages ('filter'). */
  readonly option: string;
  readonly includeUnknownEnumMembers: boolean;
  /** Looks up an enum type by qualified name (for qualified enum literals with nothing to compare against). */
  readonly enumType: (qualifiedName: string) => EnumType | undefined;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** The type a literal has on its own. */
export function naturalType(token: LiteralToken, ctx: LiteralContext): NodeType {
  const l = token.literal;
  switch (l.type) {
    case 'string':
      return EDM.String;
    case 'int':
      return l.value >= INT32_MIN && l.value <= INT32_MAX ? EDM.Int32 : EDM.Int64;
    case 'decimal':
      return EDM.Double;
    case 'boolean':
      return EDM.Boolean;
    case 'null':
      return NULL_TYPE;
    case 'dateTimeOffset':
    case 'date':
      return EDM.DateTimeOffset;
    case 'guid':
      return EDM.Guid;
    case 'enum': {
      const t = ctx.enumType(l.typeName);
      if (!t) throw errors.typeMismatch(ctx.option, `'${l.typeName}' is not a known enum type`, token.position);
      return t;
    }
  }
}

/** `token` typed as `target` (or as itself when `target` is the null type). `subject` names the other side for messages. */
export function bindLiteral(token: LiteralToken, target: NodeType, subject: string, ctx: LiteralContext): ConstantNode {
  const l = token.literal;
  if (l.type === 'null') return { kind: 'Constant', value: null, type: target };
  if (l.type === 'string') {
    const bad = findUnstorable(l.value);
    if (bad) throw errors.unstorableText(ctx.option, `the literal ${token.text}`, bad.describe, token.position);
  }
  if (target.kind === 'null') return bindLiteral(token, naturalType(token, ctx), subject, ctx);
  const mismatch = (hint = '') =>
    errors.typeMismatch(ctx.option, `cannot compare ${subject} of type '${typeName(target)}' with the literal ${token.text} of type '${typeName(naturalType(token, ctx))}'${hint}`, token.position);

  if (target.kind === 'complex') throw errors.typeMismatch(ctx.option, `${subject} is of complex type '${target.qualifiedName}' and cannot be compared`, token.position);
  if (target.kind === 'enum') {
    if (l.type === 'string') return bindEnumMember(target, l.value, token.position, ctx);
    if (l.type === 'enum') {
      if (l.typeName.toLowerCase() !== target.qualifiedName.toLowerCase()) throw mismatch();
      return bindEnumMember(target, l.member, token.position, ctx);
    }
    throw mismatch();
  }
  switch (target.qualifiedName) {
    case 'Edm.String':
      if (l.type === 'string' || l.type === 'guid') return { kind: 'Constant', value: l.value, type: EDM.String };
      throw mismatch(l.type === 'int' || l.type === 'decimal' ? ` (string literals are quoted: '${token.text}')` : '');
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Double':
      if (l.type === 'int') {
        if (target.qualifiedName === 'Edm.Int32' && (l.value < INT32_MIN || l.value > INT32_MAX)) {
          throw errors.typeMismatch(ctx.option, `the literal ${token.text} is out of range for ${subject} of type 'Edm.Int32' (${INT32_MIN} to ${INT32_MAX})`, token.position);
        }
        return { kind: 'Constant', value: l.value, type: target.qualifiedName === 'Edm.Double' ? EDM.Double : naturalType(token, ctx) };
      }
      if (l.type === 'decimal') {
        if (target.qualifiedName !== 'Edm.Double') {
          throw errors.typeMismatch(ctx.option, `the literal ${token.text} is not an integer, but ${subject} is of type '${target.qualifiedName}'`, token.position);
        }
        return { kind: 'Constant', value: l.value, type: EDM.Double };
      }
      throw mismatch();
    case 'Edm.Boolean':
      if (l.type === 'boolean') return { kind: 'Constant', value: l.value, type: EDM.Boolean };
      throw mismatch(l.type === 'string' ? ' (booleans are written without quotes: true, false)' : '');
    case 'Edm.DateTimeOffset':
      if (l.type === 'dateTimeOffset' || l.type === 'date') return { kind: 'Constant', value: l.value, type: EDM.DateTimeOffset };
      throw mismatch(l.type === 'string' ? ' (DateTimeOffset literals are written without quotes, e.g. 2022-05-02T23:09:20Z)' : '');
    case 'Edm.Guid':
      if (l.type === 'guid') return { kind: 'Constant', value: l.value, type: EDM.Guid };
      throw mismatch(l.type === 'string' ? ' (Guid literals are written without quotes)' : '');
  }
}

/** A bare identifier (`osint`) read as a member of `target`, if `target` is an enum. */
export function bindBareMember(name: string, position: number, target: NodeType, ctx: LiteralContext): ConstantNode | undefined {
  return target.kind === 'enum' ? bindEnumMember(target, name, position, ctx) : undefined;
}

/** Resolves a member by CSDL name, documented long name (both case-insensitive) or numeric value. */
export function bindEnumMember(type: EnumType, text: string, position: number, ctx: LiteralContext): ConstantNode {
  const member = type.memberByAnyName(text) ?? (/^\d+$/.test(text) ? type.memberByValue(Number(text)) : undefined);
  if (!member) {
    throw errors.typeMismatch(
      ctx.option,
      `'${text}' is not a member of the enum type '${type.qualifiedName}' (members: ${type.members.map((m) => m.name).join(', ')})`,
      position,
    );
  }
  if (type.sentinelValue !== undefined && member.value > type.sentinelValue && !ctx.includeUnknownEnumMembers) {
    throw errors.enumMemberBeyondSentinel(member.name, type.qualifiedName);
  }
  return { kind: 'Constant', value: member.value, type };
}


