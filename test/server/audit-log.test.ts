/**
 * The audit log through the real command line: `tigraph serve --audit-log <file>` in a child process, writes,
 * a refused token and a missing permission, rotation by rename + SIGHUP, then kill -9: every acknowledged write has
 * its line.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { serve, token } from '../support/cli-process.js';
import { profileBody } from '../support/write-client.js';
import { waitFor } from '../support/wait-for.js';

const TI = '/v1.0/security/threatIntelligence';
const lines = (file: string): Record<string, any>[] => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('tigraph serve --audit-log', () => {
  it('one line per write, refused authentication and missing permission, written before the answer; SIGHUP reopens; kill -9 loses none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tigraph-audit-'));
    const file = join(dir, 'audit.jsonl');
    const s = await serve(['--seed', 'none', '--data-dir', join(dir, 'data'), '--audit-log', file]);
    try {
      const write = token(join(dir, 'data'), '--write');
      const read = token(join(dir, 'data'));
      const claims = decodeJwt(write);
      const send = (method: string, path: string, bearer: string | undefined, body?: unknown) =>
        fetch(`${s.url}${TI}${path}`, {
          method,
          headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), 'Content-Type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const acknowledged: string[] = [];
      for (let i = 0; i < 25; i++) {
        const r = await send('POST', '/intelProfiles', write, { id: `audited-${i}`, ...profileBody(`Audited ${i}`) });
        assert.equal(r.status, 201, await r.text());
        acknowledged.push(`audited-${i}`);
      }
      assert.equal((await send('PATCH', '/intelProfiles/audited-0', write, { summary: { content: 'changed', format: 'text' } })).status, 204);
      assert.equal((await send('GET', '/intelProfiles', read)).status, 200, 'reads are not audited');
      assert.equal((await send('POST', '/intelProfiles', 'not-a-token', profileBody('Refused'))).status, 401);
      assert.equal((await send('DELETE', '/intelProfiles/audited-1', read)).status, 403);

      // An import: its submission line (202, the job id) and, when the job ends, a line with its counts.
      const submitted = await fetch(`${s.url}${TI}/microsoft.graph.security.import?name=apt_audited.txt`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${write}`, 'Content-Type': 'text/plain' },
        body: 'one.audited.example\ntwo.audited.example\n192.0.2.300\n',
      });
      assert.equal(submitted.status, 202, await submitted.clone().text());
      const jobId = ((await submitted.json()) as { id: string }).id;
      const finished = await waitFor('the import job finished', () => lines(file).find((l) => l['event'] === 'importFinished'));
      assert.deepEqual({ ...finished, time: 'T' }, {
        audit: true,
        time: 'T',
        event: 'importFinished',
        jobId,
        status: 'succeeded',
        indicators: { created: 2, updated: 0, unchanged: 0 },
        profiles: { created: 1, updated: 0, unchanged: 0 },
        rejected: 1,
        skipped: 0,
      });

      const first = lines(file).filter((l) => !String(l['event']).startsWith('import'));
      const importLine = lines(file).find((l) => l['event'] === 'import')!;
      assert.deepEqual([importLine['method'], importLine['status'], importLine['entityIds'], importLine['principal']], ['POST', 202, [jobId], claims['oid']]);
      assert.equal(first.length, 25 + 1 + 2);
      assert.deepEqual({ ...first[0], time: 'T', requestId: 'R', clientRequestId: 'C', remoteAddress: 'A' }, {
        audit: true,
        time: 'T',
        requestId: 'R',
        clientRequestId: 'C',
        event: 'write',
        tenant: claims['tid'],
        principal: claims['oid'],
        principalKind: 'app',
        application: claims['appid'],
        permission: ['ThreatIntelligence.Read.All', 'ThreatIntelligence.ReadWrite.All'],
        method: 'POST',
        route: `${TI}/intelProfiles`,
        entityIds: ['audited-0'],
        status: 201,
        remoteAddress: 'A',
      });
      assert.match(first[0]!['time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(first.slice(0, 25).map((l) => l['entityIds'][0]), acknowledged);
      assert.deepEqual([first[25]!['method'], first[25]!['entityIds'], first[25]!['status']], ['PATCH', ['audited-0'], 204]);
      assert.deepEqual([first[26]!['event'], first[26]!['status'], first[26]!['principal']], ['refusedAuthentication', 401, null]);
      assert.deepEqual([first[27]!['event'], first[27]!['status'], first[27]!['principal'], first[27]!['permission'], first[27]!['entityIds']], ['refusedAuthentication', 403, decodeJwt(read)['oid'], ['ThreatIntelligence.Read.All'], ['audited-1']]);

      // Rotation: rename, SIGHUP, and the next lines go to a new file at the same path.
      renameSync(file, `${file}.1`);
      s.child.kill('SIGHUP');
      await waitFor('the audit log reopened', () => existsSync(file));
      for (let i = 25; i < 40; i++) {
        const r = await send('POST', '/intelProfiles', write, { id: `audited-${i}`, ...profileBody(`Audited ${i}`) });
        assert.equal(r.status, 201);
        acknowledged.push(`audited-${i}`);
      }
      s.child.kill('SIGKILL');
      await new Promise((resolve) => s.child.once('exit', resolve));
      const all = [...lines(`${file}.1`), ...lines(file)];
      const written = all.filter((l) => l['event'] === 'write' && l['method'] === 'POST' && l['status'] === 201).map((l) => l['entityIds'][0]);
      assert.deepEqual(written, acknowledged, 'every acknowledged POST has its line, in order, after kill -9');
      assert.equal(lines(file).length, 15);
      assert.equal(all.filter((l) => l['event'] === 'import').length, 1);
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
