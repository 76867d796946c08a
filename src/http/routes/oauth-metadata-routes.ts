import { MFA_GRANT_TYPE } from '../../flows/oauth/token-grants.js';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { authorizationServerMetadata } from '../oauth/oauth-schemas.js';

const METADATA_MAX_AGE_SECONDS = 300;

/**
 * GET /.well-known/oauth-authorization-server (RFC 8414 §3). Tessera has no authorization endpoint
 * (no redirect-based grants), so response_types_supported, which §2 requires, is empty. With an
 * issuer that has a path, RFC 8414 §3.1 puts the document under /.well-known/…/<path>: serve Tessera
 * at the root of its issuer.
 */
export function oauthMetadataRoutes(deps: Deps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const issuer = deps.config.issuer;
    const base = issuer.replace(/\/+$/, '');
    const clientAuth = ['client_secret_basic', 'client_secret_post', 'none'];
    const metadata = {
      issuer,
      token_endpoint: `${base}/oauth/token`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      revocation_endpoint: `${base}/oauth/revoke`,
      introspection_endpoint: `${base}/oauth/introspect`,
      grant_types_supported: ['password', 'refresh_token', MFA_GRANT_TYPE],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: clientAuth,
      revocation_endpoint_auth_methods_supported: clientAuth,
      // Only confidential clients may introspect, so a bare client_id ("none") is not enough.
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    };
    app.get(
      '/.well-known/oauth-authorization-server',
      { schema: { response: { 200: authorizationServerMetadata } } },
      async (_request, reply) =>
        reply.header('cache-control', `public, max-age=${METADATA_MAX_AGE_SECONDS}`).send(metadata),
    );
  };
}
