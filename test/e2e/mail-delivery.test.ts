/**
 * Mail over real sockets: `tessera serve` children drain the durable outbox to an SMTP server on
 * loopback (smtp-server), which keeps what arrives. Messages are enqueued into the same database by
 * this process (as a flow on any instance would), so the running servers find them by polling.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFixedClock, systemClock } from '../../src/platform/clock.js';
import { createPostgresStores } from '../../src/stores/postgres/create-postgres-stores.js';
import { createSqliteStores } from '../../src/stores/sqlite/create-sqlite-stores.js';
import type { Stores } from '../../src/stores/types.js';
import { expectCliFailure, expectCliSuccess, runTessera } from '../helpers/cli-runner.js';
import {
  createTestSchema,
  postgresUrl,
  servicesAvailable,
  withSearchPath,
  type TestSchema,
} from '../helpers/services.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { spawnInstance, type Instance } from '../helpers/spawn-instance.js';

// Children start in seconds on a quiet machine, many on a loaded one: bounds, not paces.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const FROM = 'Tessera Test <no-reply@tessera.test>';
const PUBLIC_URL = 'https://id.tessera.test';
let dir: string;
const instances: Instance[] = [];
const sinks: SmtpSink[] = [];
const opened: Stores[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-mail-e2e-'));
});
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await Promise.all(opened.map((stores) => stores.close()));
  await Promise.all(sinks.map((sink) => sink.close()));
  await rm(dir, { recursive: true, force: true });
});

async function sink(): Promise<SmtpSink> {
  const started = await startSmtpSink();
  sinks.push(started);
  return started;
}

async function serve(name: string, env: Record<string, string>): Promise<Instance> {
  const instance = await spawnInstance({ name, env: { TESSERA_PUBLIC_URL: PUBLIC_URL, ...env } });
  instances.push(instance);
  return instance;
}

function smtpEnv(smtp: SmtpSink, databaseUrl: string): Record<string, string> {
  return {
    TESSERA_DATABASE_URL: databaseUrl,
    TESSERA_SMTP_URL: smtp.url,
    TESSERA_MAIL_FROM: FROM,
    // Short waits, so an outage of a few seconds is retried within the test.
    TESSERA_MAIL_RETRY_BASE: '1s',
    TESSERA_MAIL_RETRY_MAX: '2s',
    TESSERA_MAIL_MAX_ATTEMPTS: '100',
  };
}

describe('mail delivery over SMTP (SQLite)', () => {
  let smtp: SmtpSink;
  let stores: Stores;
  let databaseUrl: string;

  beforeAll(async () => {
    smtp = await sink();
    databaseUrl = `sqlite:${join(dir, 'smtp.db')}`;
    await serve('smtp', smtpEnv(smtp, databaseUrl));
    stores = await createSqliteStores({ path: join(dir, 'smtp.db'), clock: systemClock });
    opened.push(stores);
  });

  it('delivers with the right From, To, subject and link, then blanks the stored data', async () => {
    const link = `${PUBLIC_URL}/reset?token=e2e-one-time-token`;
    await stores.mailOutbox.enqueue({
      to: 'ada@example.com',
      template: 'password_reset',
      data: { link, name: 'Ada <3' },
    });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.from).toBe('no-reply@tessera.test');
    expect(mail!.to).toEqual(['ada@example.com']);
    expect(mail!.headers.from).toBe('Tessera Test <no-reply@tessera.test>');
    expect(mail!.subject).toBe('Reset your password');
    expect(mail!.text).toContain(link);
    expect(mail!.text).toContain('Hello Ada <3,');
    expect(mail!.html).toContain(`href="${link}"`);
    expect(mail!.html).toContain('Hello Ada &lt;3,');
    await expect
      .poll(async () => (await stores.mailQueue.list({ limit: 1 }))[0], { timeout: 30_000 })
      .toMatchObject({ status: 'sent', data: {}, to: 'ada@example.com', template: 'password_reset' });
    expect((await stores.audit.list({ type: 'mail_sent' }))[0]?.detail).toMatchObject({
      to: 'ada@example.com',
    });
  });

  it('delivers after the SMTP server comes back: not listening, then answering 451', async () => {
    const before = smtp.received.length;
    await smtp.stop();
    await stores.mailOutbox.enqueue({ to: 'down@example.com', template: 'test', data: {} });
    await expect
      .poll(async () => (await stores.mailQueue.list({ limit: 1 }))[0]?.attempts ?? 0, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);
    expect((await stores.mailQueue.list({ limit: 1 }))[0]?.lastError).toMatch(/ECONNREFUSED/);
    smtp.setMode('tempfail');
    await smtp.start();
    const attemptsBefore = (await stores.mailQueue.list({ limit: 1 }))[0]!.attempts;
    await expect
      .poll(async () => (await stores.mailQueue.list({ limit: 1 }))[0]!.attempts, { timeout: 30_000 })
      .toBeGreaterThan(attemptsBefore);
    expect((await stores.mailQueue.list({ limit: 1 }))[0]?.lastError).toMatch(/^451 /);
    expect(smtp.received).toHaveLength(before);
    smtp.setMode('accept');
    const received = await smtp.waitFor(before + 1);
    expect(received[before]!.to).toEqual(['down@example.com']);
    expect(received[before]!.subject).toBe('Tessera test message');
    await expect
      .poll(async () => (await stores.mailQueue.list({ limit: 1 }))[0]?.status, { timeout: 30_000 })
      .toBe('sent');
  });

  it('tessera mail test queues a message the server sends; mail outbox lists it without its data', async () => {
    const before = smtp.received.length;
    const env = { TESSERA_DATABASE_URL: databaseUrl, TESSERA_SMTP_URL: smtp.url, TESSERA_MAIL_FROM: FROM };
    expectCliSuccess(await runTessera(['mail', 'test', '--to', 'Ops@Example.com'], { env }));
    const received = await smtp.waitFor(before + 1);
    expect(received[before]!.to).toEqual(['ops@example.com']);
    await expect
      .poll(async () => (await stores.mailQueue.list({ limit: 1 }))[0]?.status, { timeout: 30_000 })
      .toBe('sent');
    const listed = await runTessera(['mail', 'outbox', '--json'], { env });
    expectCliSuccess(listed);
    const body = JSON.parse(listed.stdout) as {
      messages: { to: string; status: string }[];
      counts: Record<string, number>;
    };
    expect(body.messages[0]).toMatchObject({ to: 'ops@example.com', status: 'sent' });
    expect(body.counts.sent).toBeGreaterThanOrEqual(3);
    expect(listed.stdout).not.toContain('e2e-one-time-token');
    expectCliFailure(
      await runTessera(['mail', 'test', '--to', 'not-an-address'], { env }),
      1,
      /invalid_email/,
    );
    expectCliFailure(await runTessera(['mail', 'test'], { env }), 2, /missing --to/);
  });
});

describe('tessera mail outbox retry', () => {
  it('puts a failed message back, and the server sends it', async () => {
    const smtp = await sink();
    const path = join(dir, 'retry.db');
    const clock = createFixedClock(new Date());
    const stores = await createSqliteStores({ path, clock });
    opened.push(stores);
    await stores.mailOutbox.enqueue({ to: 'failed@example.com', template: 'test', data: {} });
    const [row] = await stores.mailQueue.claimDue({
      owner: 'earlier',
      now: clock.now(),
      leaseExpiresAt: clock.now(),
      limit: 1,
    });
    await stores.mailQueue.markAttemptFailed(row!.id, 'earlier', { error: '550 refused', retryAt: null });
    const env = {
      TESSERA_DATABASE_URL: `sqlite:${path}`,
      TESSERA_SMTP_URL: smtp.url,
      TESSERA_MAIL_FROM: FROM,
    };
    expectCliFailure(
      await runTessera(['mail', 'outbox', 'retry', 'no-such-id'], { env }),
      1,
      /no failed message has the id no-such-id/,
    );
    expectCliFailure(
      await runTessera(['mail', 'outbox', 'retry'], { env }),
      2,
      /give a message id or --failed/,
    );
    expectCliFailure(
      await runTessera(['mail', 'outbox', '--status', 'lost'], { env }),
      2,
      /--status must be one of/,
    );
    const failed = await runTessera(['mail', 'outbox', '--status', 'failed'], { env });
    expectCliSuccess(failed);
    expect(failed.stdout).toContain('550 refused');
    expectCliSuccess(await runTessera(['mail', 'outbox', 'retry', '--', row!.id], { env }));
    expect((await stores.audit.list({ type: 'mail_retried' }))[0]?.detail).toEqual({ mail_id: row!.id });
    await serve('retry', { ...env, TESSERA_MAIL_RETRY_BASE: '1s' });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(['failed@example.com']);
  });
});

describe('the development outbox', () => {
  it('keeps mail with its links and lists it at GET /dev/mail; the route is absent with SMTP', async () => {
    const path = join(dir, 'dev.db');
    const instance = await serve('dev', { TESSERA_DATABASE_URL: `sqlite:${path}` });
    const stores = await createSqliteStores({ path, clock: systemClock });
    opened.push(stores);
    const link = `${PUBLIC_URL}/verify?token=dev-token`;
    await stores.mailOutbox.enqueue({ to: 'dev@example.com', template: 'verify_email', data: { link } });
    await expect
      .poll(async () => (await stores.mailQueue.list({ limit: 1 }))[0]?.status, { timeout: 30_000 })
      .toBe('dev');
    const response = await fetch(`${instance.url}/dev/mail`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { messages: { to: string; subject: string; text: string }[] };
    expect(body.messages[0]).toMatchObject({ to: 'dev@example.com', subject: 'Confirm your e-mail address' });
    expect(body.messages[0]!.text).toContain(link);
    const bad = await fetch(`${instance.url}/dev/mail?limit=0`);
    expect(bad.status).toBe(400);
    const smtpServer =
      instances.find((candidate) => candidate.output().includes('SMTP')) ??
      (await serve('smtp-404', smtpEnv(await sink(), `sqlite:${join(dir, 'smtp-404.db')}`)));
    expect((await fetch(`${smtpServer.url}/dev/mail`)).status).toBe(404);
  });

  it('a non-loopback listener without SMTP or an explicit dev outbox refuses to start, in one line', async () => {
    const run = await runTessera(['serve'], {
      env: { TESSERA_HOST: '0.0.0.0', TESSERA_DATABASE_URL: `sqlite:${join(dir, 'refused.db')}` },
    });
    expect(run.code).toBe(78);
    expect(run.stderr).toBe(
      'tessera: configuration error: TESSERA_SMTP_URL: is not set and TESSERA_HOST (0.0.0.0) is not loopback: set TESSERA_SMTP_URL to send mail, or TESSERA_MAIL_DEV_OUTBOX=true to keep it in the development outbox\n',
    );
  });
});

const postgres = await servicesAvailable('mail e2e on PostgreSQL', { postgres: true });

describe.skipIf(!postgres)('two instances on one PostgreSQL', () => {
  let schema: TestSchema;

  beforeAll(async () => {
    schema = await createTestSchema('tessera_mail_e2e');
  });
  afterAll(async () => {
    await schema?.drop();
  });

  it('send every message exactly once', async () => {
    const smtp = await sink();
    const url = withSearchPath(postgresUrl(), schema.name);
    const stores = await createPostgresStores({
      url: postgresUrl(),
      clock: systemClock,
      schema: schema.name,
      poolSize: 2,
    });
    opened.push(stores);
    const env = smtpEnv(smtp, url);
    await Promise.all([serve('A', env), serve('B', env)]);
    const count = 40;
    for (let i = 0; i < count; i += 1) {
      await stores.mailOutbox.enqueue({ to: `user${i}@example.com`, template: 'test', data: {} });
    }
    await smtp.waitFor(count);
    await expect
      .poll(async () => (await stores.mailQueue.countByStatus()).sent, { timeout: 60_000 })
      .toBe(count);
    const recipients = smtp.received.map((mail) => mail.to[0]);
    expect(recipients).toHaveLength(count);
    expect(new Set(recipients).size).toBe(count);
    // One audit row per message: no instance recorded a second send.
    expect(await stores.audit.list({ type: 'mail_sent', limit: 1000 })).toHaveLength(count);
  });
});
