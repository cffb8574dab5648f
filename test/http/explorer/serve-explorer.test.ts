/**
 * The explorer's static files (src/http/explorer/serve-explorer.ts): / and /ui/… from the built folder with their
 * content types and the strict CSP, X-Frame-Options and nosniff; nothing outside the folder is reachable.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const CSP = "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** A GET sent with the path exactly as given (fetch and URL would resolve `..`). */
function rawGet(url: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the built explorer at / and /ui/', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  it('GET / is index.html with the strict CSP, X-Frame-Options DENY and nosniff; it loads only same-origin assets', async () => {
    const r = await fetch(`${s.url}/`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html;charset=utf-8');
    assert.equal(r.headers.get('content-security-policy'), CSP);
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    const html = await r.text();
    assert.match(html, /<script type="module" crossorigin src="\/ui\/assets\/index-[\w-]+\.js"><\/script>/);
    assert.equal(/<script(?![^>]*\bsrc=)[^>]*>/.test(html), false, 'no inline script');
    assert.equal(/\bstyle=|<style/.test(html), false, 'no inline style');
    assert.equal(/https?:\/\//.test(html), false, 'no other origin');
  });

  it('assets have their content types and the same headers; hashed names are immutable', async () => {
    const assets = readdirSync(join(process.cwd(), 'dist', 'ui', 'assets'));
    const js = assets.find((f) => f.endsWith('.js'))!;
    const css = assets.find((f) => f.endsWith('.css'))!;
    for (const [path, type] of [
      [`/ui/assets/${js}`, 'text/javascript;charset=utf-8'],
      [`/ui/assets/${css}`, 'text/css;charset=utf-8'],
      ['/ui/favicon.svg', 'image/svg+xml'],
    ] as const) {
      const r = await fetch(`${s.url}${path}`);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('content-type'), type, path);
      assert.equal(r.headers.get('content-security-policy'), CSP, path);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(r.headers.get('cache-control'), path.startsWith('/ui/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache', path);
    }
  });

  it('an unknown /ui/ file is a Graph 404 with the explorer headers; POST / is a 405', async () => {
    const r = await fetch(`${s.url}/ui/nothing.js`);
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('content-security-policy'), CSP);
    assert.equal(((await r.json()) as any).error.code, 'ResourceNotFound');
    const post = await fetch(`${s.url}/`, { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    assert.equal(((await post.json()) as any).error.code, 'Request_BadRequest');
  });

  it('the API keeps its own CSP', async () => {
    const r = await s.get('/v1.0/security/threatIntelligence/intelProfiles?$top=1');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    assert.equal(r.headers.get('x-frame-options'), null);
  });
});

describe('path traversal out of the explorer folder', () => {
  let s: TestServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tigraph-explorer-'));
    mkdirSync(join(dir, 'root', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'root', 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dir, 'root', 'assets', 'a.txt'), 'inside');
    writeFileSync(join(dir, 'root', '.hidden.txt'), 'dotfile');
    writeFileSync(join(dir, 'secret.txt'), 'SECRET');
    s = await startTestServer({ explorerDir: join(dir, 'root') });
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file inside is served', async () => {
    const r = await rawGet(s.url, '/ui/assets/a.txt');
    assert.deepEqual([r.status, r.body], [200, 'inside']);
  });

  for (const path of ['/ui/../secret.txt', '/ui/assets/../../secret.txt', '/ui/%2e%2e/secret.txt', '/ui/..%2fsecret.txt', '/ui/assets/..%5c..%5csecret.txt', '/ui/%2e%2e%2fsecret.txt', '/ui/.hidden.txt', '/ui/assets//a.txt', '/ui/assets/a.txt%00', '/ui/%zz']) {
    it(`${path} is a Graph 404 and leaks nothing`, async () => {
      const r = await rawGet(s.url, path);
      assert.equal(r.status, 404, r.body);
      assert.equal(JSON.parse(r.body).error.code, 'ResourceNotFound');
      assert.equal(r.body.includes('SECRET') || r.body.includes('dotfile'), false);
      assert.equal(r.headers['content-security-policy'], CSP);
    });
  }

  it('/ui/../package.json (the repository root, as the issue names it) is a 404 on the real folder too', async () => {
    const real = await startTestServer();
    try {
      const r = await rawGet(real.url, '/ui/../package.json');
      assert.equal(r.status, 404);
      assert.equal(r.body.includes('"name": "tigraph"'), false);
      const r2 = await rawGet(real.url, '/ui/../../package.json');
      assert.equal(r2.status, 404);
    } finally {
      await real.close();
    }
  });
});
