/**
 * The console in a real browser (Debian's Chromium through playwright-core), against a real Tessera on
 * loopback. Every auth action in the page goes through the SDK (src/client), so these are the SDK's
 * end-to-end tests too. Screenshots of each step go to artifacts/browser/ (git-ignored).
 *
 * Skipped only when /usr/bin/chromium is missing AND TEST_REQUIRE_BROWSER is unset (CI sets it).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_PATH,
  SCREENSHOT_DIR,
  browserAvailability,
  buildConsole,
  launchChromium,
  screenshot,
  startConsoleServer,
  type ConsoleServer,
} from '../helpers/browser.js';
import type { PageGlobals, PageStorage } from '../helpers/page-globals.js';

/** Short enough to see automatic refreshes within a test, long enough that a slow CI step does not expire it. */
const ACCESS_TTL_SECONDS = 10;
/** The console refreshes this long before expiry (plus up to 20 % jitter): first refresh ~6.4–7 s after sign-in. */
const LEEWAY_SECONDS = 3;
const PASSWORD = 'correct horse battery staple';
const DEADLINE_MS = 20_000;
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;
/** Opaque `<id>.<secret>` tokens (refresh, session): two base64url runs around a dot. */
const OPAQUE_TOKEN_SHAPE = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{20,}/;

const availability = browserAvailability();
if (!availability.run)
  console.warn(
    `SKIP browser tests: ${CHROMIUM_PATH} is missing (set TEST_REQUIRE_BROWSER=1 to fail instead)`,
  );

let server: ConsoleServer;
let buildDir = '';
let removeBuild: () => void = () => {};

function consoleUrl(storage: string, mode = 'jwt', base = server.url): string {
  return `${base}/?storage=${storage}&mode=${mode}&leeway=${LEEWAY_SECONDS}`;
}

async function openConsole(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: DEADLINE_MS });
}

async function waitForAuthState(page: Page, state: 'signed-in' | 'signed-out'): Promise<void> {
  try {
    await page.waitForSelector(`#auth-status[data-state="${state}"]`, { timeout: DEADLINE_MS });
  } catch (error) {
    // Say what the page said (the last result, e.g. a problem code), not only that it timed out.
    const shown = await page.locator('#result').textContent();
    throw new Error(`the page did not become ${state}; its last result: ${shown}`, { cause: error });
  }
}

/** Clicks a button and returns the text its result area shows afterwards. */
async function clickForResult(page: Page, button: string, resultId = 'result'): Promise<string> {
  await page.evaluate((id) => {
    const { document } = globalThis as unknown as PageGlobals;
    document.getElementById(id)!.textContent = '(waiting)';
  }, resultId);
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForFunction(
    (id) => (globalThis as unknown as PageGlobals).document.getElementById(id)!.textContent !== '(waiting)',
    resultId,
    {
      timeout: DEADLINE_MS,
    },
  );
  return (await page.locator(`#${resultId}`).textContent()) ?? '';
}

async function register(page: Page, email: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Register' });
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Register' }).click();
  await waitForAuthState(page, 'signed-in');
}

async function signIn(page: Page, email: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await waitForAuthState(page, 'signed-in');
}

/**
 * One user on two devices: two Chromium profiles (separate cookie jars, storage and channels), the
 * user registered on A and signed in on B, each with its own session.
 */
async function twoDevices(email: string) {
  const [deviceA, deviceB] = await Promise.all([launchChromium(), launchChromium()]);
  const [pageA, pageB] = await Promise.all([deviceA.context.newPage(), deviceB.context.newPage()]);
  await Promise.all([openConsole(pageA, consoleUrl('memory')), openConsole(pageB, consoleUrl('memory'))]);
  await register(pageA, email);
  await signIn(pageB, email);
  return {
    pageA,
    pageB,
    close: () => Promise.all([deviceA.close(), deviceB.close()]),
  };
}

