/**
 * Issue 10: "Request-log lines are buffered and lost on SIGKILL (an acknowledged DELETE left no line)". The request
 * line reaches stdout before the response is written: a DELETE answered 204 and then SIGKILL leaves its line.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, childEnv, token } from '../support/cli-process.js';
import { TI } from '../support/test-server.js';

describe('request log', () => {
  it('an acknowledged DELETE followed by SIGKILL leaves its log line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tigraph-reqlog-'));
    const logFile = join(dir, 'stdout.log');
    const out = openSync(logFile, 'w');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--log-level', 'info'], { env: childEnv(), stdio: ['ignore', out, 'pipe'] });
    closeSync(out);
    try {
      let banner = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => {
          banner += d.toString();
          const m = /v1\.0:\s+(http:\/\/[^/]+)\//.exec(banner);
          if (m && banner.includes('token:')) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${banner}`)));
      });
      const write = token(join(dir, 'data'), '--write');
      const auth = { Authorization: `Bearer ${write}` };
      const list = (await (await fetch(`${url}/v1.0${TI}/intelProfiles?$select=id&$top=1`, { headers: auth })).json()) as { value: { id: string }[] };
      const id = list.value[0]!.id;
      const del = await fetch(`${url}/v1.0${TI}/intelProfiles/${id}`, { method: 'DELETE', headers: auth });
      assert.equal(del.status, 204);
      const requestId = del.headers.get('request-id');
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGKILL');
      await exited;
      const lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes(String(requestId)));
      assert.equal(lines.length, 1, `no log line for request ${requestId}`);
      const line = JSON.parse(lines[0]!) as { method: string; url: string; status: number; msg: string };
      assert.deepEqual([line.msg, line.method, line.url, line.status], ['request', 'DELETE', `/v1.0${TI}/intelProfiles/${id}`, 204]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
