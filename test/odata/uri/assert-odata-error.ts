/** Asserts that `fn` throws a catalog ODataError with status 400 whose message contains every fragment. */
import assert from 'node:assert/strict';
import { ODataError } from '../../../src/errors/odata-error.js';

export function assertBadRequest(fn: () => unknown, ...fragments: (string | RegExp)[]): ODataError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, `expected a 400 (${fragments.join(' … ')}) but nothing was thrown`);
  assert.ok(thrown instanceof ODataError, `expected an ODataError but got ${String(thrown)}`);
  assert.equal(thrown.status, 400, thrown.message);
  for (const f of fragments) {
    if (typeof f === 'string') assert.ok(thrown.message.includes(f), `message ${JSON.stringify(thrown.message)} lacks ${JSON.stringify(f)}`);
    else assert.match(thrown.message, f);
  }
  return thrown;
}

/** Asserts that `fn` throws a catalog ODataError with exactly this status, code and message. */
export function assertODataError(fn: () => unknown, status: number, code: string, message: string): ODataError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, `expected a ${status} ${code} (${message}) but nothing was thrown`);
  assert.ok(thrown instanceof ODataError, `expected an ODataError but got ${String(thrown)}`);
  assert.deepEqual({ status: thrown.status, code: thrown.code, message: thrown.message }, { status, code, message });
  return thrown;
}
