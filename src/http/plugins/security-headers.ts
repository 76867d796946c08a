import type { FastifyInstance } from 'fastify';

/**
 * Security headers for a JSON API, as one constant set (decision 0007), following the OWASP REST
 * Security cheat sheet: nothing here is a page, so no framing, no scripts, no MIME sniffing, no
 * referrer, HTTPS only, and responses are per-user, so never stored by caches (routes that may be
 * cached, such as the JWKS, set their own Cache-Control). Headers meant for HTML documents
 * (COOP, Origin-Agent-Cluster, X-DNS-Prefetch-Control, X-Permitted-Cross-Domain-Policies) are left out:
 * every header is bytes on every response.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
}
