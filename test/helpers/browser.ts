/**
 * Real-browser harness for test/e2e/browser.test.ts: builds the console with Vite into a temp folder,
 * runs an in-process Tessera (real sockets, real clock) that serves it, and drives Debian's Chromium
 * through playwright-core. Never `npx playwright install`: the browser is the system package.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Config } from '../../src/config/types.js';
import { buildApp } from '../../src/http/build-app.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { createMemoryStores } from '../../src/stores/memory/create-memory-stores.js';
import { REPO_ROOT } from './spawn-instance.js';
import { fastHasher, testConfig } from './test-deps.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(REPO_ROOT, 'artifacts', 'browser');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether to run: always when Chromium is installed; when it is not, skip — unless CI set
 * TEST_REQUIRE_BROWSER=1, then fail (a missing browser must not turn the suite green).
 */
export function browserAvailability(): { run: boolean; missingButRequired: boolean } {
  const installed = existsSync(CHROMIUM_PATH);
  const required = process.env.TEST_REQUIRE_BROWSER === '1';
  return { run: installed || required, missingButRequired: !installed && required };
}

/** `vite build` of console/ into a fresh temp folder (the test never depends on a stale dist/). */
export async function buildConsole(): Promise<{ dir: string; remove(): void }> {
  const { build } = await import('vite');
  const dir = mkdtempSync(join(tmpdir(), 'tessera-console-build-'));
  await build({
    configFile: join(REPO_ROOT, 'console', 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A free loopback port, so the issuer can name the real URL before the server listens. */
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

export interface ConsoleServer {
  url: string;
  app: FastifyInstance;
  /** Requests the server received for this path (query excluded), counted on the raw socket. */
  count(path: string): number;
  resetCounts(): void;
  close(): Promise<void>;
}

/** Tessera on 127.0.0.1 with memory stores, the system clock and the console from `consoleDir`. */
export async function startConsoleServer(
  consoleDir: string,
  config: Partial<Config>,
): Promise<ConsoleServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const deps = await createDeps({
    config: testConfig({ issuer: url, port, ...config }),
    stores: createMemoryStores({ clock: systemClock }),
    clock: systemClock,
    random: cryptoRandom,
    logger: createSilentLogger(),
    hasher: fastHasher,
  });
  const app = await buildApp(deps, { consoleDir });
  await app.listen({ host: '127.0.0.1', port });
  const counts = new Map<string, number>();
  app.server.on('request', (request: { url?: string }) => {
    const path = (request.url ?? '').split('?')[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
  });
  return {
    url,
    app,
    count: (path) => counts.get(path) ?? 0,
    resetCounts: () => counts.clear(),
    close: async () => {
      await app.close();
      await deps.stores.close();
    },
  };
}

/** Chromium with a fresh profile (its own cookie jar and storage); the profile is removed on close. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 1600 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves `artifacts/browser/<name>.png` (git-ignored), full page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
