/**
 * Compares a model Kiota deserialized with the JSON it was deserialized from, property by property, at every depth.
 *
 * - Each JSON member must land on the typed property of the same name (OData control information on Kiota's
 *   names: `@odata.type` → `odataType`, `@odata.nextLink` → `odataNextLink`, `@odata.count` → `odataCount`), with
 *   the JSON's value: strings, numbers and booleans identical, enum members identical (Kiota drops a member its
 *   enum lacks, which shows here as a mismatch), DateTimeOffsets as `Date`s whose `toISOString()` is the JSON text.
 * - A member with no typed property lands in `additionalData`; those paths are returned, so the caller asserts
 *   the exact list (normally only the root's `@odata.context`).
 * - The model holds no typed property the JSON did not carry.
 * - JSON null: Kiota leaves a primitive `undefined` and makes a complex or entity value an empty object (its
 *   JsonParseNode assigns no field of a null node); both are accepted as null, nothing else is.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

const RENAMES: Record<string, string> = { '@odata.type': 'odataType', '@odata.nextLink': 'odataNextLink', '@odata.count': 'odataCount' };
const modelKey = (jsonKey: string): string => RENAMES[jsonKey] ?? jsonKey;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const show = (v: unknown): string => inspect(v, { depth: 3, breakLength: 160 });

/** Asserts `model` carries `json`; returns the JSON paths that landed in `additionalData` instead of a typed property. */
export function compareWithJson(model: unknown, json: unknown, path = '$'): string[] {
  if (json === null) {
    const emptyObject = isObj(model) && Object.keys(model).length === 0;
    assert.ok(model === undefined || model === null || emptyObject, `${path}: JSON null read as ${show(model)}`);
    return [];
  }
  if (Array.isArray(json)) {
    assert.ok(Array.isArray(model), `${path}: JSON array read as ${show(model)}`);
    assert.equal(model.length, json.length, `${path}: length`);
    return json.flatMap((item, i) => compareWithJson(model[i], item, `${path}[${i}]`));
  }
  if (isObj(json)) {
    assert.ok(isObj(model), `${path}: JSON object read as ${show(model)}`);
    const additional = isObj(model['additionalData']) ? model['additionalData'] : {};
    const untyped: string[] = [];
    for (const [k, v] of Object.entries(json)) {
      const mk = modelKey(k);
      if (Object.prototype.hasOwnProperty.call(model, mk) && mk !== 'additionalData') {
        untyped.push(...compareWithJson(model[mk], v, `${path}.${k}`));
      } else {
        assert.ok(Object.prototype.hasOwnProperty.call(additional, k), `${path}.${k}: neither typed (${mk}) nor in additionalData`);
        assert.deepEqual(additional[k], v, `${path}.${k}: additionalData value`);
        untyped.push(`${path}.${k}`);
      }
    }
    const expectedKeys = new Set(Object.keys(json).map(modelKey));
    const extra = Object.keys(model).filter((k) => k !== 'additionalData' && !expectedKeys.has(k));
    assert.deepEqual(extra, [], `${path}: typed properties the JSON does not carry`);
    assert.deepEqual(Object.keys(additional).filter((k) => !Object.prototype.hasOwnProperty.call(json, k)), [], `${path}: additionalData not from the JSON`);
    return untyped;
  }
  if (model instanceof Date) {
    assert.equal(typeof json, 'string', `${path}: a Date from ${show(json)}`);
    assert.equal(model.toISOString(), json, `${path}: DateTimeOffset`);
    return [];
  }
  assert.equal(model, json, `${path}: value`);
  return [];
}

/** The members of a JSON object, sorted (to pin what the server sent before comparing). */
export const jsonKeys = (json: unknown): string[] => (isObj(json) ? Object.keys(json).sort() : []);
