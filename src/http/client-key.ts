/**
 * Who a request comes from, as Graph counts clients: tenant + application for app tokens (whose subject, the service
 * principal, is one per application and tenant), tenant + application + user for delegated ones; the remote
 * address for unauthenticated routes. Throttling buckets and the database's fair share are kept per client key.
 */
import type { Exchange } from './exchange.js';

export function clientKey(x: Exchange): string {
  const p = x.principal;
  if (!p) return `addr:${x.req.socket.remoteAddress ?? '-'}`;
  return `${p.tenantId ?? '-'}:${p.kind}:${p.clientId ?? '-'}:${p.subject}`;
}
