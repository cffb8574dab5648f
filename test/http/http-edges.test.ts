/**
 * Issue 10, HTTP edges, sent over raw sockets on both stores:
 * - "A valid POST followed by one stray byte on the same connection is executed, but the client only sees the
 *   400": the POST's 201 comes first, then the 400, then the connection closes;
 * - "Idle connections close after ~31 s with 400 instead of 408": a request whose headers never end is 408;
 * - "two Host headers are accepted": 400;
 * - a cap on concurrent connections per process: one more connection is closed at once, unanswered.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startTestServer, TEST_STORE, TI, type TestServer } from '../support/test-server.js';
import { profileBody } from '../support/write-client.js';
import { waitFor } from '../support/wait-for.js';

let s: TestServer;
let write: string;
before(async () => {
  s = await startTestServer({ requestTimeoutMs: 1000, maxConnections: 3 });
  write = await s.mint({ roles: ['ThreatIntelligence.ReadWrite.All'] });
});
after(async () => {
  await s.close();
});

const port = (): number => Number(new URL(s.url).port);

/** Opens a socket, writes `data`, and resolves with everything received until the server closes it. */
function exchange(data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port(), '127.0.0.1', () => socket.write(data));
    let got = '';
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

/** The status lines of every response in `raw` (a body is not followed by CRLF, so the next one starts mid-line). */
const statusLines = (raw: string): string[] => raw.match(/HTTP\/1\.1 \d{3} [^\r]*/g) ?? [];
const lastBody = (raw: string): { error: { code: string; message: string } } => JSON.parse(raw.slice(raw.lastIndexOf('\r\n\r\n') + 4));

describe(`HTTP edges (${TEST_STORE})`, () => {
  it('a valid pipelined POST is answered 201 before the 400 for the stray byte after it', async () => {
    const body = JSON.stringify(profileBody('Pipelined Edge Group'));
    const raw = await exchange(
      `POST /v1.0${TI}/intelProfiles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${write}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}X`,
    );
    assert.deepEqual(statusLines(raw), ['HTTP/1.1 201 Created', 'HTTP/1.1 400 Bad Request']);
    assert.deepEqual(lastBody(raw).error.message, 'The HTTP request could not be parsed.');
    const created = await s.json(`/v1.0${TI}/intelProfiles?$filter=title eq 'Pipelined Edge Group'&$select=title`);
    assert.deepEqual(created.body.value.map((v: { title: string }) => v.title), ['Pipelined Edge Group']);
  });

  it('headers that never end: 408 RequestTimeout, then the connection closes', async () => {
    const raw = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    assert.deepEqual(statusLines(raw), ['HTTP/1.1 408 Request Timeout']);
    assert.deepEqual(lastBody(raw).error, { ...lastBody(raw).error, code: 'RequestTimeout', message: 'The request was not received in time.' });
  });

  it('two Host headers: 400 naming the header', async () => {
    const raw = await exchange('GET /healthz HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n');
    assert.deepEqual(statusLines(raw), ['HTTP/1.1 400 Bad Request']);
    assert.equal(lastBody(raw).error.message, "Invalid header 'Host': sent more than once.");
  });

  it('maxConnections 3: a fourth concurrent connection is closed unanswered; after one closes a new one is served', async () => {
    const open: Socket[] = [];
    // Earlier tests' keep-alive connections (fetch's pool) would count against the cap: close them first.
    s.server.closeIdleConnections();
    await waitFor('no connection left from earlier tests', () => new Promise<boolean>((ok) => s.server.getConnections((_, n) => ok(n === 0))));
    try {
      for (let i = 0; i < 3; i++) {
        const socket = connect(port(), '127.0.0.1');
        open.push(socket);
        // a complete request each, answered, keeps the connection open (keep-alive)
        const answered = new Promise<string>((ok, fail) => {
          socket.once('data', (d) => ok(d.toString('latin1')));
          socket.once('close', () => fail(new Error(`connection ${i + 1} of 3 was closed`)));
        });
        socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
        assert.match(await answered, /^HTTP\/1\.1 200 OK/);
      }
      const fourth = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.equal(fourth, '');
      open.pop()!.destroy();
      await waitFor('a new connection served after one closed', async () => statusLines(await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))[0] === 'HTTP/1.1 200 OK');
    } finally {
      for (const socket of open) socket.destroy();
    }
  });
});
