import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../../../src/config/types.js';
import { setUserRoles } from '../../../../src/flows/admin/roles.js';
import { revokeAllUserSessions } from '../../../../src/flows/admin/session-admin.js';
import { authenticateBearerToken } from '../../../../src/flows/authenticate/authenticate-credential.js';
import { authenticateSessionToken } from '../../../../src/flows/authenticate/authenticate-session-token.js';
import type { SessionTokenGrant } from '../../../../src/flows/sessions/open-stateful-session.js';
import type { TokenPair } from '../../../../src/flows/sessions/open-jwt-session.js';
import { login, loginWithSessionToken } from '../../../../src/flows/auth/login.js';
import { logout, type LogoutScope } from '../../../../src/flows/sessions/logout.js';
import { hashTokenSecret } from '../../../../src/flows/sessions/opaque-token.js';
import type { Principal } from '../../../../src/flows/authenticate/principal.js';
import { refresh } from '../../../../src/flows/sessions/refresh.js';
import { registerWithSessionToken } from '../../../../src/flows/auth/register.js';
import { listSessions, revokeSession } from '../../../../src/flows/sessions/own-sessions.js';
import { TokenError } from '../../../../src/token/errors.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import {
  CONTEXT,
  depsOn,
  flowError,
  PASSWORD,
  principalOf,
  registerUser,
  STORE_KINDS,
  type StoreKind,
} from '../fixtures.js';

const EMAIL = 'ada@example.com';
const IDLE = 1800;
const ABSOLUTE = 4 * 3600;
const OPAQUE_SHAPE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

/** Replaces the last character of the token's secret, keeping the shape. */
function tamper(token: string): string {
  return token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
}

async function tokenError(promise: Promise<unknown>, code: TokenError['code']): Promise<void> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TokenError);
  expect((error as TokenError).code).toBe(code);
}

