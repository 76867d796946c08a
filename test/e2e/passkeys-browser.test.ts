/**
 * Passkeys in real Chromium: the DevTools protocol's virtual authenticator (ctap2, internal, resident
 * keys, user verification) stands in for Touch ID, and the console page drives the SDK, so
 * registration and sign-in run through tessera/client and @simplewebauthn/browser for real.
 */
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/flows/deps.js';
import { buildApp } from '../../src/http/build-app.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { createMemoryStores } from '../../src/stores/memory/create-memory-stores.js';
import { browserAvailability, buildConsole, CHROMIUM_PATH, launchChromium } from '../helpers/browser.js';
import type { PageGlobals } from '../helpers/page-globals.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { fastHasher, testConfig } from '../helpers/test-deps.js';

const DEADLINE_MS = 20_000;
const PASSWORD = 'correct horse battery staple';
const availability = browserAvailability();
if (!availability.run) console.warn(`SKIP passkey browser tests: ${CHROMIUM_PATH} is missing`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });
}

let app: FastifyInstance;
let deps: Deps;
let url = '';
let proxy: TcpProxy;
let removeBuild: () => void = () => {};

async function openConsole(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/?storage=memory&mode=jwt`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: DEADLINE_MS });
}

async function clickForResult(page: Page, button: string): Promise<string> {
  await page.evaluate(() => {
    (globalThis as unknown as PageGlobals).document.getElementById('result')!.textContent = '(waiting)';
  });
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForFunction(
    () =>
      (globalThis as unknown as PageGlobals).document.getElementById('result')!.textContent !== '(waiting)',
    undefined,
    { timeout: DEADLINE_MS },
  );
  return (await page.locator('#result').textContent()) ?? '';
}

async function addAuthenticator(cdp: CDPSession): Promise<string> {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}

describe.skipIf(!availability.run)('passkeys in Chromium (virtual authenticator)', () => {
  beforeAll(async () => {
    const build = await buildConsole();
    removeBuild = build.remove;
    const port = await freePort();
    // Browsers refuse an IP address as RP ID: the page is served as http://localhost.
    url = `http://localhost:${port}`;
    deps = await createDeps({
      config: testConfig({
        issuer: url,
        publicUrl: url,
        port,
        webauthn: { rpId: 'localhost', rpName: 'Tessera e2e', origins: [url] },
      }),
      stores: createMemoryStores({ clock: systemClock }),
      clock: systemClock,
      random: cryptoRandom,
      logger: createSilentLogger(),
      hasher: fastHasher,
    });
    app = await buildApp(deps, { consoleDir: build.dir });
    await app.listen({ host: '127.0.0.1', port });
    // The same server at another origin (another port): same RP ID, an origin it does not allow.
    proxy = await startTcpProxy({ targetPort: port });
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await app?.close();
    removeBuild();
  });

  it('registers a passkey, signs in with it alone, and refuses a clone and a foreign origin', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('WebAuthn.enable', { enableUI: false });
      const first = await addAuthenticator(cdp);
      await openConsole(page, url);

      // Registration through the console (SDK → @simplewebauthn/browser → navigator.credentials.create).
      const form = page.getByRole('form', { name: 'Register' });
      await form.getByLabel('E-mail').fill('passkey@example.com');
      await form.getByLabel('Password').fill(PASSWORD);
      await form.getByRole('button', { name: 'Register' }).click();
      await page.waitForSelector('#auth-status[data-state="signed-in"]', { timeout: DEADLINE_MS });
      await page.getByLabel('Name for a new passkey').fill('Chromium virtual key');
      expect(await clickForResult(page, 'Add a passkey')).toContain('Passkey Chromium virtual key added.');
      const user = await deps.stores.users.findByEmail('passkey@example.com');
      const stored = await deps.stores.passkeys.listForUser(user!.id);
      expect(stored).toHaveLength(1);
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: first });
      expect(credentials).toHaveLength(1);
      expect(credentials[0]!.isResidentCredential).toBe(true);
      expect(stored[0]!.credentialId).toBe(
        Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url'),
      );

      // Passwordless sign-in: signed out, then the passkey alone.
      await page.getByRole('button', { name: 'Sign out here (local)' }).click();
      await page.waitForSelector('#auth-status[data-state="signed-out"]', { timeout: DEADLINE_MS });
      expect(await clickForResult(page, 'Sign in with a passkey')).toContain('Signed in with a passkey.');
      await page.waitForSelector('#auth-status[data-state="signed-in"]', { timeout: DEADLINE_MS });
      const token = await page.evaluate(
        () => (globalThis as unknown as PageGlobals).document.getElementById('inspector')!.textContent,
      );
      expect(token).toContain('urn:tessera:acr:2fa');
      const afterSignIn = (await deps.stores.passkeys.listForUser(user!.id))[0]!;
      expect(afterSignIn.lastUsedAt).not.toBeNull();
      expect(afterSignIn.counter).toBeGreaterThan(0);

      // A clone: the same key exported and imported into a second authenticator with a lower counter.
      const [exported] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId: first })).credentials;
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
      const second = await addAuthenticator(cdp);
      await cdp.send('WebAuthn.addCredential', {
        authenticatorId: second,
        credential: { ...exported!, signCount: 0 },
      });
      await page.getByRole('button', { name: 'Sign out here (local)' }).click();
      await page.waitForSelector('#auth-status[data-state="signed-out"]', { timeout: DEADLINE_MS });
      expect(await clickForResult(page, 'Sign in with a passkey')).toContain('passkey_cloned');
      expect(await deps.stores.audit.list({ type: 'passkey_clone_detected' })).toHaveLength(1);
      expect((await deps.stores.passkeys.listForUser(user!.id))[0]!.counter).toBe(afterSignIn.counter);

      // The same server reached at another origin: the browser accepts the RP ID, the server refuses the page.
      const foreign = await browser.context.newPage();
      const foreignCdp = await browser.context.newCDPSession(foreign);
      await foreignCdp.send('WebAuthn.enable', { enableUI: false });
      const third = await addAuthenticator(foreignCdp);
      await foreignCdp.send('WebAuthn.addCredential', {
        authenticatorId: third,
        credential: { ...exported!, signCount: afterSignIn.counter + 100 },
      });
      await openConsole(foreign, `http://localhost:${proxy.port}`);
      expect(await clickForResult(foreign, 'Sign in with a passkey')).toContain('passkey_origin_mismatch');
      expect((await deps.stores.passkeys.listForUser(user!.id))[0]!.counter).toBe(afterSignIn.counter);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
