import { describe, expect, it } from 'vitest';
import { createDevMailbox } from '../../src/mail/dev-mailbox.js';
import { DEFAULT_TEMPLATES } from '../../src/mail/default-templates.js';
import { createMailDrainer } from '../../src/mail/mail-drainer.js';
import { devOutboxTransport } from '../../src/mail/mail-transport.js';
import { buildCheckedApp, createTestDeps } from '../helpers/test-deps.js';

const LINK = 'https://id.example.com/verify?token=dev-token&a=1';

/** The app with the development outbox wired as start-server.ts wires it without SMTP. */
async function devApp() {
  const deps = await createTestDeps();
  const devMailbox = createDevMailbox(deps.stores.mailQueue, DEFAULT_TEMPLATES, {
    from: 'Tessera <no-reply@localhost>',
    publicUrl: 'https://id.example.com',
  });
  const drainer = createMailDrainer({
    queue: deps.stores.mailQueue,
    transport: devOutboxTransport,
    templates: DEFAULT_TEMPLATES,
    audit: deps.stores.audit,
    clock: deps.clock,
    random: deps.random,
    logger: deps.logger,
    from: 'Tessera <no-reply@localhost>',
    publicUrl: 'https://id.example.com',
    retry: { maxAttempts: 3, baseSeconds: 1, maxSeconds: 2 },
  });
  const app = await buildCheckedApp({ ...deps, devMailbox });
  return { app, deps, drainer };
}

describe('GET /dev/mail', () => {
  it('lists kept messages newest first, rendered, with their links', async () => {
    const { app, deps, drainer } = await devApp();
    await deps.stores.mailOutbox.enqueue({
      to: 'a@example.com',
      template: 'verify_email',
      data: { link: LINK },
    });
    deps.clock.advanceSeconds(1);
    await deps.stores.mailOutbox.enqueue({ to: 'b@example.com', template: 'test', data: {} });
    // Pending messages are not listed until the drainer has kept them.
    expect((await app.inject({ method: 'GET', url: '/dev/mail' })).json()).toEqual({ messages: [] });
    await drainer.drainOnce();
    const reply = await app.inject({ method: 'GET', url: '/dev/mail' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    const { messages } = reply.json() as { messages: Record<string, string>[] };
    expect(messages.map((m) => m.to)).toEqual(['b@example.com', 'a@example.com']);
    expect(messages[1]).toMatchObject({
      from: 'Tessera <no-reply@localhost>',
      subject: 'Confirm your e-mail address',
    });
    expect(messages[1]!.text).toContain(LINK);
    expect(messages[1]!.html).toContain('token=dev-token&amp;a=1');
    const one = await app.inject({ method: 'GET', url: '/dev/mail?limit=1' });
    expect(one.statusCode, one.body).toBe(200);
    expect((one.json() as { messages: unknown[] }).messages).toHaveLength(1);
  });

  it.each(['limit=0', 'limit=201', 'limit=x', 'other=1'])(
    'refuses ?%s with 400, not a 500',
    async (query) => {
      const { app } = await devApp();
      const reply = await app.inject({ method: 'GET', url: `/dev/mail?${query}` });
      expect(reply.statusCode).toBe(400);
      expect(reply.headers['content-type']).toContain('application/problem+json');
    },
  );

  it('does not exist when mail is sent over SMTP (no development outbox)', async () => {
    const deps = await createTestDeps();
    const app = await buildCheckedApp(deps);
    expect((await app.inject({ method: 'GET', url: '/dev/mail' })).statusCode).toBe(404);
  });
});
