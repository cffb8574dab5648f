/** Starts a real tigraph server on a free port with an in-memory SQLite store, and mints tokens for it. */
import { mintToken, type MintTokenOptions } from '../../src/auth/mint-token.js';
import { createTestPostgresStore } from './postgres.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/start-server.js';

export interface TestServer extends RunningServer {
  readonly token: string;
  mint(options?: MintTokenOptions): Promise<string>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  json(path: string, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

/**
 * The store under test: SQLite in memory by default; with TIGRAPH_TEST_STORE=postgres (set by the test runner for
 * its PostgreSQL pass) a fresh schema on TIGRAPH_TEST_DATABASE_URL, dropped when the server closes.
 */
export const TEST_STORE = process.env['TIGRAPH_TEST_STORE'] === 'postgres' ? 'postgres' : 'sqlite';

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const store = !options.store && TEST_STORE === 'postgres' ? await createTestPostgresStore() : undefined;
  const running = await startServer({ inMemory: true, port: 0, logLevel: 'silent', ...(store ? { store } : {}), ...options });
  if (store) {
    const close = running.close.bind(running);
    running.close = async () => {
      await close();
      await store.close();
    };
  }
  const token = await mintToken(running.signingKey);
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${running.url}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  return Object.assign(running, {
    token,
    mint: (o?: MintTokenOptions) => mintToken(running.signingKey, o),
    get,
    async json(path: string, headers?: Record<string, string>) {
      const res = await get(path, headers);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* non-JSON bodies stay text */
      }
      return { status: res.status, body, headers: res.headers };
    },
  });
}

export const TI = '/security/threatIntelligence';
export const VERSIONS = ['v1.0', 'beta'] as const;
