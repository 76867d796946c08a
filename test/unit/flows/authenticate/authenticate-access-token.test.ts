import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertSessionLive,
  authenticateAccessToken,
  requireRole,
} from '../../../../src/flows/authenticate/authenticate-access-token.js';
import { FlowError } from '../../../../src/flows/flow-error.js';
import { login } from '../../../../src/flows/auth/login.js';
import { logout } from '../../../../src/flows/sessions/logout.js';
import type { Principal } from '../../../../src/flows/authenticate/principal.js';
import { revokeSession } from '../../../../src/flows/sessions/own-sessions.js';
import type { SessionRecord } from '../../../../src/stores/types.js';
import { TokenError } from '../../../../src/token/errors.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, principalOf, registerUser, STORE_KINDS } from '../fixtures.js';

const NOW = new Date('2026-01-15T10:00:00.000Z');
const ms = (offset: number) => new Date(NOW.getTime() + offset);

describe.each(STORE_KINDS)('authenticateAccessToken over %s stores', (kind) => {
  let deps: TestDeps;

  afterEach(async () => {
    await deps.stores.close();
  });

  describe('stateless (strict mode off)', () => {
    beforeEach(async () => {
      deps = await depsOn(kind, { strictMode: false });
    });

    it('returns the principal from the verified claims', async () => {
      const pair = await registerUser(deps);
      const principal = await authenticateAccessToken(deps, pair.accessToken);
      expect(principal).toEqual({
        userId: pair.user.id,
        sessionId: pair.sessionId,
        roles: [],
        kind: 'jwt',
        claims: deps.accessTokens.verify(pair.accessToken, deps.clock.now()),
        // The sign-in facts step-up reads: a password sign-in is one factor, at the registration's time.
        acr: 'urn:tessera:acr:1fa',
        authTime: Math.floor(deps.clock.now().getTime() / 1000),
      });
    });

    it('reads no store: a logged-out session’s token stays valid until exp', async () => {
      const pair = await registerUser(deps);
      await logout(deps, principalOf(deps, pair), 'global', CONTEXT);
      await expect(authenticateAccessToken(deps, pair.accessToken)).resolves.toMatchObject({
        sessionId: pair.sessionId,
      });
    });

    it('an expired access token → token_expired', async () => {
      const pair = await registerUser(deps);
      deps.clock.advanceSeconds(deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds);
      const error = await authenticateAccessToken(deps, pair.accessToken).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenError);
      expect((error as TokenError).code).toBe('token_expired');
    });

    it('a refresh token is not an access token', async () => {
      const pair = await registerUser(deps);
      const error = await authenticateAccessToken(deps, pair.refreshToken).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenError);
      expect((error as TokenError).code).toBe('token_malformed');
    });
  });

  describe('strict mode', () => {
    beforeEach(async () => {
      // Sessions end after 60 s while access tokens last 15 min: expiry is the session's.
      deps = await depsOn(kind, { strictMode: true, refreshTokenTtlSeconds: 60 });
    });

    it('a live session passes', async () => {
      const pair = await registerUser(deps);
      await expect(authenticateAccessToken(deps, pair.accessToken)).resolves.toMatchObject({
        userId: pair.user.id,
      });
    });

    it.each(['local', 'global'] as const)('logout (%s) → session_revoked before exp', async (scope) => {
      const pair = await registerUser(deps);
      await logout(deps, principalOf(deps, pair), scope, CONTEXT);
      await flowError(authenticateAccessToken(deps, pair.accessToken), 'session_revoked');
    });

    it('logout of the others leaves the caller’s token working', async () => {
      const a = await registerUser(deps);
      const b = await login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT);
      await logout(deps, principalOf(deps, a), 'others', CONTEXT);
      await expect(authenticateAccessToken(deps, a.accessToken)).resolves.toBeDefined();
      await flowError(authenticateAccessToken(deps, b.accessToken), 'session_revoked');
    });

    it('a session revoked from another device → session_revoked', async () => {
      const a = await registerUser(deps);
      const b = await login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT);
      await revokeSession(deps, principalOf(deps, a), b.sessionId, CONTEXT);
      await flowError(authenticateAccessToken(deps, b.accessToken), 'session_revoked');
    });

    it('an expired session → session_expired while the token itself is still within exp', async () => {
      const pair = await registerUser(deps);
      deps.clock.advanceSeconds(59);
      await expect(authenticateAccessToken(deps, pair.accessToken)).resolves.toBeDefined();
      deps.clock.advanceSeconds(1);
      await flowError(authenticateAccessToken(deps, pair.accessToken), 'session_expired');
    });

    it('a session that no longer exists (user deleted) → session_revoked', async () => {
      const pair = await registerUser(deps);
      await deps.stores.users.delete(pair.user.id);
      await flowError(authenticateAccessToken(deps, pair.accessToken), 'session_revoked');
    });
  });
});