describe.each(STORE_KINDS)('session mode over %s stores', (kind: StoreKind) => {
  let deps: TestDeps;
  let jwt: TokenPair;

  const open = async (config: Partial<Config> = {}) => {
    deps = await depsOn(kind, {
      sessionIdleTimeoutSeconds: IDLE,
      sessionAbsoluteTimeoutSeconds: ABSOLUTE,
      ...config,
    });
    jwt = await registerUser(deps);
  };
  const signIn = (email = EMAIL) => loginWithSessionToken(deps, { email, password: PASSWORD }, CONTEXT);
  const sessionPrincipal = (grant: SessionTokenGrant): Principal => ({
    userId: grant.user.id,
    sessionId: grant.sessionId,
    roles: grant.user.roles,
    kind: 'session',
    claims: null,
  });
  const works = async (grant: SessionTokenGrant) => {
    try {
      await authenticateSessionToken(deps, grant.sessionToken);
      return true;
    } catch (error) {
      expect((error as { code?: string }).code).toBe('session_revoked');
      return false;
    }
  };

  beforeEach(async () => {
    await open();
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  describe('loginWithSessionToken', () => {
    it('opens a session-mode session and returns an opaque <id>.<secret> token', async () => {
      deps.clock.advanceSeconds(5);
      const grant = await signIn();
      expect(grant.sessionToken).toMatch(OPAQUE_SHAPE);
      expect(grant.sessionToken.split('.')[0]).toBe(grant.sessionId);
      expect(grant.user).toEqual(jwt.user);
      expect(grant.expiresIn).toBe(IDLE);
      const now = deps.clock.now();
      const session = await deps.stores.sessions.findById(grant.sessionId);
      expect(session).toEqual({
        id: grant.sessionId,
        userId: jwt.user.id,
        kind: 'session',
        tokenHash: hashTokenSecret(grant.sessionToken.split('.')[1]!),
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: new Date(now.getTime() + IDLE * 1000),
        absoluteExpiresAt: new Date(now.getTime() + ABSOLUTE * 1000),
        revokedAt: null,
        revokedReason: null,
        userAgent: CONTEXT.userAgent,
        ip: CONTEXT.ip,
        amr: ['pwd'],
        acr: 'urn:tessera:acr:1fa',
        authTime: now,
      });
      // Only the hash is stored: nothing in the row contains the secret.
      expect(JSON.stringify(session)).not.toContain(grant.sessionToken.split('.')[1]);
      expect(await deps.stores.audit.list({ type: 'login_succeeded' })).toEqual([
        expect.objectContaining({
          userId: jwt.user.id,
          sessionId: grant.sessionId,
          detail: { mode: 'session' },
        }),
      ]);
    });

    it('expires_in is the absolute timeout when that comes first', async () => {
      await deps.stores.close();
      await open({ sessionIdleTimeoutSeconds: 600, sessionAbsoluteTimeoutSeconds: 300 });
      const grant = await signIn();
      expect(grant.expiresIn).toBe(300);
      const session = await deps.stores.sessions.findById(grant.sessionId);
      expect(session?.idleExpiresAt).toEqual(session?.absoluteExpiresAt);
    });

    it('draws a new session id and secret on every login', async () => {
      const first = await signIn();
      const second = await signIn();
      expect(second.sessionId).not.toBe(first.sessionId);
      expect(second.sessionToken.split('.')[1]).not.toBe(first.sessionToken.split('.')[1]);
      expect(await works(first)).toBe(true);
      expect(await works(second)).toBe(true);
    });

    it('refuses wrong credentials like JWT login does, opening no session', async () => {
      await flowError(
        loginWithSessionToken(deps, { email: EMAIL, password: 'wrong password' }, CONTEXT),
        'invalid_credentials',
      );
      expect(await deps.stores.sessions.listActiveForUser(jwt.user.id, deps.clock.now())).toHaveLength(1);
    });
  });

  describe('registerWithSessionToken', () => {
    it('creates the account and signs it in with a session token', async () => {
      const grant = await registerWithSessionToken(
        deps,
        { email: 'bob@example.com', password: PASSWORD },
        CONTEXT,
      );
      expect(grant.sessionToken).toMatch(OPAQUE_SHAPE);
      expect(grant.user).toMatchObject({ email: 'bob@example.com', roles: [] });
      expect((await deps.stores.sessions.findById(grant.sessionId))?.kind).toBe('session');
      const events = await deps.stores.audit.list({ type: 'register', userId: grant.user.id });
      expect(events).toEqual([expect.objectContaining({ detail: { mode: 'session' } })]);
    });

    it('refuses a taken e-mail and a weak password', async () => {
      await flowError(
        registerWithSessionToken(deps, { email: EMAIL, password: PASSWORD }, CONTEXT),
        'email_taken',
      );
      await flowError(
        registerWithSessionToken(deps, { email: 'bob@example.com', password: 'short' }, CONTEXT),
        'weak_password',
      );
    });
  });

  describe('authenticateSessionToken', () => {
    it('returns a session principal with the roles read from the user record', async () => {
      const grant = await signIn();
      const openedAt = Math.floor(deps.clock.now().getTime() / 1000);
      deps.clock.advanceSeconds(120);
      expect(await authenticateSessionToken(deps, grant.sessionToken)).toEqual({
        userId: jwt.user.id,
        sessionId: grant.sessionId,
        roles: [],
        kind: 'session',
        claims: null,
        // Until sessions record how they were opened: a single-factor sign-in when the session began.
        acr: 'urn:tessera:acr:1fa',
        authTime: openedAt,
      });
      await deps.stores.users.update(jwt.user.id, { roles: ['editor'], updatedAt: deps.clock.now() });
      expect((await authenticateSessionToken(deps, grant.sessionToken)).roles).toEqual(['editor']);
    });

    it.each<[string, (token: string) => string]>([
      ['empty', () => ''],
      ['no dot', (t) => t.replace('.', '')],
      ['two dots', (t) => `${t}.x`],
      ['an id one character short', (t) => t.slice(1)],
      ['a secret one character long', (t) => `${t}A`],
      ['padding', (t) => `${t.slice(0, -1)}=`],
      ['a character outside base64url', (t) => `${t.slice(0, -1)}+`],
      ['whitespace', (t) => ` ${t}`],
    ])('a token with %s → token_malformed', async (_label, mangle) => {
      const grant = await signIn();
      await tokenError(authenticateSessionToken(deps, mangle(grant.sessionToken)), 'token_malformed');
    });

    it('a JWT access token is not a session token → token_malformed', async () => {
      await tokenError(authenticateSessionToken(deps, jwt.accessToken), 'token_malformed');
    });

    it.each<[string, (grant: SessionTokenGrant) => string]>([
      ['a tampered secret', (g) => tamper(g.sessionToken)],
      ['an unknown id', (g) => `${'A'.repeat(22)}.${g.sessionToken.split('.')[1]}`],
      ['a JWT-mode session’s id', (g) => `${jwt.sessionId}.${g.sessionToken.split('.')[1]}`],
      ['a refresh token', () => jwt.refreshToken],
    ])('%s → session_revoked (nothing tells which part was wrong)', async (_label, forge) => {
      const grant = await signIn();
      await flowError(authenticateSessionToken(deps, forge(grant)), 'session_revoked');
    });

    it('a revoked session → session_revoked', async () => {
      const grant = await signIn();
      await logout(deps, sessionPrincipal(grant), 'local', CONTEXT);
      await flowError(authenticateSessionToken(deps, grant.sessionToken), 'session_revoked');
    });

    it('at or past the idle timeout → session_expired', async () => {
      const grant = await signIn();
      deps.clock.advanceSeconds(IDLE - 1);
      await expect(authenticateSessionToken(deps, grant.sessionToken)).resolves.toBeDefined();
      const other = await signIn();
      deps.clock.advanceSeconds(IDLE);
      await flowError(authenticateSessionToken(deps, other.sessionToken), 'session_expired');
    });

    it('a wrong secret for an expired session is still session_revoked', async () => {
      const grant = await signIn();
      deps.clock.advanceSeconds(IDLE + 1);
      await flowError(authenticateSessionToken(deps, tamper(grant.sessionToken)), 'session_revoked');
      await flowError(authenticateSessionToken(deps, grant.sessionToken), 'session_expired');
    });

    it('past the absolute timeout → session_expired, however active the session was', async () => {
      const grant = await signIn();
      for (let elapsed = 0; elapsed < ABSOLUTE - 600; elapsed += 600) {
        deps.clock.advanceSeconds(600);
        await authenticateSessionToken(deps, grant.sessionToken);
      }
      deps.clock.advanceSeconds(600);
      await flowError(authenticateSessionToken(deps, grant.sessionToken), 'session_expired');
    });

    it('a disabled user → session_revoked, and the session stays revoked after re-enabling', async () => {
      const grant = await signIn();
      await deps.stores.users.update(jwt.user.id, { disabled: true, updatedAt: deps.clock.now() });
      await flowError(authenticateSessionToken(deps, grant.sessionToken), 'session_revoked');
      const session = await deps.stores.sessions.findById(grant.sessionId);
      expect(session).toMatchObject({ revokedAt: deps.clock.now(), revokedReason: 'user_disabled' });
      await deps.stores.users.update(jwt.user.id, { disabled: false, updatedAt: deps.clock.now() });
      await flowError(authenticateSessionToken(deps, grant.sessionToken), 'session_revoked');
    });

    it('a deleted user → session_revoked', async () => {
      const grant = await signIn();
      await deps.stores.users.delete(jwt.user.id);
      await flowError(authenticateSessionToken(deps, grant.sessionToken), 'session_revoked');
    });
  });

  describe('sliding renewal', () => {
    it('use after the renewal interval moves the idle expiry to now + idle', async () => {
      const grant = await signIn();
      deps.clock.advanceSeconds(IDLE - 60);
      await authenticateSessionToken(deps, grant.sessionToken);
      const now = deps.clock.now();
      const session = await deps.stores.sessions.findById(grant.sessionId);
      expect(session).toMatchObject({
        lastSeenAt: now,
        idleExpiresAt: new Date(now.getTime() + IDLE * 1000),
      });
      deps.clock.advanceSeconds(IDLE - 1);
      await expect(authenticateSessionToken(deps, grant.sessionToken)).resolves.toBeDefined();
    });

    it('never slides past the absolute expiry', async () => {
      const grant = await signIn();
      // Used every 15 min up to 15 min before the absolute expiry, where the slide hits the cap.
      for (let i = 0; i < ABSOLUTE / 900 - 1; i++) {
        deps.clock.advanceSeconds(900);
        await authenticateSessionToken(deps, grant.sessionToken);
      }
      const session = await deps.stores.sessions.findById(grant.sessionId);
      expect(session?.idleExpiresAt).toEqual(session?.absoluteExpiresAt);
    });

    it('bounded writes: many requests within one renewal interval write at most once', async () => {
      const grant = await signIn();
      const touch = vi.spyOn(deps.stores.sessions, 'touch');
      // Interval for idle 1800 s: max(60 s, 180 s) = 180 s. Inside the first one: no write at all.
      for (let i = 0; i < 50; i++) {
        await authenticateSessionToken(deps, grant.sessionToken);
        deps.clock.advanceSeconds(3);
      }
      expect(deps.clock.now().getTime() - Date.parse(grant.user.created_at)).toBe(150_000);
      expect(touch).not.toHaveBeenCalled();
      deps.clock.advanceSeconds(30);
      for (let i = 0; i < 50; i++) {
        await authenticateSessionToken(deps, grant.sessionToken);
        deps.clock.advanceSeconds(3);
      }
      // One write at 180 s; the last request (at 327 s) is still inside the next interval.
      expect(touch).toHaveBeenCalledTimes(1);
      expect(touch.mock.calls[0]![0]).toBe(grant.sessionId);
    });

    it('a role change on the user record shows on the next request, without a session write', async () => {
      const grant = await signIn();
      const touch = vi.spyOn(deps.stores.sessions, 'touch');
      await setUserRolesDirectly(['auditor']);
      expect((await authenticateSessionToken(deps, grant.sessionToken)).roles).toEqual(['auditor']);
      expect(touch).not.toHaveBeenCalled();
    });
  });

  const setUserRolesDirectly = (roles: string[]) =>
    deps.stores.users.update(jwt.user.id, { roles, updatedAt: deps.clock.now() });

  describe('authenticateBearerToken tells the two kinds apart by shape', () => {
    it('a JWS is an access token, an <id>.<secret> a session token', async () => {
      const grant = await signIn();
      expect(await authenticateBearerToken(deps, jwt.accessToken)).toMatchObject({
        kind: 'jwt',
        sessionId: jwt.sessionId,
      });
      expect(await authenticateBearerToken(deps, grant.sessionToken)).toMatchObject({
        kind: 'session',
        sessionId: grant.sessionId,
      });
    });

    it.each([['abc'], ['a.b'], ['a.b.c.d.e'], [''], ['..']])('%j → token_malformed', async (token) => {
      await tokenError(authenticateBearerToken(deps, token), 'token_malformed');
    });

    it('an opaque-shaped token that is no session → session_revoked', async () => {
      await flowError(authenticateBearerToken(deps, jwt.refreshToken), 'session_revoked');
    });
  });

  describe('logout, listing and revoking, mixing JWT and session-mode sessions', () => {
    let laptop: SessionTokenGrant;
    let tablet: SessionTokenGrant;
    let bob: SessionTokenGrant;

    beforeEach(async () => {
      deps.clock.advanceSeconds(1);
      laptop = await signIn();
      deps.clock.advanceSeconds(1);
      tablet = await signIn();
      bob = await registerWithSessionToken(deps, { email: 'bob@example.com', password: PASSWORD }, CONTEXT);
    });

    const jwtWorks = async () => {
      try {
        await refresh(deps, jwt.refreshToken, CONTEXT);
        return true;
      } catch (error) {
        expect((error as { code?: string }).code).toBe('session_revoked');
        return false;
      }
    };

    it.each<[LogoutScope, boolean, boolean, boolean]>([
      ['local', true, false, true],
      ['others', false, true, false],
      ['global', false, false, false],
    ])('scope %s from a session token: jwt %s, laptop %s, tablet %s', async (scope, j, l, t) => {
      const revoked = await logout(deps, sessionPrincipal(laptop), scope, CONTEXT);
      expect(revoked).toHaveLength([j, l, t].filter((alive) => !alive).length);
      expect([await jwtWorks(), await works(laptop), await works(tablet)]).toEqual([j, l, t]);
      expect(await works(bob)).toBe(true);
    });

    it('scope others from a JWT session ends the session-mode sessions too', async () => {
      await logout(deps, principalOf(deps, jwt), 'others', CONTEXT);
      expect([await jwtWorks(), await works(laptop), await works(tablet)]).toEqual([true, false, false]);
    });

    it('lists both kinds, the caller’s marked current, without idle-expired sessions', async () => {
      const views = await listSessions(deps, sessionPrincipal(laptop));
      expect(views.map((view) => [view.id, view.kind, view.current])).toEqual([
        [tablet.sessionId, 'session', false],
        [laptop.sessionId, 'session', true],
        [jwt.sessionId, 'jwt', false],
      ]);
      expect(views[1]!.expires_at).toBe(
        new Date(Date.parse(views[1]!.created_at) + IDLE * 1000).toISOString(),
      );
      // The tablet goes idle while the laptop stays in use.
      deps.clock.advanceSeconds(IDLE - 100);
      await authenticateSessionToken(deps, laptop.sessionToken);
      deps.clock.advanceSeconds(200);
      const later = await listSessions(deps, sessionPrincipal(laptop));
      expect(later.map((view) => view.id)).toEqual([laptop.sessionId, jwt.sessionId]);
    });

    it('revokeSession ends one session-mode session of the caller', async () => {
      await revokeSession(deps, principalOf(deps, jwt), tablet.sessionId, CONTEXT);
      expect([await works(laptop), await works(tablet)]).toEqual([true, false]);
      await flowError(
        revokeSession(deps, sessionPrincipal(laptop), bob.sessionId, CONTEXT),
        'session_not_found',
      );
    });
  });

  describe('setUserRoles', () => {
    it('revokes the user’s session-mode sessions but not their JWT sessions', async () => {
      const grant = await signIn();
      const bob = await registerWithSessionToken(
        deps,
        { email: 'bob@example.com', password: PASSWORD },
        CONTEXT,
      );
      await setUserRoles(deps, jwt.user.id, ['admin']);
      await flowError(authenticateSessionToken(deps, grant.sessionToken), 'session_revoked');
      expect((await deps.stores.sessions.findById(grant.sessionId))?.revokedReason).toBe('roles_changed');
      const refreshed = await refresh(deps, jwt.refreshToken, CONTEXT);
      expect(deps.accessTokens.verify(refreshed.accessToken, deps.clock.now()).roles).toEqual(['admin']);
      expect(await works(bob)).toBe(true);
      // A session opened after the change carries the new roles.
      const after = await signIn();
      expect((await authenticateSessionToken(deps, after.sessionToken)).roles).toEqual(['admin']);
    });

    it('revokes nothing when the roles do not actually change', async () => {
      await setUserRoles(deps, jwt.user.id, ['editor', 'admin']);
      const grant = await signIn();
      await setUserRoles(deps, jwt.user.id, ['admin', 'editor', 'admin']);
      expect(await works(grant)).toBe(true);
    });
  });

  it('revokeAllUserSessions (admin) revokes every session of the user, both kinds, and no one else’s', async () => {
    const grant = await signIn();
    const bob = await registerWithSessionToken(
      deps,
      { email: 'bob@example.com', password: PASSWORD },
      CONTEXT,
    );
    const revoked = await revokeAllUserSessions(deps, EMAIL);
    expect(revoked.sort()).toEqual([jwt.sessionId, grant.sessionId].sort());
    expect(await works(grant)).toBe(false);
    await flowError(refresh(deps, jwt.refreshToken, CONTEXT), 'session_revoked');
    expect((await deps.stores.sessions.findById(jwt.sessionId))?.revokedReason).toBe('admin_revoked');
    expect(await works(bob)).toBe(true);
  });

  it('a JWT login after session logins still opens a JWT session', async () => {
    await signIn();
    const pair = await login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
    expect((await deps.stores.sessions.findById(pair.sessionId))?.kind).toBe('jwt');
  });
});
