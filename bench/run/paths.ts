/** Where the benchmark finds the built server, the load worker and its results, and the API root it drives. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL } from '../../src/model/model.js';

/** dist/bench (the compiled benchmark scripts, the load worker and the reference servers live here). */
export const BENCH_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(BENCH_DIST, '..', '..');
export const TIGRAPH_BIN = join(REPO, 'bin', 'tigraph.js');
/** The v1.0 API root, from the model's entity container. */
export const ROOT = `/v1.0/${MODEL.servicePath}/`;
export const SERVERS = ['tigraph', 'ceiling', 'minimum'] as const;
export type ServerName = (typeof SERVERS)[number];
