import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../../../src/mail/default-templates.js';
import { createMailDrainer, type MailDrainer } from '../../../src/mail/mail-drainer.js';
import {
  devOutboxTransport,
  MailDeliveryError,
  type MailEnvelope,
  type MailTransport,
} from '../../../src/mail/mail-transport.js';
import { createFixedClock } from '../../../src/platform/clock.js';
import { createLogger } from '../../../src/platform/logger.js';
import { MemoryAuditStore } from '../../../src/stores/memory/memory-audit-store.js';
import { MemoryMailOutbox } from '../../../src/stores/memory/memory-mail-outbox.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const LINK = 'https://id.example.com/verify?token=secret-token';

/** A transport that fails with the queued errors first, then accepts. */
function fakeTransport(kind: 'smtp' | 'dev' = 'smtp') {
  const sent: MailEnvelope[] = [];
  const failures: Error[] = [];
  const transport: MailTransport = {
    kind,
    description: 'fake',
    async send(mail) {
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      sent.push(mail);
    },
    close: async () => {},
  };
  return { transport, sent, failures };
}

describe('mail drainer', () => {
  let clock: ReturnType<typeof createFixedClock>;
  let queue: MemoryMailOutbox;
  let audit: MemoryAuditStore;

  beforeEach(() => {
    clock = createFixedClock(T0);
    queue = new MemoryMailOutbox(clock);
    audit = new MemoryAuditStore();
  });

  function drainer(transport: MailTransport, maxAttempts = 3): MailDrainer {
    return createMailDrainer({
      queue,
      transport,
      templates: DEFAULT_TEMPLATES,
      audit,
      clock,
      // Zero bytes: jitter 0, the wait is exactly half the backoff step.
      random: { bytes: (n) => new Uint8Array(n) },
      logger: createLogger({ level: 'silent' }),
      from: 'Example <no-reply@example.com>',
      publicUrl: 'https://id.example.com',
      retry: { maxAttempts, baseSeconds: 60, maxSeconds: 600 },
    });
  }

  const enqueue = () =>
    queue.enqueue({ to: 'ada@example.com', template: 'verify_email', data: { link: LINK } });
  const only = async () => (await queue.list())[0]!;

  it('renders and sends a due message, blanks its data and audits it', async () => {
    const fake = fakeTransport();
    await enqueue();
    expect(await drainer(fake.transport).drainOnce()).toBe(1);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      from: 'Example <no-reply@example.com>',
      to: 'ada@example.com',
      subject: 'Confirm your e-mail address',
    });
    expect(fake.sent[0]!.text).toContain(LINK);
    expect(await only()).toMatchObject({ status: 'sent', data: {}, deliveredAt: T0 });
    const [event] = await audit.list();
    expect(event).toMatchObject({
      type: 'mail_sent',
      detail: { template: 'verify_email', to: 'ada@example.com' },
    });
    expect(JSON.stringify(event)).not.toContain('secret-token');
  });

  it('retries a temporary failure after the backoff, then delivers', async () => {
    const fake = fakeTransport();
    fake.failures.push(new MailDeliveryError('451 busy', { permanent: false }));
    await enqueue();
    const subject = drainer(fake.transport);
    await subject.drainOnce();
    expect(await only()).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: '451 busy',
      nextAttemptAt: new Date(T0.getTime() + 30_000),
    });
    clock.advanceSeconds(29);
    expect(await subject.drainOnce()).toBe(0);
    clock.advanceSeconds(1);
    expect(await subject.drainOnce()).toBe(1);
    expect(fake.sent).toHaveLength(1);
    expect((await only()).status).toBe('sent');
    expect(subject.counts()).toEqual({ delivered: 1, failedAttempts: 1, failed: 0 });
  });

  it('fails a message after the last attempt, audited and counted', async () => {
    const fake = fakeTransport();
    fake.failures.push(...[1, 2, 3].map(() => new Error('ECONNREFUSED')));
    await enqueue();
    const subject = drainer(fake.transport, 3);
    for (let i = 0; i < 3; i += 1) {
      await subject.drainOnce();
      clock.advanceSeconds(600);
    }
    expect(await only()).toMatchObject({ status: 'failed', attempts: 3, data: { link: LINK } });
    expect(subject.counts()).toEqual({ delivered: 0, failedAttempts: 3, failed: 1 });
    const events = await audit.list({ type: 'mail_failed' });
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ attempts: 3, error: 'ECONNREFUSED' });
    expect(fake.sent).toEqual([]);
  });

  it('fails at once on a permanent refusal (SMTP 5xx)', async () => {
    const fake = fakeTransport();
    fake.failures.push(new MailDeliveryError('550 no such user', { permanent: true }));
    await enqueue();
    await drainer(fake.transport).drainOnce();
    expect(await only()).toMatchObject({ status: 'failed', attempts: 1, lastError: '550 no such user' });
    expect(await audit.list({ type: 'mail_failed' })).toHaveLength(1);
  });

  it('keeps mail whole in the development outbox, without an audit row', async () => {
    await enqueue();
    await drainer(devOutboxTransport).drainOnce();
    expect(await only()).toMatchObject({ status: 'dev', data: { link: LINK } });
    expect(await audit.list()).toEqual([]);
  });

  it('running: sends what is enqueued when woken, and releases its leases when stopped', async () => {
    const fake = fakeTransport();
    const subject = drainer(fake.transport);
    subject.start();
    await enqueue();
    subject.wake();
    await expect.poll(() => fake.sent.length, { timeout: 20_000 }).toBe(1);
    await subject.stop();
    // Stopped: nothing more is sent, and nothing is left leased to it.
    await enqueue();
    subject.wake();
    expect(await queue.releaseClaims(subject.owner)).toBe(0);
    expect(fake.sent).toHaveLength(1);
  });
});
