/**
 * `$batch` with @microsoft/microsoft-graph-client's BatchRequestContent / BatchResponseContent over HTTPS (dev
 * CA, in a child process that trusts only it): a mixed batch (read, write, dependent read, failing request and a
 * dependant that gets 424); and, over plain HTTP, the limits and the batch principal's permissions.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { errors } from '../../src/errors/catalog.js';
import { DOC_INDICATOR_ID } from '../../src/seed/doc-examples.js';
import { startHttpsServer, type RunningHttpsServer } from '../../src/server/start-https.js';
import { loadOrCreateDevCertificates } from '../../src/tls/dev-certificates.js';
import { startTestServer, TI, type TestServer } from '../support/test-server.js';

const WRITE = 'ThreatIntelligence.ReadWrite.All';

describe('$batch', () => {
  let server: TestServer;
  let https: RunningHttpsServer;
  let dir: string;
  let ca: string;
  before(async () => {
    server = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'tigraph-batch-'));
    const certs = await loadOrCreateDevCertificates(dir);
    ca = certs.caCertPath;
    https = await startHttpsServer(server.server.listeners('request')[0] as Parameters<typeof startHttpsServer>[0], { port: 0, host: '127.0.0.1', certPem: certs.certPem, keyPem: certs.keyPem });
  });
  after(async () => {
    await https?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const post = async (path: string, body: unknown, token: string): Promise<{ status: number; body: any }> => {
    const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  };

  it('BatchRequestContent → /v1.0/$batch over HTTPS → BatchResponseContent: reads, a write, dependsOn, 424', async () => {
    const driver = fileURLToPath(new URL('./graph-client-batch-driver.js', import.meta.url));
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: ca, TIGRAPH_BATCH_TEST: JSON.stringify({ url: https.url, token: await server.mint({ roles: [WRITE] }), indicatorId: DOC_INDICATOR_ID }) };
    delete env['NODE_TEST_CONTEXT'];
    const { stdout } = await promisify(execFile)(process.execPath, [driver], { env });
    const out = JSON.parse(stdout);
    assert.equal(out.read.status, 200);
    assert.deepEqual([out.read.body.id, out.read.body.source], [DOC_INDICATOR_ID, 'microsoft']);
    assert.equal(out.create.status, 201);
    assert.equal(out.create.body.id, 'batch-tempest');
    assert.equal(out.readCreated.status, 200);
    assert.equal(out.readCreated.body.title, 'Batch Tempest');
    assert.equal(out.missing.status, 404);
    assert.equal(out.missing.body.error.code, 'ResourceNotFound');
    assert.equal(out.afterMissing.status, 424);
    assert.equal(out.afterMissing.body.error.code, 'FailedDependency');
  });

  it('more than 20 requests, duplicate ids (case-insensitive) and unknown dependencies are a 400 for the whole batch', async () => {
    const get = (id: string) => ({ id, method: 'GET', url: `${TI}/intelProfiles` });
    const tooMany = await post('/beta/$batch', { requests: Array.from({ length: 21 }, (_, i) => get(String(i))) }, server.token);
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.code, 'BadRequest');
    const twenty = await post('/beta/$batch', { requests: Array.from({ length: 20 }, (_, i) => get(String(i))) }, server.token);
    assert.equal(twenty.status, 200);
    assert.deepEqual(twenty.body.responses.map((r: any) => r.status), Array(20).fill(200));
    const dup = await post('/v1.0/$batch', { requests: [get('a'), get('A')] }, server.token);
    assert.equal(dup.status, 400);
    assert.equal(dup.body.error.message, "Invalid request body: requests[1].id 'A' is not unique (ids are case-insensitive).");
    const unknown = await post('/v1.0/$batch', { requests: [{ ...get('a'), dependsOn: ['zz'] }] }, server.token);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.message, "Invalid request body: request 'a' depends on unknown id 'zz'.");
  });

  it("inner requests run with the batch token's permissions: a read token's write is 403 inside, its reads 200", async () => {
    const r = await post('/v1.0/$batch', {
      requests: [
        { id: '1', method: 'GET', url: `${TI}/intelProfiles?$top=1&$select=id` },
        { id: '2', method: 'POST', url: `${TI}/intelProfiles`, headers: { 'Content-Type': 'application/json' }, body: { title: 'Not Allowed', kind: 'actor' } },
        { id: '3', method: 'GET', url: 'security/threatIntelligence/intelProfiles/not-allowed', dependsOn: ['2'] },
      ],
    }, server.token);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.responses.map((x: any) => [x.id, x.status]), [['1', 200], ['2', 403], ['3', 424]]);
    assert.equal(r.body.responses[1].body.error.code, errors.insufficientPermission(WRITE).code);
    assert.equal((await server.json(`/v1.0${TI}/intelProfiles/not-allowed`)).status, 404, 'nothing was written');
    const anon = await fetch(`${server.url}/v1.0/$batch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"requests":[]}' });
    assert.equal(anon.status, 401);
  });
});
