import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/stores/types.js';
import { at } from './fixtures.js';
import type { StoreContext } from './fixtures.js';

function event(overrides: Partial<AuditEvent>): AuditEvent {
  return {
    at: at(0),
    type: 'login_succeeded',
    userId: 'u1',
    sessionId: 's1',
    ip: '127.0.0.1',
    detail: null,
    ...overrides,
  };
}

export function describeAuditStore(ctx: StoreContext): void {
  describe('AuditStore', () => {
    it('lists nothing at first', async () => {
      expect(await ctx.stores.audit.list()).toEqual([]);
    });

    it('records events and lists them newest first, ties in reverse order of recording', async () => {
      const first = event({ at: at(1), type: 'register', detail: { method: 'password', nested: { n: 1 } } });
      const second = event({ at: at(3), userId: null, sessionId: null, ip: null });
      const third = event({ at: at(3), type: 'logout' });
      const oldest = event({ at: at(0), type: 'login_failed', detail: { reason: 'invalid_credentials' } });
      for (const e of [first, second, third, oldest]) await ctx.stores.audit.record(e);
      expect(await ctx.stores.audit.list()).toEqual([third, second, first, oldest]);
    });

    it('filters by user, by type, both, and limits', async () => {
      const events = [
        event({ at: at(1), userId: 'u1', type: 'login_failed' }),
        event({ at: at(2), userId: 'u2', type: 'login_failed' }),
        event({ at: at(3), userId: 'u1', type: 'login_succeeded' }),
        event({ at: at(4), userId: 'u1', type: 'login_failed' }),
      ];
      for (const e of events) await ctx.stores.audit.record(e);
      const [e1, e2, e3, e4] = events;
      expect(await ctx.stores.audit.list({ userId: 'u1' })).toEqual([e4, e3, e1]);
      expect(await ctx.stores.audit.list({ type: 'login_failed' })).toEqual([e4, e2, e1]);
      expect(await ctx.stores.audit.list({ userId: 'u1', type: 'login_failed' })).toEqual([e4, e1]);
      expect(await ctx.stores.audit.list({ limit: 2 })).toEqual([e4, e3]);
      expect(await ctx.stores.audit.list({ userId: 'nobody' })).toEqual([]);
    });

    it('hands out copies', async () => {
      await ctx.stores.audit.record(event({ detail: { a: 1 } }));
      const [listed] = await ctx.stores.audit.list();
      if (listed?.detail) listed.detail.a = 2;
      expect((await ctx.stores.audit.list())[0]?.detail).toEqual({ a: 1 });
    });
  });
}
