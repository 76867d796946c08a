/**
 * @see issue #12: a start printed raw pino JSON with two "listening" lines. Now one line says where the
 * server listens; on a terminal (or TESSERA_LOG_FORMAT=text) a short banner replaces the JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnInstance, type Instance } from '../helpers/spawn-instance.js';

let dir: string;
const instances: Instance[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-serve-output-'));
});
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function start(name: string, env: Record<string, string> = {}): Promise<Instance> {
  const instance = await spawnInstance({
    name,
    env: { TESSERA_DATABASE_URL: `sqlite:${join(dir, `${name}.db`)}`, TESSERA_PORT: '0', ...env },
    startTimeoutMs: 60_000,
  });
  instances.push(instance);
  return instance;
}

/** Polls until the output holds `text` (the banner follows the listening line), with a deadline. */
async function outputWith(instance: Instance, text: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!instance.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${instance.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return instance.output();
}

describe('tessera serve output', () => {
  it('off a terminal: JSON lines, exactly one saying where it listens', async () => {
    const instance = await start('json');
    const lines = instance.output().trim().split('\n');
    expect(lines.every((line) => line.startsWith('{'))).toBe(true);
    const listening = lines.filter((line) => /listening/i.test(line));
    expect(listening).toHaveLength(1);
    expect(JSON.parse(listening[0]!)).toMatchObject({
      level: 30,
      msg: `Tessera listening on ${instance.url} (store: sqlite ${join(dir, 'json.db')}, algorithm: ES256, mail: development outbox)`,
    });
  });

  it('TESSERA_LOG_FORMAT=text: a readable banner with the console URL, and no JSON', async () => {
    const instance = await start('text', { TESSERA_LOG_FORMAT: 'text' });
    const output = await outputWith(instance, 'Ctrl-C stops the server');
    expect(output).not.toContain('{"level"');
    expect(output).toContain(
      `Tessera listening on ${instance.url} (store: sqlite ${join(dir, 'text.db')}, algorithm: ES256, mail: development outbox)\n`,
    );
    expect(output).toContain(`  console    ${instance.url}/\n`);
    expect(output).toContain(
      `  mail       not sent: kept in the development outbox (no TESSERA_SMTP_URL), listed at ${instance.url}/dev/mail and in the console\n`,
    );
    expect(output.match(/listening/g)).toHaveLength(1);
  });

  it('warnings lead the banner when the server is reachable from other hosts', async () => {
    const instance = await start('warn', {
      TESSERA_LOG_FORMAT: 'text',
      TESSERA_HOST: '0.0.0.0',
      TESSERA_MAIL_DEV_OUTBOX: 'true',
    });
    const output = await outputWith(instance, 'Ctrl-C stops the server');
    expect(output.indexOf('warning: TESSERA_MASTER_KEY is not set')).toBeGreaterThanOrEqual(0);
    expect(output.indexOf('warning: TESSERA_MASTER_KEY is not set')).toBeLessThan(
      output.indexOf('Tessera listening'),
    );
    expect(output).toContain('warning: TESSERA_MAIL_DEV_OUTBOX=true on a non-loopback address');
  });

  it('names the SMTP server (never its password) and the sender when mail is sent', async () => {
    const instance = await start('smtp', {
      TESSERA_LOG_FORMAT: 'text',
      TESSERA_SMTP_URL: 'smtp://mailer:s3cret-pass@127.0.0.1:2525',
      TESSERA_MAIL_FROM: 'Example <no-reply@example.com>',
    });
    const output = await outputWith(instance, 'Ctrl-C stops the server');
    expect(output).toContain('mail: SMTP smtp://127.0.0.1:2525)\n');
    expect(output).toContain(
      '  mail       SMTP smtp://127.0.0.1:2525, from Example <no-reply@example.com>\n',
    );
    expect(output).not.toContain('s3cret-pass');
  });
});
