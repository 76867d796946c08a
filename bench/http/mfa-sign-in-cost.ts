/**
 * What a second factor adds to a sign-in: the median latency of a password-only sign-in (POST
 * /auth/login) against a two-step one (POST /auth/login → 401 mfa_required → POST /auth/mfa/verify
 * with a TOTP code), both on one app with the server's argon2id parameters, interleaved so load on
 * the machine hits both alike. In process (inject): the difference is the MFA work itself (ticket,
 * HMACs, the replay-guard UPDATE), not the loopback. Run alone: node --import tsx bench/http/mfa-sign-in-cost.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/http/build-app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { decodeBase32 } from '../../src/flows/mfa/base32.js';
import { generateTotp, timeStepAt } from '../../src/flows/mfa/one-time-password.js';
import { createArgon2Hasher, OWASP_ARGON2ID } from '../../src/platform/argon2-password-hasher.js';
import { createFixedClock, toNumericDate } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { createSqliteStores } from '../../src/stores/sqlite/create-sqlite-stores.js';

export interface MfaSignInCost {
  passwordMedianMs: number;
  twoStepMedianMs: number;
  /** (two-step − password) / password. */
  overhead: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measureMfaSignInCost(rounds: number): Promise<MfaSignInCost> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-bench-mfa-'));
  // A fixed clock moved one TOTP step per two-step sign-in: each code is fresh (replay guard) without waiting.
  const clock = createFixedClock(new Date('2026-01-15T10:00:00Z'));
  const stores = await createSqliteStores({ path: join(dir, 'bench.db'), clock });
  const base = loadConfig({ env: { TESSERA_LOG_LEVEL: 'silent' } });
  const unlimited = { max: 1_000_000_000, windowSeconds: 60 };
  const config = Object.freeze({
    ...base,
    issuer: 'http://127.0.0.1:3000',
    rateLimits: {
      loginPerIp: unlimited,
      loginPerAccount: unlimited,
      registerPerIp: unlimited,
      refreshPerIp: unlimited,
      recoveryPerIp: unlimited,
      recoveryPerAccount: unlimited,
      linkPerIp: unlimited,
      mfaPerIp: unlimited,
    },
  });
  const deps = await createDeps({
    config,
    stores,
    clock,
    random: cryptoRandom,
    logger: createSilentLogger(),
    hasher: createArgon2Hasher(OWASP_ARGON2ID),
  });
  const app = await buildApp(deps);
  await app.ready();
  try {
    const login = (email: string) =>
      app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'bench password 123' } });
    const register = async (email: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/auth/register',
          payload: { email, password: 'bench password 123' },
        })
      ).json<{ access_token: string }>();
    await register('plain@bench.test');
    const mfaUser = await register('mfa@bench.test');
    const auth = { authorization: `Bearer ${mfaUser.access_token}` };
    const secret = (await app.inject({ method: 'POST', url: '/auth/mfa/totp', headers: auth })).json<{
      secret: string;
    }>().secret;
    const code = () => generateTotp(decodeBase32(secret)!, timeStepAt(toNumericDate(clock.now())));
    await app.inject({
      method: 'POST',
      url: '/auth/mfa/totp/confirm',
      headers: auth,
      payload: { code: code() },
    });

    const password: number[] = [];
    const twoStep: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let started = performance.now();
      if ((await login('plain@bench.test')).statusCode !== 200) throw new Error('password sign-in failed');
      password.push(performance.now() - started);

      clock.advanceSeconds(30);
      started = performance.now();
      const first = await login('mfa@bench.test');
      const ticket = first.json<{ mfa_ticket: string }>().mfa_ticket;
      const second = await app.inject({
        method: 'POST',
        url: '/auth/mfa/verify',
        payload: { ticket, code: code() },
      });
      if (second.statusCode !== 200) throw new Error(`two-step sign-in failed: ${second.body}`);
      twoStep.push(performance.now() - started);
    }
    const passwordMedianMs = median(password);
    const twoStepMedianMs = median(twoStep);
    return {
      passwordMedianMs,
      twoStepMedianMs,
      overhead: (twoStepMedianMs - passwordMedianMs) / passwordMedianMs,
    };
  } finally {
    await app.close();
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cost = await measureMfaSignInCost(Number(process.env.BENCH_ROUNDS ?? 40));
  console.log(JSON.stringify({ scenario: 'sign-in with TOTP vs password only', ...cost }));
}
