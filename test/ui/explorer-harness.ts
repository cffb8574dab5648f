/**
 * The intel explorer under test: a real `tigraph serve` (child process, temp data dir, demo seed) and Debian's
 * Chromium (/usr/bin/chromium) driven by playwright-core, offline. Every page's console errors, page errors,
 * failed requests and 4xx/5xx answers are collected, so a test can assert there were none.
 *
 * Without /usr/bin/chromium (or without the built bundle) the suites skip, saying so loudly: `.ci/run` installs
 * Chromium with `apt-get install -y chromium chromium-driver` when it is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serve, stop, token, type ServeProcess } from '../support/cli-process.js';

export const CHROMIUM = '/usr/bin/chromium';
export const BUNDLE = join(process.cwd(), 'dist', 'ui', 'index.html');
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');
export const TI = '/v1.0/security/threatIntelligence';

/** Why the browser suites cannot run here, or undefined. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is absent: install Debian's Chromium (apt-get install -y chromium chromium-driver; .ci/run does) to run the browser tests`;
  if (!existsSync(BUNDLE)) return `${BUNDLE} is absent: run npm run build`;
  return undefined;
}

export function announceSkip(reason: string): void {
  console.log(`\n!!! BROWSER TESTS SKIPPED: ${reason}\n`);
}

export interface Problems {
  readonly console: string[];
  readonly failed: string[];
  readonly dialogs: string[];
}

export interface Explorer {
  readonly url: string;
  readonly server: ServeProcess;
  readonly dataDir: string;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly problems: Problems;
  /** A read token, as `tigraph token` prints it. */
  readonly readToken: string;
  readonly writeToken: string;
  /** GET below /v1.0/security/threatIntelligence with the read token; JSON (or text) body. */
  api(pathAndQuery: string): Promise<any>;
  send(method: string, pathAndQuery: string, body: unknown): Promise<Response>;
  /** Empties the collected problems, returning what they were. */
  take(): Problems;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * `tigraph serve` on a temp data dir in dev mode, with a read and a write token from `tigraph token`; with
 * `serveArgs`, the server those arguments start instead (and no tokens: the test brings its own).
 */
export async function openExplorer(serveArgs?: readonly string[]): Promise<Explorer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tigraph-ui-'));
  const server = await serve(serveArgs ?? ['--data-dir', join(dataDir, 'data')]);
  const readToken = serveArgs ? '' : token(join(dataDir, 'data'), '--expires-in', '3600');
  const writeToken = serveArgs ? '' : token(join(dataDir, 'data'), '--write', '--expires-in', '3600');
  const profileDir = join(dataDir, 'chromium');
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: Problems = { console: [], failed: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.console.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.failed.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
  });
  page.on('dialog', (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  return {
    url: server.url,
    server,
    dataDir,
    context,
    page,
    problems,
    readToken,
    writeToken,
    async api(pathAndQuery) {
      const r = await fetch(`${server.url}${TI}/${pathAndQuery}`, { headers: auth(readToken) });
      const text = await r.text();
      assert.equal(r.status, 200, text);
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    },
    send: (method, pathAndQuery, body) =>
      fetch(`${server.url}${TI}/${pathAndQuery}`, { method, headers: { ...auth(writeToken), 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    take() {
      const copy = { console: [...problems.console], failed: [...problems.failed], dialogs: [...problems.dialogs] };
      problems.console.length = 0;
      problems.failed.length = 0;
      problems.dialogs.length = 0;
      return copy;
    },
    async screenshot(name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      await stop(server.child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in with the dev-mode button, as a user would, and waits for the profiles table. */
export async function signIn(e: Explorer): Promise<void> {
  await e.page.goto(`${e.url}/`);
  await e.page.click('#sign-in-locally');
  await e.page.waitForSelector('#profiles-table tbody tr');
}

/** Asserts the page has logged no error and no request failed since the last check. */
export function assertClean(e: Explorer, where: string): void {
  const p = e.take();
  assert.deepEqual(p, { console: [], failed: [], dialogs: [] }, `problems on ${where}`);
}

/** Ids of the rows of a listing table, in order. */
export const rowIds = (page: Page, table: string): Promise<string[]> => page.$$eval(`${table} tbody tr`, (rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));

/** The hash's query parameters. */
export async function hashParams(page: Page): Promise<Record<string, string>> {
  const hash = await page.evaluate(() => location.hash);
  return Object.fromEntries(new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : ''));
}

const AXE_SOURCE = (): string => readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * axe-core's violations of impact serious or critical on the current page. The source is evaluated through the
 * DevTools protocol, which the page's CSP does not govern (an inline <script> tag would be refused by it).
 */
export async function axeViolations(page: Page): Promise<{ serious: string[]; total: number; passes: number }> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE());
  const result = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return { violations: r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })), passes: r.passes.length };
  });
  const serious = result.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical').map((v: any) => `${v.id} (${v.impact}, ${v.nodes} nodes): ${v.help}`);
  return { serious, total: result.violations.length, passes: result.passes };
}

const CSP_HANDLER_REFUSAL = /^error: Executing inline event handler violates the following Content Security Policy directive 'script-src 'self''/;

/**
 * Asserts the only console messages since the last check are the CSP's refusals of inline event handlers (none
 * failed, no dialog), returning how many. Chromium reports a handler attribute the moment any HTML holding it is
 * parsed in the page's realm — DOMPurify's own inert parse included — so hostile content shows the second layer
 * (the CSP) refusing what the first (the sanitiser) then removes.
 */
export function assertOnlyCspRefusals(e: Explorer, where: string): number {
  const p = e.take();
  assert.deepEqual({ failed: p.failed, dialogs: p.dialogs, other: p.console.filter((m) => !CSP_HANDLER_REFUSAL.test(m)) }, { failed: [], dialogs: [], other: [] }, `problems on ${where}`);
  return p.console.length;
}
