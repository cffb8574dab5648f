/** scheme://host as the client addressed this server (for absolute nextLinks, Location and context URLs). */
import type { IncomingMessage } from 'node:http';

export function originOf(req: IncomingMessage, trustProxy: boolean): string {
  const first = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim();
  const validHost = (h: string | undefined): h is string => !!h && /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(h);
  const forwardedProto = trustProxy ? first(req.headers['x-forwarded-proto']) : undefined;
  const forwardedHost = trustProxy ? first(req.headers['x-forwarded-host']) : undefined;
  const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
  const scheme = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : tls ? 'https' : 'http';
  const host = validHost(forwardedHost) ? forwardedHost : validHost(req.headers.host) ? req.headers.host : `${req.socket.localAddress}:${req.socket.localPort}`;
  return `${scheme}://${host}`;
}