describe('assertSessionLive', () => {
  const session = (patch: Partial<SessionRecord> = {}): SessionRecord => ({
    id: 's1',
    userId: 'u1',
    kind: 'session',
    tokenHash: null,
    createdAt: ms(-60_000),
    lastSeenAt: ms(-60_000),
    idleExpiresAt: ms(60_000),
    absoluteExpiresAt: ms(3_600_000),
    revokedAt: null,
    revokedReason: null,
    userAgent: null,
    ip: null,
    ...patch,
  });

  it.each<[string, SessionRecord]>([
    ['with an idle timeout ahead', session()],
    ['without an idle timeout', session({ idleExpiresAt: null })],
    ['1 ms before both expiries', session({ idleExpiresAt: ms(1), absoluteExpiresAt: ms(1) })],
  ])('passes a live session %s', (_name, record) => {
    expect(() => assertSessionLive(record, NOW)).not.toThrow();
  });

  it.each<[string, SessionRecord | undefined, 'session_revoked' | 'session_expired']>([
    ['no session', undefined, 'session_revoked'],
    ['a revoked session', session({ revokedAt: ms(-1), revokedReason: 'logout_local' }), 'session_revoked'],
    [
      'a revoked and expired session',
      session({ revokedAt: ms(-1), absoluteExpiresAt: ms(-1) }),
      'session_revoked',
    ],
    ['absolute expiry exactly now', session({ absoluteExpiresAt: NOW }), 'session_expired'],
    ['absolute expiry past', session({ absoluteExpiresAt: ms(-1) }), 'session_expired'],
    ['idle expiry exactly now', session({ idleExpiresAt: NOW }), 'session_expired'],
    ['idle expiry past, absolute ahead', session({ idleExpiresAt: ms(-1) }), 'session_expired'],
  ])('rejects %s', (_name, record, code) => {
    let caught: unknown;
    try {
      assertSessionLive(record, NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FlowError);
    expect((caught as FlowError).code).toBe(code);
  });
});

describe('requireRole', () => {
  const principal = (roles: string[]): Principal => ({
    userId: 'u1',
    sessionId: 's1',
    roles,
    kind: 'jwt',
    claims: null,
  });

  it.each<[string[], string]>([
    [['admin'], 'admin'],
    [['editor', 'admin'], 'admin'],
    [['billing:read'], 'billing:read'],
  ])('passes %j for %s', (roles, role) => {
    expect(() => requireRole(principal(roles), role)).not.toThrow();
  });

  it.each<[string, string[], string]>([
    ['no roles', [], 'admin'],
    ['another role', ['editor'], 'admin'],
    ['another case', ['Admin'], 'admin'],
    ['a prefix', ['admi'], 'admin'],
    ['a longer role', ['admin:read'], 'admin'],
  ])('rejects %s with insufficient_scope', (_name, roles, role) => {
    let caught: unknown;
    try {
      requireRole(principal(roles), role);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FlowError);
    expect((caught as FlowError).code).toBe('insufficient_scope');
  });
});
