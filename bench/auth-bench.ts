/**
 * `npm run bench:auth [-- --duration S --rounds R --connections C --verifications N]`
 *
 * What `--auth oidc` costs against `--auth dev`, measured in one invocation:
 *
 * 1. HTTP: GET-by-id of the demo indicators on two `tigraph serve` processes (each its own SQLite data dir) — `--auth dev` with a minted token
 *    (the baseline) and `--auth oidc` with an RS256 token of a loopback OIDC issuer (the tests' issuer,
 *    test/support/oidc-issuer.ts) — alternated for R rounds under autocannon (load-worker.ts, its own process);
 *    medians of req/s and p99, and the ratio oidc/dev. A client reuses its token, so after the first request
 *    both verify from the verified-token cache: this is the cost a real client sees.
 * 2. Verification alone, in this process, with the cache off: N distinct tokens each through the dev verifier
 *    (ES256, the baseline), the OIDC verifier with RS256 and with ES256 keys: verifications/s and ratios.
 *
 * Results: a markdown table on stdout and JSON under bench/results/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mintToken } from '../src/auth/mint-token.js';
import { createOidcVerifier } from '../src/auth/oidc-verifier.js';
import { createEphemeralSigningKey } from '../src/auth/signing-key.js';
import { createTokenVerifier, type TokenVerifier } from '../src/auth/verify-token.js';
import { entraV1AppClaims, startTestIssuer } from '../test/support/oidc-issuer.js';
import type { LoadResult } from './load-worker.js';
import { REPO, ROOT, TIGRAPH_BIN } from './run/paths.js';
import { runWorker, startChild, stopChild, type Child } from './run/processes.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    verifications: { type: 'string', default: '2000' },
  },
});
const durationSeconds = Number(values.duration);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const verifications = Number(values.verifications);
const TID = '0b2c3d4e-0000-4000-8000-00000000c0de';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const work = mkdtempSync(join(tmpdir(), 'tigraph-auth-bench-'));
const idp = await startTestIssuer();
await idp.addKey('bench-rsa', 'RS256');
await idp.addKey('bench-ec', 'ES256');
const ready = /v1\.0:\s+(http:\/\/[^/\s]+)\//;
let dev: Child | undefined;
let oidc: Child | undefined;
try {
  const devDir = join(work, 'dev');
  dev = await startChild('tigraph --auth dev', [TIGRAPH_BIN, 'serve', '--port', '0', '--data-dir', devDir, '--log-level', 'warn'], ready);
  oidc = await startChild('tigraph --auth oidc', [TIGRAPH_BIN, 'serve', '--port', '0', '--data-dir', join(work, 'oidc'), '--log-level', 'warn', '--auth', 'oidc', '--jwks-uri', `${idp.origin}/keys`, '--audience', 'api://tigraph'], ready);
  const minted = spawnSync(process.execPath, [TIGRAPH_BIN, 'token', '--data-dir', devDir], { cwd: REPO, encoding: 'utf8' });
  if (minted.status !== 0) throw new Error(`tigraph token failed: ${minted.stderr}`);
  const tokens = { dev: minted.stdout.trim(), oidc: await idp.sign('bench-rsa', entraV1AppClaims(TID)) };
  const list = await fetch(`${dev.url}${ROOT}intelligenceProfileIndicators?$top=100&$select=id`, { headers: { Authorization: `Bearer ${tokens.dev}` } });
  const ids = ((await list.json()) as { value: Array<{ id: string }> }).value.map((v) => v.id);
  if (ids.length === 0) throw new Error('the demo dataset has no indicators');
  const paths = ids.map((id) => `${ROOT}intelligenceProfileIndicators/${encodeURIComponent(id)}`);
  for (const [name, child] of [['dev', dev], ['oidc', oidc]] as const) {
    const probe = await fetch(`${child.url}${paths[0]}`, { headers: { Authorization: `Bearer ${tokens[name]}` } });
    if (probe.status !== 200) throw new Error(`${name}: GET by id answered ${probe.status}`);
  }

  const results: Record<'dev' | 'oidc', LoadResult[]> = { dev: [], oidc: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [name, child] of [['dev', dev], ['oidc', oidc]] as const) {
      const r = await runWorker({ url: child.url, paths, headers: { Authorization: `Bearer ${tokens[name]}` }, connections, durationSeconds, warmupSeconds: 2, seed: 7 + round }, work);
      if (r.non2xx || r.errors || r.timeouts) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
      results[name].push(r);
    }
  }
  const http = (name: 'dev' | 'oidc') => ({ rps: median(results[name].map((r) => r.requestsPerSecond)), p99: median(results[name].map((r) => r.p99)) });

  // Verification alone, cache off: each token is new to the verifier.
  const key = await createEphemeralSigningKey();
  const devVerifier = createTokenVerifier(key, { cacheSize: 0 });
  const oidcVerifier = createOidcVerifier({ issuers: [], jwksUri: `${idp.origin}/keys` }, { audiences: ['api://tigraph'], cacheSize: 0 });
  await oidcVerifier.start();
  const perSecond = async (verify: TokenVerifier, make: (i: number) => Promise<string>): Promise<number> => {
    const batch = await Promise.all(Array.from({ length: verifications }, (_, i) => make(i)));
    const t0 = performance.now();
    for (const t of batch) await verify(`Bearer ${t}`);
    return verifications / ((performance.now() - t0) / 1000);
  };
  const verify = {
    devEs256: await perSecond(devVerifier, (i) => mintToken(key, { subject: `bench-${i}` })),
    oidcRs256: await perSecond(oidcVerifier.verify, (i) => idp.sign('bench-rsa', entraV1AppClaims(TID, { jti: `r${i}` }))),
    oidcEs256: await perSecond(oidcVerifier.verify, (i) => idp.sign('bench-ec', entraV1AppClaims(TID, { jti: `e${i}` }))),
  };

  const d = http('dev');
  const o = http('oidc');
  const table = [
    `GET by id, ${connections} connections, ${rounds} × ${durationSeconds} s, medians (same run, alternated)`,
    '',
    '| auth | req/s | p99 ms | req/s vs dev |',
    '|---|---:|---:|---:|',
    `| dev (baseline) | ${d.rps.toFixed(0)} | ${d.p99} | 1.00 |`,
    `| oidc (RS256, loopback issuer) | ${o.rps.toFixed(0)} | ${o.p99} | ${(o.rps / d.rps).toFixed(2)} |`,
    '',
    `Token verification alone, cache off, ${verifications} distinct tokens each`,
    '',
    '| verifier | verifications/s | vs dev |',
    '|---|---:|---:|',
    `| dev ES256 (baseline) | ${verify.devEs256.toFixed(0)} | 1.00 |`,
    `| oidc RS256 | ${verify.oidcRs256.toFixed(0)} | ${(verify.oidcRs256 / verify.devEs256).toFixed(2)} |`,
    `| oidc ES256 | ${verify.oidcEs256.toFixed(0)} | ${(verify.oidcEs256 / verify.devEs256).toFixed(2)} |`,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const outDir = join(REPO, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `auth-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ durationSeconds, rounds, connections, http: { dev: results.dev, oidc: results.oidc }, verify }, null, 2));
  process.stdout.write(`results: ${file}\n`);
} finally {
  await Promise.all([stopChild(dev), stopChild(oidc)]);
  await idp.close();
  rmSync(work, { recursive: true, force: true });
}
