/** S-expression of a bound $filter tree for readable binder tests: `(eq $it/source 1:indicatorSource)`. */
import type { BoolNode, NodeType, RangeVariable, ValueNode } from '../../../src/odata/bind/semantic-tree.js';

const short = (t: NodeType): string => (t.kind === 'null' ? 'null' : t.qualifiedName.slice(t.qualifiedName.lastIndexOf('.') + 1));
const source = (v: RangeVariable): string => (v.kind === 'It' ? '$it' : v.name);

export function valueToString(n: ValueNode): string {
  switch (n.kind) {
    case 'PropertyAccess':
      return [source(n.source), ...n.navigation.map((x) => x.name), ...(n.property ? [n.property.name] : []), ...n.complexPath.map((x) => x.name)].join('/');
    case 'Constant':
      return `${typeof n.value === 'string' ? `'${n.value}'` : String(n.value)}:${short(n.type)}`;
    case 'StringFunction':
      return `(${n.fn} ${valueToString(n.argument)})`;
    case 'Length':
      return `(length ${valueToString(n.argument)})`;
  }
}

export function boundToString(n: BoolNode): string {
  switch (n.kind) {
    case 'Comparison':
      return `(${n.operator} ${valueToString(n.left)} ${valueToString(n.right)})`;
    case 'Logical':
      return `(${n.operator} ${boundToString(n.left)} ${boundToString(n.right)})`;
    case 'Not':
      return `(not ${boundToString(n.operand)})`;
    case 'In':
      return `(in ${valueToString(n.left)} (${n.list.map(valueToString).join(' ')}))`;
    case 'StringPredicate':
      return `(${n.fn} ${valueToString(n.subject)} ${valueToString(n.argument)})`;
    case 'BoolValue':
      return valueToString(n.value);
    case 'IsOf':
      return `(isof ${source(n.source)}/${n.navigation.name} ${n.type.qualifiedName})`;
    case 'Any': {
      const coll = `${source(n.source)}/${n.collection.kind === 'property' ? n.collection.property.name : n.collection.navigation.name}`;
      return n.variable && n.predicate ? `(any ${coll} ${source(n.variable)} ${boundToString(n.predicate)})` : `(any ${coll})`;
    }
  }
}
