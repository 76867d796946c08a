import { afterEach, describe, expect, it } from 'vitest';
import { createDurableRevocationList } from '../../../../src/flows/revocation/durable-revocation-list.js';
import type { FanOutRevocationList, RevocationList } from '../../../../src/stores/revocation-list.js';
import { createFixedClock } from '../../../../src/platform/clock.js';
import type { RevokedSession } from '../../../../src/stores/types.js';

const WINDOW_SECONDS = 930;
const START = new Date('2026-12-02T06:00:00Z');

/** The database's revoked sessions, answering listRevokedSince in keyset order as the SQL stores do. */
function fakeSessions() {
  const rows: RevokedSession[] = [];
  const state = { failing: false, reads: 0 };
  return {
    state,
    commit(id: string, revokedAt: Date) {
      rows.push({ id, revokedAt });
    },
    async listRevokedSince(after: { revokedAt: Date; id: string }, limit: number) {
      state.reads += 1;
      if (state.failing) throw new Error('database away');
      const a = after.revokedAt.getTime();
      return rows
        .filter((r) => r.revokedAt.getTime() > a || (r.revokedAt.getTime() === a && r.id > after.id))
        .sort((x, y) => x.revokedAt.getTime() - y.revokedAt.getTime() || (x.id < y.id ? -1 : 1))
        .slice(0, limit);
    },
  };
}

/** Redis's part, reduced to what the durable list reads: health, sync epoch, what it heard. */
function fakeFanOut() {
  const state = { healthy: true, epoch: 1, heard: new Set<string>(), announced: [] as string[] };
  const list: FanOutRevocationList = {
    authoritative: true,
    healthy: () => state.healthy,
    fresh: () => true,
    syncEpoch: () => state.epoch,
    isRevoked: (id) => state.heard.has(id),
    announce: async (ids) => {
      state.announced.push(...ids);
      for (const id of ids) state.heard.add(id);
    },
    onRevoked: () => () => {},
    close: async () => {},
  };
  return { state, list };
}

describe('durable revocation list (database reconciliation under the Redis fan-out)', () => {
  const opened: RevocationList[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((list) => list.close()));
  });

  async function open(options: { pollIntervalMs?: number } = {}) {
    const clock = createFixedClock(START);
    const sessions = fakeSessions();
    const fanOut = fakeFanOut();
    const make = async () => {
      const list = await createDurableRevocationList({
        fanOut: fanOut.list,
        sessions,
        clock,
        windowSeconds: WINDOW_SECONDS,
        pollIntervalMs: options.pollIntervalMs ?? 5,
      });
      opened.push(list);
      return list;
    };
    return { clock, sessions, fanOut, make };
  }

  it('is seeded from the database before it answers: every revocation in the window, none older', async () => {
    const { sessions, fanOut, make } = await open();
    sessions.commit('recent', new Date(START.getTime() - 60_000));
    sessions.commit('edge', new Date(START.getTime() - (WINDOW_SECONDS - 1) * 1000));
    sessions.commit('expired', new Date(START.getTime() - (WINDOW_SECONDS + 1) * 1000));
    const list = await make();
    expect(list.healthy()).toBe(true);
    expect(list.fresh()).toBe(true);
    expect(list.isRevoked('recent')).toBe(true);
    expect(list.isRevoked('edge')).toBe(true);
    expect(list.isRevoked('expired')).toBe(false);
    expect(list.isRevoked('never')).toBe(false);
    expect(fanOut.state.announced).toEqual([]);
  });

  it('reads the whole backlog, page after page', async () => {
    const { sessions, make } = await open();
    for (let i = 0; i < 2500; i += 1)
      sessions.commit(`s${String(i).padStart(4, '0')}`, new Date(START.getTime() - 1000));
    const list = await make();
    expect(list.isRevoked('s0000')).toBe(true);
    expect(list.isRevoked('s2499')).toBe(true);
  });

  it('finds a revocation that was committed but never announced, and tells its listeners', async () => {
    const { sessions, make } = await open();
    const list = await make();
    const heard: string[] = [];
    list.onRevoked((ids) => heard.push(...ids));
    sessions.commit('unannounced', START);
    await waitFor(() => list.isRevoked('unannounced'));
    expect(heard).toEqual(['unannounced']);
  });

  it('finds a row stamped before its last read that committed after it (within the overlap)', async () => {
    const { clock, sessions, make } = await open();
    const list = await make();
    clock.advanceSeconds(5);
    const reads = sessions.state.reads;
    await waitFor(() => sessions.state.reads > reads + 1);
    sessions.commit('late', new Date(START.getTime() + 1000));
    await waitFor(() => list.isRevoked('late'));
  });

  it('is not fresh once its last complete read is older than 750 ms, and is again after a read', async () => {
    const { clock, sessions, make } = await open();
    const list = await make();
    sessions.state.failing = true;
    clock.advanceSeconds(0.75);
    expect(list.fresh()).toBe(true);
    clock.advanceSeconds(0.01);
    expect(list.fresh()).toBe(false);
    expect(list.healthy()).toBe(true); // the fan-out is fine: strict mode reads the store, no 503
    sessions.state.failing = false;
    await waitFor(() => list.fresh());
  });

  it('is as healthy as the fan-out, and not fresh after the fan-out re-synced until the window is read again', async () => {
    const { clock, sessions, fanOut, make } = await open({ pollIntervalMs: 50 });
    const list = await make();
    fanOut.state.healthy = false;
    expect(list.healthy()).toBe(false);
    fanOut.state.healthy = true;
    expect(list.healthy()).toBe(true);

    // Redis came back (or restarted empty): a revocation older than the overlap was never heard.
    sessions.commit('while-away', new Date(START.getTime() - 60_000));
    clock.advanceSeconds(0.1);
    fanOut.state.epoch += 1;
    expect(list.fresh()).toBe(false);
    await waitFor(() => list.fresh());
    expect(list.isRevoked('while-away')).toBe(true);
  });

  it('announces through the fan-out and answers what the fan-out heard', async () => {
    const { fanOut, make } = await open();
    const list = await make();
    await list.announce(['a', 'b']);
    expect(fanOut.state.announced).toEqual(['a', 'b']);
    fanOut.state.heard.add('c');
    expect(list.isRevoked('c')).toBe(true);
  });

  it('forgets a database revocation once the window has passed', async () => {
    const { clock, sessions, make } = await open();
    sessions.commit('old', START);
    const list = await make();
    expect(list.isRevoked('old')).toBe(true);
    clock.advanceSeconds(WINDOW_SECONDS);
    expect(list.isRevoked('old')).toBe(false);
  });

  it('does not start when the database cannot be read, and refuses a window that is not positive', async () => {
    const { sessions, make } = await open();
    sessions.state.failing = true;
    await expect(make()).rejects.toThrow('database away');
    await expect(
      createDurableRevocationList({
        fanOut: fakeFanOut().list,
        sessions,
        clock: createFixedClock(START),
        windowSeconds: 0,
      }),
    ).rejects.toThrow(TypeError);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