/** The decoded header or payload of the JWT the inspector shows. */
async function shownJwtPart(page: Page, part: 0 | 1): Promise<Record<string, unknown>> {
  const token = await shownToken(page);
  if (token === null) throw new Error('the page shows no JWT');
  return JSON.parse(Buffer.from(token.split('.')[part]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** The access token the inspector shows (the SDK's getAccessToken()), or null. */
async function shownToken(page: Page): Promise<string | null> {
  const jwt = page.locator('#inspector .jwt');
  return (await jwt.count()) === 0 ? null : await jwt.textContent();
}

describe.skipIf(!availability.run)('console in Chromium', () => {
  beforeAll(async () => {
    if (availability.missingButRequired) {
      throw new Error(`TEST_REQUIRE_BROWSER=1 but ${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
    }
    const build = await buildConsole();
    buildDir = build.dir;
    removeBuild = build.remove;
    server = await startConsoleServer(build.dir, {
      accessTokenTtlSeconds: ACCESS_TTL_SECONDS,
      // A revoked session's access tokens are refused at once, so "logout → secure API rejected"
      // holds for a token the page kept, not only for a page that forgot it.
      strictMode: true,
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    removeBuild();
  });

  it('login → secure API → automatic refresh → tampered token rejected → logout → secure API rejected', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await openConsole(page, consoleUrl('memory'));
      await screenshot(page, 'flow-01-signed-out');

      await register(page, 'flow@example.com');
      const first = await shownToken(page);
      expect(first).toMatch(JWT_SHAPE);
      await screenshot(page, 'flow-02-signed-in');

      expect(await clickForResult(page, 'Call secure API')).toMatch(
        /^\/api\/secure → 200[\s\S]*protected resource/,
      );
      await screenshot(page, 'flow-03-secure-api');

      // Automatic refresh: nothing clicked, the SDK renews before exp and the page shows a new token.
      server.resetCounts();
      await page.waitForSelector('#events [data-event="refreshed"]', { timeout: DEADLINE_MS });
      const refreshed = await shownToken(page);
      expect(refreshed).toMatch(JWT_SHAPE);
      expect(refreshed).not.toBe(first);
      expect(server.count('/auth/refresh')).toBeGreaterThanOrEqual(1);
      expect(await clickForResult(page, 'Call secure API')).toMatch(/^\/api\/secure → 200/);
      await screenshot(page, 'flow-04-refreshed');

      // The inspector verifies the signature with the server's JWKS key, and fails with a random key.
      expect(await clickForResult(page, "Verify with the server's public key", 'verify-result')).toMatch(
        /Signature VALID with the server's ES256 public key/,
      );
      expect(await clickForResult(page, 'Verify with a wrong key', 'verify-result')).toMatch(
        /Signature INVALID with a freshly generated ES256 key/,
      );
      await screenshot(page, 'flow-05-inspector');

      // A user without the role is refused the admin API; editing the payload to claim it breaks the signature.
      expect(await clickForResult(page, 'Call admin API')).toMatch(
        /^\/api\/admin → 403[\s\S]*"code": "insufficient_scope"/,
      );
      await page.getByRole('button', { name: 'Set roles to ["admin"]' }).click();
      expect(await page.getByLabel('Payload (JSON)').inputValue()).toMatch(/"roles": \[\s*"admin"\s*\]/);
      const tamperedAdmin = await clickForResult(page, 'Send tampered token to /api/admin', 'tamper-result');
      expect(tamperedAdmin).toMatch(/^\/api\/admin → 401[\s\S]*"code": "token_signature_invalid"/);
      const tamperedSecure = await clickForResult(
        page,
        'Send tampered token to /api/secure',
        'tamper-result',
      );
      expect(tamperedSecure).toMatch(/^\/api\/secure → 401[\s\S]*"code": "token_signature_invalid"/);
      await screenshot(page, 'flow-06-tampered');

      // The sessions (devices) list names this page's session.
      await page.getByRole('button', { name: 'Load my sessions' }).click();
      await page.waitForSelector('#sessions tbody tr', { timeout: DEADLINE_MS });
      expect(await page.locator('#sessions tbody tr').count()).toBe(1);
      expect(await page.locator('#sessions tbody tr').first().textContent()).toContain('this page');
      await screenshot(page, 'flow-07-sessions');

      // Logout: the page forgets the token and the server refuses the one it had (strict mode).
      const lastToken = (await shownToken(page))!;
      expect(await clickForResult(page, 'Sign out here (local)')).toMatch(/Signed out here/);
      await waitForAuthState(page, 'signed-out');
      expect(await shownToken(page)).toBeNull();
      expect(await clickForResult(page, 'Call secure API')).toMatch(/^\/api\/secure → 401/);
      const replay = await page.evaluate(async (token) => {
        const response = await fetch('/api/secure', { headers: { authorization: `Bearer ${token}` } });
        return { status: response.status, body: await response.text() };
      }, lastToken);
      expect(replay.status).toBe(401);
      expect(replay.body).toContain('"code":"session_revoked"');
      await screenshot(page, 'flow-08-signed-out-rejected');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('two tabs: one refresh request between them, and logout in one signs out the other', async () => {
    const browser = await launchChromium();
    try {
      const tabA = await browser.context.newPage();
      await openConsole(tabA, consoleUrl('memory'));
      await register(tabA, 'tabs@example.com');
      const tabB = await browser.context.newPage();
      await openConsole(tabB, consoleUrl('memory'));
      await waitForAuthState(tabB, 'signed-in');
      await screenshot(tabA, 'tabs-01-tab-a-signed-in');
      await screenshot(tabB, 'tabs-02-tab-b-signed-in');

      // Both tabs hold the same token and schedule the same refresh; exactly one request must go out.
      await tabB.waitForFunction(
        (token) =>
          (globalThis as unknown as PageGlobals).document.querySelector('#inspector .jwt')?.textContent ===
          token,
        await shownToken(tabA),
        { timeout: DEADLINE_MS },
      );
      const before = await shownToken(tabA);
      server.resetCounts();
      await tabA.waitForFunction(
        (token) => {
          const { document } = globalThis as unknown as PageGlobals;
          const shown = document.querySelector('#inspector .jwt')?.textContent;
          return shown !== undefined && shown !== token;
        },
        before,
        { timeout: DEADLINE_MS },
      );
      const renewed = await shownToken(tabA);
      await tabB.waitForFunction(
        (token) =>
          (globalThis as unknown as PageGlobals).document.querySelector('#inspector .jwt')?.textContent ===
          token,
        renewed,
        { timeout: DEADLINE_MS },
      );
      // Past the other tab's jitter window (20 % of the leeway) and well before the next cycle (~6 s on).
      await tabA.waitForTimeout(LEEWAY_SECONDS * 0.2 * 1000 + 1000);
      expect(server.count('/auth/refresh')).toBe(1);
      await screenshot(tabB, 'tabs-03-tab-b-refreshed-by-tab-a');

      // Measured in the pages (one browser, one clock): from the click in tab A to tab B's status change.
      await tabA.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const button = document.getElementById('logout-local')!;
        button.addEventListener('click', () => (document.body.dataset.clickedAt = String(Date.now())), {
          capture: true,
        });
      });
      await tabB.evaluate(() => {
        const { document, MutationObserver } = globalThis as unknown as PageGlobals;
        const status = document.getElementById('auth-status')!;
        new MutationObserver(() => {
          if (status.dataset.state === 'signed-out') document.body.dataset.signedOutAt ??= String(Date.now());
        }).observe(status, { attributes: true });
      });
      await tabA.getByRole('button', { name: 'Sign out here (local)' }).click();
      await waitForAuthState(tabB, 'signed-out');
      const clickedAt = Number(
        await tabA.evaluate(() => (globalThis as unknown as PageGlobals).document.body.dataset.clickedAt),
      );
      const signedOutAt = Number(
        await tabB.evaluate(() => (globalThis as unknown as PageGlobals).document.body.dataset.signedOutAt),
      );
      const delayMs = signedOutAt - clickedAt;
      expect(delayMs).toBeGreaterThanOrEqual(0);
      writeFileSync(join(SCREENSHOT_DIR, 'tabs-logout-delay.json'), JSON.stringify({ delayMs }) + '\n');
      console.info(`browser: logout in tab A reached tab B after ${delayMs} ms`);
      await waitForAuthState(tabA, 'signed-out');
      expect(await shownToken(tabB)).toBeNull();
      expect(await clickForResult(tabB, 'Call secure API')).toMatch(/^\/api\/secure → 401/);
      await screenshot(tabB, 'tabs-04-tab-b-signed-out');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it.each(['jwt', 'session'])(
    'cookie storage (%s mode): no token is readable by page JavaScript',
    async (mode) => {
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        await openConsole(page, consoleUrl('cookie', mode));
        await register(page, `cookie-${mode}@example.com`);
        expect(await clickForResult(page, 'Call secure API')).toMatch(/^\/api\/secure → 200/);
        expect(await page.locator('#inspector-empty').textContent()).toMatch(/HTTP-only cookies/);

        const visible = await page.evaluate(() => {
          const { document, localStorage, sessionStorage } = globalThis as unknown as PageGlobals;
          const entries = (storage: PageStorage) =>
            Array.from(
              { length: storage.length },
              (_, i) => `${storage.key(i)}=${storage.getItem(storage.key(i)!)}`,
            );
          return [document.cookie, ...entries(localStorage), ...entries(sessionStorage)].join('\n');
        });
        expect(visible).not.toMatch(JWT_SHAPE);
        expect(visible).not.toMatch(OPAQUE_TOKEN_SHAPE);

        // The credentials exist, as HttpOnly __Host- cookies, accepted by Chromium over http://127.0.0.1.
        const cookies = await browser.context.cookies(server.url);
        const credential = mode === 'jwt' ? '__Host-tessera_at' : '__Host-tessera_session';
        expect(cookies.find((cookie) => cookie.name === credential)).toMatchObject({
          httpOnly: true,
          secure: true,
        });
        for (const cookie of cookies.filter(
          (c) => c.value.match(JWT_SHAPE) || c.value.match(OPAQUE_TOKEN_SHAPE),
        )) {
          expect(cookie.httpOnly, cookie.name).toBe(true);
        }
        await screenshot(page, `cookie-${mode}-01-no-token-visible`);

        await page.getByRole('button', { name: 'Sign out everywhere (global)' }).click();
        await waitForAuthState(page, 'signed-out');
        expect(await clickForResult(page, 'Call secure API')).toMatch(/^\/api\/secure → 401/);
        await screenshot(page, `cookie-${mode}-02-signed-out`);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  it('"others" sign-out on device A: device B is refused at once, device A keeps working', async () => {
    const devices = await twoDevices('others@example.com');
    const { pageA, pageB } = devices;
    try {
      expect(await clickForResult(pageB, 'Call secure API')).toMatch(/^\/api\/secure → 200/);
      await screenshot(pageB, 'others-01-device-b-signed-in');

      expect(await clickForResult(pageA, 'Sign out my other devices (others)')).toMatch(
        /Your other sessions are revoked; this one stays signed in/,
      );
      // B's token was still unexpired: strict mode refuses it, B's refresh is refused too, B is signed out.
      expect(await clickForResult(pageB, 'Call secure API')).toMatch(/^\/api\/secure → 401/);
      await waitForAuthState(pageB, 'signed-out');
      expect(await shownToken(pageB)).toBeNull();
      await screenshot(pageB, 'others-02-device-b-refused');

      expect(await pageA.locator('#auth-status').getAttribute('data-state')).toBe('signed-in');
      expect(await clickForResult(pageA, 'Call secure API')).toMatch(/^\/api\/secure → 200/);
      expect(await clickForResult(pageA, 'Refresh now')).toMatch(/^Refreshed/);
      expect(await clickForResult(pageA, 'Call secure API')).toMatch(/^\/api\/secure → 200/);
      await screenshot(pageA, 'others-03-device-a-still-signed-in');
    } finally {
      await devices.close();
    }
  }, 60_000);

  it("sessions list: device A sees both devices and revokes B's session, B is refused", async () => {
    const devices = await twoDevices('revoke@example.com');
    const { pageA, pageB } = devices;
    try {
      const sessionOfA = (await shownJwtPart(pageA, 1)).sid;
      const sessionOfB = (await shownJwtPart(pageB, 1)).sid;
      expect(sessionOfB).not.toBe(sessionOfA);

      await pageA.getByRole('button', { name: 'Load my sessions' }).click();
      await pageA.waitForSelector('#sessions tbody tr', { timeout: DEADLINE_MS });
      const rows = pageA.locator('#sessions tbody tr');
      expect(await rows.count()).toBe(2);
      const current = rows.filter({ hasText: 'this page' });
      expect(await current.count()).toBe(1);
      expect(await current.getAttribute('data-session-id')).toBe(sessionOfA);
      await screenshot(pageA, 'revoke-01-two-sessions');

      const other = rows.filter({ hasNotText: 'this page' });
      expect(await other.getAttribute('data-session-id')).toBe(sessionOfB);
      expect(await other.getByRole('button').textContent()).toBe('Revoke');
      await other.getByRole('button', { name: `Revoke session ${String(sessionOfB)}` }).click();
      await pageA.waitForSelector(`#sessions tbody tr[data-session-id="${String(sessionOfB)}"]`, {
        state: 'detached',
        timeout: DEADLINE_MS,
      });
      expect(await pageA.locator('#result').textContent()).toBe(`Session ${String(sessionOfB)} revoked.`);
      expect(await rows.count()).toBe(1);
      await screenshot(pageA, 'revoke-02-device-b-revoked');

      expect(await clickForResult(pageB, 'Call secure API')).toMatch(/^\/api\/secure → 401/);
      await waitForAuthState(pageB, 'signed-out');
      await screenshot(pageB, 'revoke-03-device-b-refused');
      expect(await clickForResult(pageA, 'Call secure API')).toMatch(/^\/api\/secure → 200/);
    } finally {
      await devices.close();
    }
  }, 60_000);

  it.each(['RS256', 'EdDSA'] as const)(
    'token inspector on a %s server: valid with the server key, invalid with a wrong key',
    async (algorithm) => {
      const algServer = await startConsoleServer(buildDir, { accessTokenTtlSeconds: 60, algorithm });
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        await openConsole(page, consoleUrl('memory', 'jwt', algServer.url));
        await register(page, `inspector-${algorithm.toLowerCase()}@example.com`);
        const header = await shownJwtPart(page, 0);
        expect(header.alg).toBe(algorithm);

        expect(await clickForResult(page, "Verify with the server's public key", 'verify-result')).toBe(
          `Signature VALID with the server's ${algorithm} public key (kid ${String(header.kid)}).`,
        );
        expect(await page.locator('#verify-result').getAttribute('data-valid')).toBe('true');
        await screenshot(page, `alg-${algorithm.toLowerCase()}-01-valid`);
        expect(await clickForResult(page, 'Verify with a wrong key', 'verify-result')).toMatch(
          new RegExp(`^Signature INVALID with a freshly generated ${algorithm} key, as it must be`),
        );
        expect(await page.locator('#verify-result').getAttribute('data-valid')).toBe('false');
        await screenshot(page, `alg-${algorithm.toLowerCase()}-02-wrong-key`);
      } finally {
        await browser.close();
        await algServer.close();
      }
    },
    60_000,
  );

  it('step-up demo: the RFC 9470 challenge, a fresh sign-in through the SDK hook, and the retry', async () => {
    // No clock tolerance, so a sign-in is older than max_age a few seconds after it happened.
    const stepUpServer = await startConsoleServer(buildDir, { clockToleranceSeconds: 0 });
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await openConsole(page, consoleUrl('memory', 'jwt', stepUpServer.url));
      await register(page, 'step-up@example.com');
      await page.getByLabel('max_age (seconds)').fill('3');
      const form = page.getByRole('form', { name: 'Sign in again' });
      // Call until the sign-in is older than 3 s: the SDK then shows the challenge and asks again.
      await expect
        .poll(
          async () => {
            await page.getByRole('button', { name: 'Call step-up API', exact: true }).click();
            await page.waitForFunction(
              () => {
                const { document } = globalThis as unknown as PageGlobals;
                const button = document.getElementById('call-step-up') as unknown as { disabled: boolean };
                const prompt = document.getElementById('step-up-form') as unknown as { hidden: boolean };
                return !button.disabled || !prompt.hidden;
              },
              undefined,
              { timeout: DEADLINE_MS },
            );
            return form.isVisible();
          },
          { timeout: DEADLINE_MS, interval: 500 },
        )
        .toBe(true);
      expect(await page.locator('#step-up-challenge').textContent()).toMatch(/within 3 s/);
      await screenshot(page, 'step-up-01-challenge');
      await form.getByLabel('Password').fill(PASSWORD);
      await form.getByRole('button', { name: 'Sign in and retry' }).click();
      await page.waitForFunction(
        () =>
          (globalThis as unknown as PageGlobals).document
            .getElementById('step-up-result')!
            .textContent!.includes('200'),
        undefined,
        { timeout: DEADLINE_MS },
      );
      expect(await page.locator('#step-up-result').textContent()).toMatch(
        /^\/api\/step-up-demo\?max_age=3 → 200/,
      );
      expect(await form.isVisible()).toBe(false);
      await screenshot(page, 'step-up-02-retried');
    } finally {
      await browser.close();
      await stepUpServer.close();
    }
  }, 90_000);

  it('is usable with the keyboard alone: labelled inputs, visible focus, Enter submits the login form', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await openConsole(page, consoleUrl('sessionStorage'));
      await register(page, 'keyboard@example.com');
      await page.getByRole('button', { name: 'Sign out here (local)' }).click();
      await waitForAuthState(page, 'signed-out');

      const unlabelled = await page.evaluate(() =>
        Array.from(
          (globalThis as unknown as PageGlobals).document.querySelectorAll('input, textarea, select'),
        )
          .filter((field) => field.labels?.length === 0)
          .map((field) => field.id || field.outerHTML),
      );
      expect(unlabelled).toEqual([]);
      expect(await page.locator('[onclick], a[href="#"], div[role="button"]').count()).toBe(0);

      // Tab from the top of the page to the e-mail field of the sign-in form.
      await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.blur?.());
      let presses = 0;
      while (
        (await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)) !==
        'login-email'
      ) {
        expect(++presses, 'the sign-in e-mail field is reachable with Tab').toBeLessThan(40);
        await page.keyboard.press('Tab');
      }
      const outline = await page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
        return getComputedStyle(document.activeElement!).outlineStyle;
      });
      expect(outline).not.toBe('none');
      await page.keyboard.type('keyboard@example.com');
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id),
      ).toBe('login-password');
      await page.keyboard.type(PASSWORD);
      await screenshot(page, 'keyboard-01-filled');
      await page.keyboard.press('Enter');
      await waitForAuthState(page, 'signed-in');
      expect(await page.locator('#auth-status').textContent()).toContain('keyboard@example.com');
      await screenshot(page, 'keyboard-02-signed-in');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
