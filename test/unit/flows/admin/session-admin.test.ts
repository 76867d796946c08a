import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { login } from '../../../../src/flows/auth/login.js';
import { refresh } from '../../../../src/flows/sessions/refresh.js';
import {
  listUserSessions,
  revokeAllUserSessions,
  revokeSessionById,
} from '../../../../src/flows/admin/session-admin.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, registerUser, STORE_KINDS } from '../fixtures.js';

const EMAIL = 'ada@example.com';

describe.each(STORE_KINDS)('session admin over %s stores', (kind) => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await depsOn(kind);
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  const signIn = () => login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);

  it('listUserSessions: the live sessions of that user only, newest first, none marked current', async () => {
    const first = await registerUser(deps);
    deps.clock.advanceSeconds(10);
    const second = await signIn();
    await registerUser(deps, 'bob@example.com');
    const sessions = await listUserSessions(deps, ' ADA@example.com ');
    expect(sessions.map((session) => session.id)).toEqual([second.sessionId, first.sessionId]);
    expect(sessions.every((session) => !session.current)).toBe(true);
    expect(sessions[0]).toMatchObject({ kind: 'jwt', ip: CONTEXT.ip, user_agent: CONTEXT.userAgent });
    await flowError(listUserSessions(deps, 'nobody@example.com'), 'user_not_found');
  });

  it('revokeSessionById revokes that session and its refresh tokens, and audits it', async () => {
    const first = await registerUser(deps);
    const second = await signIn();
    await revokeSessionById(deps, first.sessionId);
    expect((await listUserSessions(deps, EMAIL)).map((session) => session.id)).toEqual([second.sessionId]);
    await flowError(refresh(deps, first.refreshToken, CONTEXT), 'session_revoked');
    await expect(refresh(deps, second.refreshToken, CONTEXT)).resolves.toBeDefined();
    expect(await deps.stores.audit.list({ type: 'session_revoked' })).toEqual([
      expect.objectContaining({ userId: first.user.id, sessionId: first.sessionId, detail: { by: 'admin' } }),
    ]);
  });

  it('revokeSessionById: unknown, revoked, or another user’s → session_not_found', async () => {
    const ada = await registerUser(deps);
    await registerUser(deps, 'bob@example.com');
    await flowError(revokeSessionById(deps, 'no-such-session'), 'session_not_found');
    await flowError(
      revokeSessionById(deps, ada.sessionId, { email: 'bob@example.com' }),
      'session_not_found',
    );
    await revokeSessionById(deps, ada.sessionId, { email: EMAIL });
    await flowError(revokeSessionById(deps, ada.sessionId), 'session_not_found');
    await flowError(
      revokeSessionById(deps, ada.sessionId, { email: 'nobody@example.com' }),
      'user_not_found',
    );
  });

  it('revokeAllUserSessions revokes every session of the user and no one else’s', async () => {
    const first = await registerUser(deps);
    const second = await signIn();
    const bob = await registerUser(deps, 'bob@example.com');
    const ids = await revokeAllUserSessions(deps, EMAIL);
    expect([...ids].sort()).toEqual([first.sessionId, second.sessionId].sort());
    expect(await listUserSessions(deps, EMAIL)).toEqual([]);
    expect((await listUserSessions(deps, 'bob@example.com')).map((session) => session.id)).toEqual([
      bob.sessionId,
    ]);
    expect(await deps.stores.audit.list({ type: 'session_revoked' })).toHaveLength(2);
    expect(await revokeAllUserSessions(deps, EMAIL)).toEqual([]);
    await flowError(revokeAllUserSessions(deps, 'nobody@example.com'), 'user_not_found');
  });
});
