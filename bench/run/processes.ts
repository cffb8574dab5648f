/** Child processes of the benchmark: the servers under test, the load workers, and their memory counters. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadConfig, LoadResult } from '../load-worker.js';
import { BENCH_DIST, REPO } from './paths.js';

export interface Child {
  readonly proc: ChildProcess;
  readonly url: string;
}

/** Spawns `args` and resolves once a line of its stdout/stderr matches `ready` (group 1 = port or URL). */
export function startChild(name: string, args: string[], ready: RegExp, stdoutFile?: string, timeoutMs = 60000): Promise<Child> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    let done = false;
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const fail = (e: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(e);
    };
    const onData = (chunk: Buffer): void => {
      if (done) return;
      seen += chunk.toString();
      const m = ready.exec(seen);
      if (m) {
        done = true;
        clearTimeout(timer);
        const v = m[1]!;
        resolvePromise({ proc, url: /^\d+$/.test(v) ? `http://127.0.0.1:${v}` : v });
      }
    };
    if (stdoutFile) proc.stdout!.pipe(createWriteStream(stdoutFile));
    else proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code, signal) => fail(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${seen}`)));
  });
}

export function stopChild(child: Child | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    const t = setTimeout(() => child.proc.kill('SIGKILL'), 15000);
    child.proc.once('exit', () => {
      clearTimeout(t);
      r();
    });
    child.proc.kill('SIGTERM');
  });
}

export function runWorker(config: LoadConfig, dir: string): Promise<LoadResult> {
  const file = join(dir, `load-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, [join(BENCH_DIST, 'load-worker.js'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.once('exit', (code) => {
      rmSync(file, { force: true });
      if (code !== 0) return reject(new Error(`load worker exited with ${code}`));
      try {
        resolvePromise(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult);
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

export function readStatusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resets the peak-RSS counter (VmHWM) of a process we own; false where the kernel does not allow it. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
