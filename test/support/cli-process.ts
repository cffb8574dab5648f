/** Runs `tigraph serve` as a child process, as a user would, and stops it with SIGTERM. */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(process.cwd(), 'bin', 'tigraph.js');

/** The environment for child processes, without the test runner's own marker (a child node would obey it). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['NODE_TEST_CONTEXT'];
  return env;
}

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The HTTP base URL from the banner. */
  readonly url: string;
  readonly banner: string;
  /** Everything the process wrote to stderr so far (the banner, and a crash's stack if it died). */
  stderr(): string;
}

/** Starts `tigraph serve --port 0 …` and waits for its banner. */
export async function serve(args: readonly string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'warn', ...args], { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  let banner = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${banner}`)), 30000);
    child.stderr!.on('data', (d: Buffer) => {
      banner += d.toString();
      const m = /v1\.0:\s+(http:\/\/[^/]+)\//.exec(banner);
      if (m && (banner.includes('token:') || banner.includes('auth:'))) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${banner}`)));
  });
  return { child, url, banner, stderr: () => banner };
}

/** SIGTERM, resolving with the exit code. */
export const stop = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

/** `tigraph token --data-dir <dir> …`, returning the token. */
export function token(dataDir: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, 'token', '--data-dir', dataDir, ...args], { encoding: 'utf8', env: childEnv() });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}
