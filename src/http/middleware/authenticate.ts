/**
 * Authentication and permission from the route's declared access: public routes (version roots, $metadata) need
 * no token; read routes need a read (or write) permission; write routes the write permission. A route that did
 * not bind is treated as a read, so an unauthenticated caller gets 401 whatever the URL.
 */
import { READ, WRITE, requirePermission } from '../../auth/require-permission.js';
import type { TokenVerifier } from '../../auth/verify-token.js';
import type { Step } from '../exchange.js';

export const authenticate =
  (verifyToken: TokenVerifier): Step =>
  async (x) => {
    const access = x.route?.access ?? 'read';
    if (access === 'public') return;
    const principal = await verifyToken(x.req.headers.authorization);
    x.principal = principal; // before the permission check, so a 403's audit line names the caller
    requirePermission(principal, access === 'write' ? [WRITE] : [READ]);
  };
