/**
 * One benchmark target, run as its own process so the load generator (the parent) never shares an
 * event loop with the server it measures. argv[2] names the target; once listening it prints one JSON
 * line with its port and whatever credentials the scenarios need.
 *
 *   tessera            Tessera's buildApp on SQLite, real argon2id (OWASP), verified-token cache on;
 *                      TESSERA_* variables in the environment override the bench defaults (the parent
 *                      passes TESSERA_DATABASE_URL=postgres://…, TESSERA_REDIS_URL, TESSERA_STRICT_MODE)
 *   tessera-nocache    the same without the verified-token cache
 * Tessera targets also hand out a session-mode token (login ?mode=session) for the session scenarios.
 *   bare               a bare Fastify route returning the same JSON as /api/secure
 *   fastify-jwt        @fastify/jwt (ES256) protecting the same route
 *   tessera-embedded, tessera-web   a host app's own route guarded by embedded Tessera (embedded-targets.ts)
 */
import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { createAccessTokenService } from '../../src/flows/sessions/access-tokens.js';
import { openJwtSession } from '../../src/flows/sessions/open-jwt-session.js';
import { login } from '../../src/flows/auth/login.js';
import { register } from '../../src/flows/auth/register.js';
import { buildApp } from '../../src/http/build-app.js';
import { importKey } from '../../src/keys/import-key.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { openStores } from '../../src/server/open-stores.js';
import { signJwt } from '../../src/token/jwt-sign.js';
import { startEmbedded, startWebHandler } from './embedded-targets.js';

const SECURE_BODY = (sub: string) => ({ message: 'You reached a protected resource.', sub });
const EMAIL = 'bench@example.com';
const PASSWORD = 'bench password 123';
const UNLIMITED = { max: 1_000_000_000, windowSeconds: 60 };

async function startTessera(verifiedTokenCache: boolean, refreshChains: number) {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const fromParent = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name.startsWith('TESSERA_')),
  );
  const base = loadConfig({
    env: {
      TESSERA_DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
      TESSERA_LOG_LEVEL: 'silent',
      TESSERA_ACCESS_TOKEN_TTL: '1d',
      ...fromParent,
    },
  });
  // Load tests must measure the server, not its abuse protection: limits out of the way.
  const config: Config = Object.freeze({
    ...base,
    rateLimits: {
      loginPerIp: UNLIMITED,
      loginPerAccount: UNLIMITED,
      registerPerIp: UNLIMITED,
      refreshPerIp: UNLIMITED,
      recoveryPerIp: UNLIMITED,
      recoveryPerAccount: UNLIMITED,
      linkPerIp: UNLIMITED,
      mfaPerIp: UNLIMITED,
    },
    lockout: { ...base.lockout, threshold: 1_000_000_000 },
  });
  // The adapters `tessera serve` would pick for this configuration.
  const { stores, revocations } = await openStores(config, systemClock);
  const deps = await createDeps({
    config,
    stores,
    clock: systemClock,
    random: cryptoRandom,
    logger: createSilentLogger(),
    revocations,
  });
  if (!verifiedTokenCache)
    deps.accessTokens = createAccessTokenService(deps.keys, config, cryptoRandom, {
      verifiedTokenCache: false,
    });
  const context = { ip: '127.0.0.1', userAgent: 'bench' };
  // Instances of one cluster share the database: the second one signs the bench user in instead.
  const first = await register(deps, { email: EMAIL, password: PASSWORD }, context).catch(
    (error: unknown) => {
      if ((error as { code?: string }).code !== 'email_taken') throw error;
      return login(deps, { email: EMAIL, password: PASSWORD }, context);
    },
  );
  const user = (await stores.users.findByEmail(EMAIL))!;
  const refreshTokens: string[] = [];
  for (let i = 0; i < refreshChains; i++)
    refreshTokens.push((await openJwtSession(deps, user, context)).refreshToken);
  const app = await buildApp(deps);
  const session = await app.inject({
    method: 'POST',
    url: '/auth/login?mode=session',
    payload: { email: EMAIL, password: PASSWORD },
  });
  if (session.statusCode !== 200)
    throw new Error(`session login failed: ${session.statusCode} ${session.body}`);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    port: (app.server.address() as { port: number }).port,
    accessToken: first.accessToken,
    sessionToken: (session.json() as { session_token: string }).session_token,
    refreshTokens,
    email: EMAIL,
    password: PASSWORD,
  };
}

async function startBare() {
  const app = Fastify({ logger: false });
  app.get('/api/secure', async () => SECURE_BODY('bench-user'));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { port: (app.server.address() as { port: number }).port, accessToken: '' };
}

async function startFastifyJwt() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const app = Fastify({ logger: false });
  await app.register(fastifyJwt, {
    secret: { public: publicKey.export({ format: 'pem', type: 'spki' }) as string, private: '' },
    verify: { algorithms: ['ES256'], allowedIss: 'http://bench', allowedAud: 'tessera' },
  });
  app.get(
    '/api/secure',
    { onRequest: [async (request) => void (await request.jwtVerify())] },
    async (request) => SECURE_BODY((request.user as { sub: string }).sub),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const now = Math.floor(Date.now() / 1000);
  const key = importKey({ alg: 'ES256', keyObject: privateKey });
  const accessToken = signJwt(
    { iss: 'http://bench', aud: 'tessera', sub: 'bench-user', iat: now, exp: now + 86_400 },
    key,
    { typ: 'JWT' },
  );
  return { port: (app.server.address() as { port: number }).port, accessToken };
}

const target = process.argv[2];
const chains = Number(process.argv[3] ?? '0');
const started =
  target === 'tessera'
    ? await startTessera(true, chains)
    : target === 'tessera-nocache'
      ? await startTessera(false, chains)
      : target === 'bare'
        ? await startBare()
        : target === 'fastify-jwt'
          ? await startFastifyJwt()
          : target === 'tessera-embedded'
            ? await startEmbedded()
            : target === 'tessera-web'
              ? await startWebHandler()
              : undefined;
if (started === undefined) {
  process.stderr.write(`unknown target ${String(target)}\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(started)}\n`);
// Exit normally on SIGTERM, so --cpu-prof can write its profile.
process.once('SIGTERM', () => process.exit(0));
