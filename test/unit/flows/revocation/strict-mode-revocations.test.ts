import { describe, expect, it, vi } from 'vitest';
import type { Config } from '../../../../src/config/types.js';
import { authenticateAccessToken } from '../../../../src/flows/authenticate/authenticate-access-token.js';
import { login } from '../../../../src/flows/auth/login.js';
import { register } from '../../../../src/flows/auth/register.js';
import type { RevocationList } from '../../../../src/stores/revocation-list.js';
import { StoreUnavailableError } from '../../../../src/errors.js';
import { createTestDeps } from '../../../helpers/test-deps.js';

const CONTEXT = { ip: '127.0.0.1', userAgent: 'vitest' };
const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery';

function fakeList(state: { healthy: boolean; fresh?: boolean; revoked: Set<string> }): RevocationList {
  return {
    authoritative: true,
    healthy: () => state.healthy,
    fresh: () => state.fresh ?? true,
    isRevoked: (id) => state.revoked.has(id),
    announce: async (ids) => {
      for (const id of ids) state.revoked.add(id);
    },
    onRevoked: () => () => {},
    close: async () => {},
  };
}

async function setUp(
  config: Partial<Config>,
  state: { healthy: boolean; fresh?: boolean; revoked: Set<string> },
) {
  const deps = await createTestDeps({ config: { strictMode: true, ...config } });
  deps.revocations = fakeList(state);
  await register(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
  const pair = await login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
  const findById = vi.spyOn(deps.stores.sessions, 'findById');
  return { deps, pair, findById };
}

describe('strict mode with an authoritative revocation list (Redis fan-out)', () => {
  it('answers from memory: no store read per request', async () => {
    const state = { healthy: true, revoked: new Set<string>() };
    const { deps, pair, findById } = await setUp({}, state);
    const principal = await authenticateAccessToken(deps, pair.accessToken);
    expect(principal.sessionId).toBe(pair.sessionId);
    expect(findById).not.toHaveBeenCalled();
  });

  it("refuses a session the list has heard revoked with 'session_revoked', still without a store read", async () => {
    const state = { healthy: true, revoked: new Set<string>() };
    const { deps, pair, findById } = await setUp({}, state);
    state.revoked.add(pair.sessionId);
    await expect(authenticateAccessToken(deps, pair.accessToken)).rejects.toMatchObject({
      code: 'session_revoked',
    });
    expect(findById).not.toHaveBeenCalled();
  });

  /** @see issue #10, "Strict-mode revocation must survive faults" */
  it('reads the store, not a stale list, while the database reconciliation lags (healthy, not fresh)', async () => {
    const state = { healthy: true, fresh: false, revoked: new Set<string>() };
    const { deps, pair, findById } = await setUp({}, state);
    await expect(authenticateAccessToken(deps, pair.accessToken)).resolves.toMatchObject({
      sessionId: pair.sessionId,
    });
    expect(findById).toHaveBeenCalledTimes(1);
    // Committed, never heard: the store has it, so the request is refused, not answered from memory.
    await deps.stores.sessions.revoke({ userId: pair.user.id, reason: 'x', at: deps.clock.now() });
    await expect(authenticateAccessToken(deps, pair.accessToken)).rejects.toMatchObject({
      code: 'session_revoked',
    });
    // What the list has heard is refused without a read, fresh or not.
    findById.mockClear();
    state.revoked.add(pair.sessionId);
    await expect(authenticateAccessToken(deps, pair.accessToken)).rejects.toMatchObject({
      code: 'session_revoked',
    });
    expect(findById).not.toHaveBeenCalled();
  });

  it('fails closed (503, store unavailable) while the fan-out is down, by default', async () => {
    const state = { healthy: false, revoked: new Set<string>() };
    const { deps, pair } = await setUp({}, state);
    const error = await authenticateAccessToken(deps, pair.accessToken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  it("falls back to reading the store while the fan-out is down when redisFailureMode is 'open'", async () => {
    const state = { healthy: false, revoked: new Set<string>() };
    const { deps, pair, findById } = await setUp({ redisFailureMode: 'open' }, state);
    await expect(authenticateAccessToken(deps, pair.accessToken)).resolves.toMatchObject({
      sessionId: pair.sessionId,
    });
    expect(findById).toHaveBeenCalledTimes(1);
    await deps.stores.sessions.revoke({
      userId: pair.user.id,
      ids: [pair.sessionId],
      reason: 'test',
      at: deps.clock.now(),
    });
    await expect(authenticateAccessToken(deps, pair.accessToken)).rejects.toMatchObject({
      code: 'session_revoked',
    });
  });

  it('is not consulted outside strict mode', async () => {
    const state = { healthy: false, revoked: new Set<string>() };
    const { deps, pair, findById } = await setUp({ strictMode: false }, state);
    state.revoked.add(pair.sessionId);
    await expect(authenticateAccessToken(deps, pair.accessToken)).resolves.toMatchObject({
      sessionId: pair.sessionId,
    });
    expect(findById).not.toHaveBeenCalled();
  });
});

describe('revocations are announced', () => {
  it('for logout (through the session store) and for refresh-token reuse (through the rotation)', async () => {
    const state = { healthy: true, revoked: new Set<string>() };
    const deps = await createTestDeps({ config: { strictMode: true } });
    const list = fakeList(state);
    const announce = vi.spyOn(list, 'announce');
    // createTestDeps wired the store-only list into the announcing session store; rebuild with ours.
    const { createDeps } = await import('../../../../src/server/create-deps.js');
    const wired = await createDeps({ ...deps, hasher: deps.hasher, revocations: list });
    await register(wired, { email: EMAIL, password: PASSWORD }, CONTEXT);
    const first = await login(wired, { email: EMAIL, password: PASSWORD }, CONTEXT);
    const { logout } = await import('../../../../src/flows/sessions/logout.js');
    const principal = await authenticateAccessToken(wired, first.accessToken);
    await logout(wired, principal, 'local', CONTEXT);
    expect(announce).toHaveBeenCalledWith([first.sessionId]);

    const second = await login(wired, { email: EMAIL, password: PASSWORD }, CONTEXT);
    const { refresh } = await import('../../../../src/flows/sessions/refresh.js');
    await refresh(wired, second.refreshToken, CONTEXT);
    deps.clock.advanceSeconds(deps.config.refreshReuseGraceSeconds + 1);
    await expect(refresh(wired, second.refreshToken, CONTEXT)).rejects.toMatchObject({
      code: 'refresh_token_reused',
    });
    expect(announce).toHaveBeenLastCalledWith([second.sessionId]);
  });
});

describe('deleting a user (tessera users delete)', () => {
  it('announces the sessions it ends, so strict mode on every instance refuses their tokens', async () => {
    const state = { healthy: true, revoked: new Set<string>() };
    const deps = await createTestDeps({ config: { strictMode: true } });
    const { createDeps } = await import('../../../../src/server/create-deps.js');
    const wired = await createDeps({ ...deps, hasher: deps.hasher, revocations: fakeList(state) });
    await register(wired, { email: EMAIL, password: PASSWORD }, CONTEXT);
    const pair = await login(wired, { email: EMAIL, password: PASSWORD }, CONTEXT);
    await expect(authenticateAccessToken(wired, pair.accessToken)).resolves.toBeDefined();

    const { deleteUser } = await import('../../../../src/flows/admin/user-admin.js');
    await deleteUser(wired, EMAIL);
    expect(state.revoked.has(pair.sessionId)).toBe(true);
    await expect(authenticateAccessToken(wired, pair.accessToken)).rejects.toMatchObject({
      code: 'session_revoked',
    });
  });
});
