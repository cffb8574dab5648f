/**
 * Sets the security headers every response carries, first in the chain so errors and health answers have them too:
 * `X-Content-Type-Options: nosniff`, `Cache-Control: no-store` (bearer-authenticated API answers must not be cached),
 * a restrictive `Content-Security-Policy` (the API serves no active content; a step serving HTML may replace it with
 * its own policy by setting the header again), and `Strict-Transport-Security` when the request came over HTTPS
 * (a TLS socket, or — with a trusted proxy — `X-Forwarded-Proto: https`).
 */
import type { Step } from '../exchange.js';

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
export const HSTS = 'max-age=31536000; includeSubDomains';

export const setSecurityHeaders =
  (trustProxy: boolean): Step =>
  async (x) => {
    const res = x.res;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
    const tls = (x.req.socket as { encrypted?: boolean }).encrypted === true;
    const forwarded = trustProxy && String(x.req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase() === 'https';
    if (tls || forwarded) res.setHeader('Strict-Transport-Security', HSTS);
  };
