import { describe, expect, it } from 'vitest';
import type { MailRecord, OutgoingMail } from '../../../src/stores/mail-outbox.js';
import { at, MINUTE_MS, T0, type StoreContext } from './fixtures.js';

const LINK = 'https://id.example.com/verify?token=one-time-secret';

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return { to: 'ada@example.com', template: 'verify_email', data: { link: LINK, name: 'Ada' }, ...overrides };
}

/** The durable mail outbox (migration 006): enqueue, leases, outcomes, operator retries. */
export function describeMailOutbox(ctx: StoreContext): void {
  describe('MailQueue', () => {
    const claim = (owner: string, limit = 10, leaseMs = MINUTE_MS): Promise<MailRecord[]> =>
      ctx.stores.mailQueue.claimDue({
        owner,
        now: ctx.clock.now(),
        leaseExpiresAt: new Date(ctx.clock.now().getTime() + leaseMs),
        limit,
      });

    it('enqueues a pending message due now, every field round-tripped', async () => {
      await ctx.stores.mailOutbox.enqueue(mail());
      const [row] = await ctx.stores.mailQueue.list();
      expect(row).toEqual({
        id: expect.any(String),
        to: 'ada@example.com',
        template: 'verify_email',
        data: { link: LINK, name: 'Ada' },
        status: 'pending',
        attempts: 0,
        createdAt: T0,
        nextAttemptAt: T0,
        deliveredAt: null,
        lastError: null,
        claimedBy: null,
        leaseExpiresAt: null,
      });
      expect(await ctx.stores.mailQueue.findById(row!.id)).toEqual(row);
      expect(await ctx.stores.mailQueue.findById('no-such-id')).toBeUndefined();
    });

    it('hands a due message to one claimer until its lease expires', async () => {
      await ctx.stores.mailOutbox.enqueue(mail());
      const first = await claim('a');
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({ claimedBy: 'a', leaseExpiresAt: at(MINUTE_MS) });
      expect(await claim('b')).toEqual([]);
      ctx.clock.advanceSeconds(59);
      expect(await claim('b')).toEqual([]);
      ctx.clock.advanceSeconds(1);
      const second = await claim('b');
      expect(second.map((row) => row.id)).toEqual([first[0]!.id]);
      // The first holder lost the lease: its outcome no longer counts.
      expect(
        await ctx.stores.mailQueue.markDelivered(first[0]!.id, 'a', { status: 'sent', at: ctx.clock.now() }),
      ).toBe(false);
      expect((await ctx.stores.mailQueue.findById(first[0]!.id))?.status).toBe('pending');
    });

    it('claims oldest due first, at most `limit`', async () => {
      for (const to of ['1@example.com', '2@example.com', '3@example.com']) {
        await ctx.stores.mailOutbox.enqueue(mail({ to }));
        ctx.clock.advanceSeconds(1);
      }
      expect((await claim('a', 2)).map((row) => row.to)).toEqual(['1@example.com', '2@example.com']);
      expect((await claim('b', 2)).map((row) => row.to)).toEqual(['3@example.com']);
    });

    it('never gives one message to two concurrent claimers', async () => {
      for (let i = 0; i < 30; i += 1) await ctx.stores.mailOutbox.enqueue(mail({ to: `u${i}@example.com` }));
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claim(`owner-${i}`, 5)));
      const ids = claims.flat().map((row) => row.id);
      expect(new Set(ids).size).toBe(ids.length);
      // Every claimed row names the claimer that got it.
      claims.forEach((rows, i) => rows.forEach((row) => expect(row.claimedBy).toBe(`owner-${i}`)));
      const rest = await claim('late', 100);
      expect(ids.length + rest.length).toBe(30);
    });

    it('blanks the data once sent, and keeps it in the development outbox', async () => {
      await ctx.stores.mailOutbox.enqueue(mail({ to: 'sent@example.com' }));
      await ctx.stores.mailOutbox.enqueue(mail({ to: 'dev@example.com' }));
      const rows = await claim('a');
      const sent = rows.find((row) => row.to === 'sent@example.com')!;
      const dev = rows.find((row) => row.to === 'dev@example.com')!;
      ctx.clock.advanceSeconds(5);
      expect(
        await ctx.stores.mailQueue.markDelivered(sent.id, 'a', { status: 'sent', at: ctx.clock.now() }),
      ).toBe(true);
      expect(
        await ctx.stores.mailQueue.markDelivered(dev.id, 'a', { status: 'dev', at: ctx.clock.now() }),
      ).toBe(true);
      expect(await ctx.stores.mailQueue.findById(sent.id)).toMatchObject({
        status: 'sent',
        data: {},
        to: 'sent@example.com',
        template: 'verify_email',
        deliveredAt: at(5000),
        claimedBy: null,
        leaseExpiresAt: null,
      });
      expect(await ctx.stores.mailQueue.findById(dev.id)).toMatchObject({
        status: 'dev',
        data: { link: LINK },
      });
      // Delivered messages are never claimed again.
      ctx.clock.advanceSeconds(3600);
      expect(await claim('b')).toEqual([]);
    });

    it('refuses outcomes from a non-holder and changes nothing', async () => {
      await ctx.stores.mailOutbox.enqueue(mail());
      const [row] = await claim('a');
      const before = await ctx.stores.mailQueue.findById(row!.id);
      expect(await ctx.stores.mailQueue.markDelivered(row!.id, 'b', { status: 'sent', at: T0 })).toBe(false);
      expect(await ctx.stores.mailQueue.markAttemptFailed(row!.id, 'b', { error: 'x', retryAt: null })).toBe(
        false,
      );
      expect(await ctx.stores.mailQueue.markDelivered('no-such-id', 'a', { status: 'sent', at: T0 })).toBe(
        false,
      );
      expect(await ctx.stores.mailQueue.findById(row!.id)).toEqual(before);
    });

    it('backs off after a failed attempt, then fails for good when told to', async () => {
      await ctx.stores.mailOutbox.enqueue(mail());
      const [row] = await claim('a');
      const retryAt = at(30_000);
      expect(
        await ctx.stores.mailQueue.markAttemptFailed(row!.id, 'a', { error: '421 try later', retryAt }),
      ).toBe(true);
      expect(await ctx.stores.mailQueue.findById(row!.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        nextAttemptAt: retryAt,
        lastError: '421 try later',
        claimedBy: null,
      });
      ctx.clock.advanceSeconds(29);
      expect(await claim('b')).toEqual([]);
      ctx.clock.advanceSeconds(1);
      expect(await claim('b')).toHaveLength(1);
      expect(
        await ctx.stores.mailQueue.markAttemptFailed(row!.id, 'b', {
          error: '550 no such user',
          retryAt: null,
        }),
      ).toBe(true);
      expect(await ctx.stores.mailQueue.findById(row!.id)).toMatchObject({
        status: 'failed',
        attempts: 2,
        lastError: '550 no such user',
        data: { link: LINK, name: 'Ada' },
      });
      ctx.clock.advanceSeconds(3600);
      expect(await claim('c')).toEqual([]);
    });

    it('retries a failed message by id or every failed one, and nothing else', async () => {
      for (const to of ['a@example.com', 'b@example.com', 'c@example.com'])
        await ctx.stores.mailOutbox.enqueue(mail({ to }));
      const rows = await claim('x');
      const byTo = (to: string) => rows.find((row) => row.to === to)!.id;
      for (const to of ['a@example.com', 'b@example.com']) {
        await ctx.stores.mailQueue.markAttemptFailed(byTo(to), 'x', { error: 'down', retryAt: null });
      }
      await ctx.stores.mailQueue.markDelivered(byTo('c@example.com'), 'x', { status: 'sent', at: T0 });
      ctx.clock.advanceSeconds(10);
      expect(await ctx.stores.mailQueue.retry({ id: byTo('c@example.com') }, ctx.clock.now())).toBe(0);
      expect(await ctx.stores.mailQueue.retry({ id: 'no-such-id' }, ctx.clock.now())).toBe(0);
      expect(await ctx.stores.mailQueue.retry({ id: byTo('a@example.com') }, ctx.clock.now())).toBe(1);
      expect(await ctx.stores.mailQueue.findById(byTo('a@example.com'))).toMatchObject({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at(10_000),
      });
      expect(await ctx.stores.mailQueue.countByStatus()).toEqual({ pending: 1, sent: 1, dev: 0, failed: 1 });
      expect(await ctx.stores.mailQueue.retry({ status: 'failed' }, ctx.clock.now())).toBe(1);
      expect(await ctx.stores.mailQueue.countByStatus()).toEqual({ pending: 2, sent: 1, dev: 0, failed: 0 });
      expect((await claim('y')).map((row) => row.to).sort()).toEqual(['a@example.com', 'b@example.com']);
    });

    it('releases the leases of one owner only', async () => {
      for (const to of ['a@example.com', 'b@example.com']) await ctx.stores.mailOutbox.enqueue(mail({ to }));
      await claim('a', 1);
      await claim('b', 1);
      expect(await ctx.stores.mailQueue.releaseClaims('a')).toBe(1);
      const reclaimed = await claim('c');
      expect(reclaimed).toHaveLength(1);
      expect(await ctx.stores.mailQueue.releaseClaims('nobody')).toBe(0);
    });

    it('lists newest first, by status, at most `limit`', async () => {
      for (const to of ['1@example.com', '2@example.com', '3@example.com']) {
        await ctx.stores.mailOutbox.enqueue(mail({ to }));
        ctx.clock.advanceSeconds(1);
      }
      expect((await ctx.stores.mailQueue.list()).map((row) => row.to)).toEqual([
        '3@example.com',
        '2@example.com',
        '1@example.com',
      ]);
      expect((await ctx.stores.mailQueue.list({ limit: 1 })).map((row) => row.to)).toEqual(['3@example.com']);
      expect(await ctx.stores.mailQueue.list({ status: 'dev' })).toEqual([]);
      expect(await ctx.stores.mailQueue.countByStatus()).toEqual({ pending: 3, sent: 0, dev: 0, failed: 0 });
    });
  });
}
