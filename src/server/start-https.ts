/**
 * The HTTPS side of `tigraph serve --https`: the same request listener as the HTTP server (createRequestListener),
 * mounted on a `node:https` server. The listener derives the scheme of `@odata.nextLink` and `@odata.context` from
 * the socket (`https` here), so paging stays on HTTPS — which the old `@microsoft/microsoft-graph-client` requires
 * (graph-protocol.md §9).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { answerClientError } from './answer-client-error.js';

export interface HttpsServerOptions {
  readonly port: number;
  readonly host: string;
  /** PEM server certificate, optionally followed by intermediate certificates. */
  readonly certPem: string;
  readonly keyPem: string;
  readonly maxHeaderSize?: number;
  readonly requestTimeoutMs?: number;
}

export interface RunningHttpsServer {
  /** https://host:port (IPv6 hosts in brackets), no trailing slash. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startHttpsServer(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  options: HttpsServerOptions,
): Promise<RunningHttpsServer> {
  const server = createServer(
    {
      cert: options.certPem,
      key: options.keyPem,
      minVersion: 'TLSv1.2',
      maxHeaderSize: options.maxHeaderSize ?? 16384,
      requestTimeout: options.requestTimeoutMs ?? 30000,
      keepAliveTimeout: 5000,
    },
    listener,
  );
  // Same as the HTTP server: requests node:http cannot parse still get a Graph error body.
  server.on('clientError', answerClientError);
  // Failed handshakes (a client that does not trust the certificate, plain HTTP on the TLS port) only close
  // that connection; there is no HTTP exchange to answer.
  server.on('tlsClientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `https://${host}:${port}`,
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
