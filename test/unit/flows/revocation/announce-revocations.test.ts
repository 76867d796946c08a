import { describe, expect, it } from 'vitest';
import { announceRevocations } from '../../../../src/flows/revocation/announce-revocations.js';
import {
  createStoreOnlyRevocationList,
  type RevocationList,
} from '../../../../src/stores/revocation-list.js';
import { createFixedClock } from '../../../../src/platform/clock.js';
import { createMemoryStores } from '../../../../src/stores/memory/create-memory-stores.js';
import { StoreUnavailableError } from '../../../../src/errors.js';
import { newSession, newUser } from '../../../contract/suites/fixtures.js';

const WINDOW_SECONDS = 930;

/** A list whose next announcements fail (Redis away), recording what went out. */
function flakyList(): RevocationList & { announced: string[][]; failures: number } {
  const base = createStoreOnlyRevocationList();
  const list = {
    ...base,
    announced: [] as string[][],
    failures: 0,
    async announce(ids: readonly string[]) {
      if (list.failures > 0) {
        list.failures -= 1;
        throw new StoreUnavailableError('Redis away');
      }
      list.announced.push([...ids]);
    },
  };
  return list;
}

async function setUp() {
  const clock = createFixedClock(new Date('2026-12-02T06:00:00Z'));
  const stores = createMemoryStores({ clock });
  const list = flakyList();
  const sessions = announceRevocations(stores.sessions, list, WINDOW_SECONDS);
  const user = await stores.users.create(newUser());
  const create = (overrides = {}) => stores.sessions.create(newSession(user.id, overrides));
  return { clock, list, sessions, user, create };
}

/** @see issue #10, "Strict-mode revocation must survive faults" */
describe('announcing revocations: every path announces what it finds revoked, not only what it revoked', () => {
  it('a retried logout announces the session the failed attempt committed', async () => {
    const { clock, list, sessions, user, create } = await setUp();
    const session = await create();
    list.failures = 1;
    const args = { userId: user.id, ids: [session.id], reason: 'logout_local', at: clock.now() };
    await expect(sessions.revoke(args)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await sessions.findById(session.id))?.revokedAt).not.toBeNull();
    expect(list.announced).toEqual([]);

    clock.advanceSeconds(1);
    expect(await sessions.revoke({ ...args, at: clock.now() })).toEqual([]);
    expect(list.announced).toEqual([[session.id]]);
  });

  it('a global logout announces the new ones and those revoked within the window, not older ones', async () => {
    const { clock, list, sessions, user, create } = await setUp();
    const [old, recent, live] = [await create(), await create(), await create()];
    await sessions.revoke({ userId: user.id, ids: [old.id], reason: 'x', at: clock.now() });
    clock.advanceSeconds(WINDOW_SECONDS - 10);
    await sessions.revoke({ userId: user.id, ids: [recent.id], reason: 'x', at: clock.now() });
    clock.advanceSeconds(20);
    list.announced.length = 0;
    expect(await sessions.revoke({ userId: user.id, reason: 'logout_global', at: clock.now() })).toEqual([
      live.id,
    ]);
    expect(list.announced).toHaveLength(1);
    expect([...list.announced[0]!].sort()).toEqual([live.id, recent.id].sort());
  });

  it('"others" never announces the session it keeps', async () => {
    const { clock, list, sessions, user, create } = await setUp();
    const [kept, other] = [await create(), await create()];
    await sessions.revoke({ userId: user.id, exceptId: kept.id, reason: 'logout_others', at: clock.now() });
    await sessions.revoke({ userId: user.id, exceptId: kept.id, reason: 'logout_others', at: clock.now() });
    expect(list.announced).toEqual([[other.id], [other.id]]);
  });

  it('a retried client removal announces the sessions the failed attempt revoked', async () => {
    const { clock, list, sessions, create } = await setUp();
    const granted = await create({ clientId: 'billing' });
    list.failures = 1;
    await expect(sessions.revokeForClient('billing', 'client_removed', clock.now())).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(await sessions.revokeForClient('billing', 'client_removed', clock.now())).toEqual([]);
    expect(list.announced).toEqual([[granted.id]]);
  });

  it('announces nothing when nothing selected is revoked', async () => {
    const { clock, list, sessions, user } = await setUp();
    expect(await sessions.revoke({ userId: user.id, reason: 'x', at: clock.now() })).toEqual([]);
    expect(await sessions.revokeForClient('none', 'client_removed', clock.now())).toEqual([]);
    expect(list.announced).toEqual([]);
  });
});
