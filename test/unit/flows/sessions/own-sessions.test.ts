import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { login } from '../../../../src/flows/auth/login.js';
import { refresh } from '../../../../src/flows/sessions/refresh.js';
import { getCurrentUser, listSessions, revokeSession } from '../../../../src/flows/sessions/own-sessions.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, principalOf, registerUser, STORE_KINDS } from '../fixtures.js';

describe.each(STORE_KINDS)('sessions over %s stores', (kind) => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await depsOn(kind);
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  it('getCurrentUser returns the user view, never the hash', async () => {
    const pair = await registerUser(deps);
    const user = await getCurrentUser(deps, principalOf(deps, pair));
    expect(user).toEqual(pair.user);
    expect(JSON.stringify(user)).not.toContain('argon2');
  });

  it('getCurrentUser of a deleted user → user_not_found', async () => {
    const pair = await registerUser(deps);
    const principal = principalOf(deps, pair);
    await deps.stores.users.delete(pair.user.id);
    await flowError(getCurrentUser(deps, principal), 'user_not_found');
  });

  it('listSessions: the user’s live sessions, newest first, the caller’s marked current', async () => {
    const first = await registerUser(deps);
    deps.clock.advanceSeconds(10);
    const second = await login(
      deps,
      { email: 'ada@example.com', password: PASSWORD },
      { ip: '198.51.100.1', userAgent: 'Phone' },
    );
    deps.clock.advanceSeconds(10);
    const third = await login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT);
    await registerUser(deps, 'bob@example.com');
    await revokeSession(deps, principalOf(deps, first), third.sessionId, CONTEXT);

    const views = await listSessions(deps, principalOf(deps, first));
    expect(views.map((v) => v.id)).toEqual([second.sessionId, first.sessionId]);
    expect(views.map((v) => v.current)).toEqual([false, true]);
    expect(views[0]).toEqual({
      id: second.sessionId,
      kind: 'jwt',
      created_at: new Date(Date.parse(first.user.created_at) + 10_000).toISOString(),
      last_seen_at: new Date(Date.parse(first.user.created_at) + 10_000).toISOString(),
      expires_at: new Date(
        Date.parse(first.user.created_at) + 10_000 + deps.config.refreshTokenTtlSeconds * 1000,
      ).toISOString(),
      user_agent: 'Phone',
      ip: '198.51.100.1',
      current: false,
    });
  });

  it('listSessions leaves out expired sessions', async () => {
    const first = await registerUser(deps);
    deps.clock.advanceSeconds(deps.config.refreshTokenTtlSeconds - 60);
    const second = await login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT);
    deps.clock.advanceSeconds(60);
    expect((await listSessions(deps, principalOf(deps, second))).map((v) => v.id)).toEqual([
      second.sessionId,
    ]);
    expect(first.sessionId).not.toBe(second.sessionId);
  });

  it('a refresh updates last_seen_at', async () => {
    const pair = await registerUser(deps);
    deps.clock.advanceSeconds(120);
    await refresh(deps, pair.refreshToken, CONTEXT);
    const [view] = await listSessions(deps, principalOf(deps, pair));
    expect(view?.last_seen_at).toBe(deps.clock.now().toISOString());
  });

  describe('revokeSession', () => {
    it('revokes one of the caller’s own sessions and its refresh family', async () => {
      const first = await registerUser(deps);
      const second = await login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT);
      await revokeSession(deps, principalOf(deps, first), second.sessionId, CONTEXT);
      const session = await deps.stores.sessions.findById(second.sessionId);
      expect(session?.revokedAt).toEqual(deps.clock.now());
      expect(session?.revokedReason).toBe('user_revoked');
      await flowError(refresh(deps, second.refreshToken, CONTEXT), 'session_revoked');
      await expect(refresh(deps, first.refreshToken, CONTEXT)).resolves.toBeDefined();
      expect(await deps.stores.audit.list({ type: 'session_revoked' })).toEqual([
        expect.objectContaining({ userId: first.user.id, sessionId: second.sessionId }),
      ]);
    });

    it('may revoke the caller’s own current session', async () => {
      const first = await registerUser(deps);
      await revokeSession(deps, principalOf(deps, first), first.sessionId, CONTEXT);
      await flowError(refresh(deps, first.refreshToken, CONTEXT), 'session_revoked');
    });

    it('another user’s session → session_not_found (never forbidden), and it stays live', async () => {
      const ada = await registerUser(deps);
      const bob = await registerUser(deps, 'bob@example.com');
      const error = await flowError(
        revokeSession(deps, principalOf(deps, ada), bob.sessionId, CONTEXT),
        'session_not_found',
      );
      expect(error.message).not.toContain(bob.sessionId);
      expect((await deps.stores.sessions.findById(bob.sessionId))?.revokedAt).toBeNull();
      await expect(refresh(deps, bob.refreshToken, CONTEXT)).resolves.toBeDefined();
    });

    it.each<[string, string]>([
      ['an unknown id', 'no-such-session'],
      ['an empty id', ''],
    ])('%s → session_not_found', async (_name, id) => {
      const ada = await registerUser(deps);
      await flowError(revokeSession(deps, principalOf(deps, ada), id, CONTEXT), 'session_not_found');
    });

    it('an already revoked session → session_not_found', async () => {
      const ada = await registerUser(deps);
      const second = await login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT);
      await revokeSession(deps, principalOf(deps, ada), second.sessionId, CONTEXT);
      await flowError(
        revokeSession(deps, principalOf(deps, ada), second.sessionId, CONTEXT),
        'session_not_found',
      );
    });
  });
});
