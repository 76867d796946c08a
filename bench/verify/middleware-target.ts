/**
 * One middleware target, in its own process so the load generator (the parent) never shares an event
 * loop with the server it measures. Usage: middleware-target.ts <kind> <jwks-url>. Serves
 * GET /api/secure → { sub } on 127.0.0.1 (ephemeral port) and prints one JSON line { port } once
 * listening.
 *   tessera          tessera/verify's Fastify plugin, remote JWKS, default verifier (cache on)
 *   tessera-nocache  the same with cacheMaxEntries: 0
 *   fastify-jwt      @fastify/jwt with the public key from the same JWKS, the same checks
 */
import fastifyJwt from '@fastify/jwt';
import Fastify, { type FastifyInstance } from 'fastify';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { createVerifier, tesseraVerifyPlugin, tokenClaimsOf } from '../../src/verify/index.js';
import { MIDDLEWARE_KINDS, SECURE_PATH, type MiddlewareKind } from './middleware-kinds.js';
import {
  ALGORITHM,
  AUDIENCE,
  CLOCK_TOLERANCE_SECONDS,
  ISSUER,
  REQUIRED_CLAIMS,
  TOKEN_TYPE,
} from './policy.js';

async function tesseraApp(jwksUri: string, cache: boolean): Promise<FastifyInstance> {
  const verifier = createVerifier({
    jwksUri,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: [ALGORITHM],
    typ: TOKEN_TYPE,
    clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
    ...(cache ? {} : { cacheMaxEntries: 0 }),
  });
  const app = Fastify({ logger: false });
  await app.register(async (api) => {
    await api.register(tesseraVerifyPlugin, { verifier });
    api.get(SECURE_PATH, async (request) => ({ sub: tokenClaimsOf(request).sub }));
  });
  return app;
}

async function fastifyJwtApp(jwksUri: string): Promise<FastifyInstance> {
  const response = await fetch(jwksUri);
  const { keys } = (await response.json()) as { keys: JsonWebKey[] };
  const publicKey = createPublicKey({ key: keys[0]!, format: 'jwk' });
  const app = Fastify({ logger: false });
  await app.register(fastifyJwt, {
    secret: { public: publicKey.export({ type: 'spki', format: 'pem' }) as string },
    verify: {
      algorithms: [ALGORITHM],
      allowedIss: ISSUER,
      allowedAud: AUDIENCE,
      checkTyp: TOKEN_TYPE,
      requiredClaims: REQUIRED_CLAIMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS * 1000,
    },
  });
  await app.register(async (api) => {
    // The same hook stage as tessera/verify's plugin.
    api.addHook('preHandler', async (request) => void (await request.jwtVerify()));
    api.get(SECURE_PATH, async (request) => ({ sub: (request.user as { sub: string }).sub }));
  });
  return app;
}

function buildTarget(kind: MiddlewareKind, jwksUri: string): Promise<FastifyInstance> {
  switch (kind) {
    case 'tessera':
      return tesseraApp(jwksUri, true);
    case 'tessera-nocache':
      return tesseraApp(jwksUri, false);
    case 'fastify-jwt':
      return fastifyJwtApp(jwksUri);
  }
}

const [kind, jwksUri] = process.argv.slice(2);
if (!(MIDDLEWARE_KINDS as readonly string[]).includes(kind ?? '') || jwksUri === undefined) {
  process.stderr.write(`usage: middleware-target.ts <${MIDDLEWARE_KINDS.join('|')}> <jwks-url>\n`);
  process.exit(2);
}
const app = await buildTarget(kind as MiddlewareKind, jwksUri);
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
// Exit normally on SIGTERM (the parent stops every target when it is done).
process.once('SIGTERM', () => process.exit(0));
