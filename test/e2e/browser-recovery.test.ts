/**
 * The console pages where the mailed links land, in Chromium against a real Tessera on loopback:
 * the verification link, the reset link with its new-password form, and forgot-password. Links are
 * read from the memory outbox, as a mailbox would show them.
 */
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/http/build-app.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import type { MailTemplateName } from '../../src/stores/mail-outbox.js';
import { createMemoryStores } from '../../src/stores/memory/create-memory-stores.js';
import type { MemoryMailOutbox } from '../../src/stores/memory/memory-mail-outbox.js';
import { browserAvailability, buildConsole, launchChromium, screenshot } from '../helpers/browser.js';
import { fastHasher, testConfig } from '../helpers/test-deps.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase';
const DEADLINE_MS = 20_000;
const availability = browserAvailability();

describe.skipIf(!availability.run)('console link pages in Chromium', { timeout: 120_000 }, () => {
  let app: FastifyInstance;
  let outbox: MemoryMailOutbox;
  let base = '';
  let removeBuild: () => void = () => {};

  beforeAll(async () => {
    const build = await buildConsole();
    removeBuild = build.remove;
    const stores = createMemoryStores({ clock: systemClock });
    outbox = stores.mailOutbox as MemoryMailOutbox;
    // Port 0 then the real address: links are built from the public URL, which must be this server.
    app = await buildApp(
      await createDeps({
        config: testConfig({ issuer: 'http://127.0.0.1:1' }),
        stores,
        clock: systemClock,
        random: cryptoRandom,
        logger: createSilentLogger(),
        hasher: fastHasher,
      }),
      { consoleDir: build.dir },
    );
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    removeBuild();
  });

  /** The newest link of a template sent to `to`, re-pointed at this server. */
  const linkOf = async (template: MailTemplateName, to: string): Promise<string> => {
    const mail = await vi.waitFor(
      () => {
        const found = outbox.messages.filter((m) => m.template === template && m.to === to).at(-1);
        if (found === undefined) throw new Error(`no ${template} mail yet`);
        return found;
      },
      { timeout: DEADLINE_MS },
    );
    const link = new URL(mail.data['link'] ?? '');
    return `${base}/${link.hash}`;
  };
  const result = async (page: Page) => {
    await page.waitForSelector('#recovery-result[data-outcome]', { timeout: DEADLINE_MS });
    return { text: await page.locator('#recovery-result').textContent(), url: page.url() };
  };

  it('verification link verifies; reset link sets a new password; the token leaves the address bar', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${base}/`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: DEADLINE_MS });
      const form = page.getByRole('form', { name: 'Register' });
      await form.getByLabel('E-mail').fill('links@example.com');
      await form.getByLabel('Password').fill(PASSWORD);
      await form.getByRole('button', { name: 'Register' }).click();

      await page.goto(await linkOf('verify_email', 'links@example.com'));
      const verified = await result(page);
      expect(verified.text).toBe('Your e-mail address is verified.');
      expect(verified.url).not.toContain('token');
      await screenshot(page, 'recovery-01-verified');

      const forgot = page.getByRole('form', { name: 'Forgot your password?' });
      await forgot.getByLabel('E-mail').fill('links@example.com');
      await forgot.getByRole('button', { name: 'Send a reset link' }).click();
      await page.goto(await linkOf('password_reset', 'links@example.com'));
      await page.waitForSelector('body[data-ready="true"]', { timeout: DEADLINE_MS });
      const reset = page.getByRole('form', { name: 'Choose a new password' });
      await reset.getByLabel('New password').fill(NEW_PASSWORD);
      await reset.getByRole('button', { name: 'Set the new password' }).click();
      expect((await result(page)).text).toBe('Your password has been changed. Sign in with the new one.');
      await screenshot(page, 'recovery-02-reset');

      const login = await page.request.post(`${base}/auth/login`, {
        data: { email: 'links@example.com', password: NEW_PASSWORD },
      });
      expect(login.status()).toBe(200);
    } finally {
      await browser.close();
    }
  });

  it('a tampered link shows its refusal code', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(
        `${base}/#/verify-email?token=AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
      );
      const refused = await result(page);
      expect(refused.text).toMatch(/^400 link_invalid/);
    } finally {
      await browser.close();
    }
  });
});
