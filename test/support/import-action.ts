/** The import action over HTTP for tests: submit a body, and wait for its job to end. */
import assert from 'node:assert/strict';
import { TI, type TestServer } from './test-server.js';

const ACTION = 'microsoft.graph.security.import';

/** POSTs `body` to the import action (`query` with its leading '?', or ''); no token when `token` is undefined. */
export function submitImport(s: TestServer, token: string | undefined, query: string, contentType: string, body: string, version = 'v1.0'): Promise<Response> {
  return fetch(`${s.url}/${version}${TI}/${ACTION}${query}`, {
    method: 'POST',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': contentType },
    body,
  });
}

/** Polls a job's Location (every 25 ms, up to `timeoutMs`) until it succeeded or failed; any other state must be a waiting one. */
export async function waitForJob(s: TestServer, location: string, timeoutMs = 5000): Promise<any> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await fetch(location, { headers: { Authorization: `Bearer ${s.token}` } });
    assert.equal(r.status, 200);
    const job = (await r.json()) as { status: string };
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    assert.ok(job.status === 'notStarted' || job.status === 'running', job.status);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the job at ${location} did not finish within ${timeoutMs} ms`);
}
