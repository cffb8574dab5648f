import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TypeDecl } from '../../../src/model/edm.js';
import { buildModel } from '../../../src/model/model.js';
import { TYPES } from '../../../src/model/security-ti.js';
import { bindQueryOptions, type QueryContext } from '../../../src/odata/bind/bind-query-options.js';
import { DEFAULT_LIMITS } from '../../../src/odata/limits/query-limits.js';
import { assertBadRequest } from '../uri/assert-odata-error.js';
import { boundToString } from './bound-to-string.js';

// A synthetic model whose evolvable enum has members after the unknownFutureValue sentinel (added to the served
// declarations, which buildModel needs for its entity sets).
const NS = 'test.sentinel';
const DECLS: TypeDecl[] = [
  { kind: 'EntityType', namespace: NS, name: 'entity', abstract: true, key: ['id'], properties: [{ name: 'id', type: 'Edm.String', nullable: false }], navigationProperties: [] },
  {
    kind: 'EnumType',
    namespace: NS,
    name: 'color',
    members: [
      { name: 'red', value: 0 },
      { name: 'green', value: 1 },
      { name: 'unknownFutureValue', value: 2 },
      { name: 'ultraviolet', value: 3 },
    ],
  },
  { kind: 'EntityType', namespace: NS, name: 'widget', baseType: `${NS}.entity`, properties: [{ name: 'color', type: `${NS}.color` }], navigationProperties: [] },
];
const model = buildModel([...TYPES, ...DECLS]);
const WIDGET = model.entityType(`${NS}.widget`);
const ctx = (includeUnknownEnumMembers: boolean): QueryContext => ({ model, type: WIDGET, isCollection: true, where: 'widgets', strict: false, includeUnknownEnumMembers, limits: DEFAULT_LIMITS });

describe('enum members beyond the unknownFutureValue sentinel', () => {
  for (const form of ["'ultraviolet'", 'ultraviolet', "test.sentinel.color'ultraviolet'"]) {
    it(`${form} without Prefer: include-unknown-enum-members is a 400`, () => {
      assertBadRequest(
        () => bindQueryOptions(`$filter=color eq ${form}`, ctx(false)),
        "Enum member 'ultraviolet' of 'test.sentinel.color' is only available with the header 'Prefer: include-unknown-enum-members'.",
      );
    });
    it(`${form} with the preference binds to the member value`, () => {
      assert.equal(boundToString(bindQueryOptions(`$filter=color eq ${form}`, ctx(true)).filter!), '(eq $it/color 3:color)');
    });
  }
  it('members up to and including the sentinel bind without the preference', () => {
    assert.equal(boundToString(bindQueryOptions("$filter=color in ('green', 'unknownFutureValue')", ctx(false)).filter!), '(in $it/color (1:color 2:color))');
  });
  it('in-lists are checked too', () => {
    assertBadRequest(() => bindQueryOptions("$filter=color in ('red', 'ultraviolet')", ctx(false)), "Enum member 'ultraviolet'");
  });
});
