/** Sends JSON requests below the threatIntelligence root of a test server with a bearer token. */
import { TI, type TestServer } from './test-server.js';

export type Send = (method: string, path: string, body?: unknown) => Promise<Response>;

export const apiClient = (s: TestServer, token: string): Send => (method, path, body) =>
  fetch(`${s.url}/v1.0${TI}/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** A profile body with the required properties and the given title. */
export const profileBody = (title: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  title,
  kind: 'actor',
  firstActiveDateTime: '2023-04-01T00:00:00Z',
  summary: { content: 's', format: 'text' },
  description: { content: 'd', format: 'text' },
  ...extra,
});
