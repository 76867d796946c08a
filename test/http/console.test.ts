import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../src/http/plugins/security-headers.js';
import {
  ASSET_CACHE_CONTROL,
  CONSOLE_CSP,
  PAGE_CACHE_CONTROL,
  defaultConsoleDir,
} from '../../src/http/routes/console-routes.js';
import { buildCheckedApp, createTestDeps } from '../helpers/test-deps.js';

const API_CSP = SECURITY_HEADERS['content-security-policy'];
const ASSET = '/assets/main-Ab12Cd34.js';

/** A stand-in for a Vite build: the routes serve whatever dist/console holds, so no build is needed here. */
function writeFakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Tessera console</title><script type="module" src="/assets/main-Ab12Cd34.js"></script>',
  );
  writeFileSync(join(dir, ASSET.slice(1)), 'console.log("console");');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  return dir;
}

async function appWith(consoleDir: string, config: { console?: boolean } = {}) {
  const deps = await createTestDeps({ config });
  return buildCheckedApp(deps, { consoleDir });
}

describe('console at /', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeFakeBuild();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves index.html at / with the page CSP and no-cache', async () => {
    const app = await appWith(dir);
    for (const url of ['/', '/index.html']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<title>Tessera console</title>');
      expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(response.headers['cache-control']).toBe(PAGE_CACHE_CONTROL);
      // The other security headers stay as the API sets them.
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('page CSP allows only this origin: no inline script, no other host, no framing', () => {
    const directives = new Map(
      CONSOLE_CSP.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const app = await appWith(dir);
    const response = await app.inject({ method: 'GET', url: ASSET });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe(ASSET_CACHE_CONTROL);
  });

  it('keeps the strict API CSP and no-store on the JSON API and on unknown paths', async () => {
    const app = await appWith(dir);
    const responses = await Promise.all([
      app.inject({ method: 'GET', url: '/api/secure' }),
      app.inject({ method: 'GET', url: '/nowhere' }),
      app.inject({ method: 'GET', url: '/assets/missing.js' }),
      app.inject({ method: 'GET', url: '/healthz' }),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([401, 404, 404, 200]);
    for (const response of responses) {
      expect(response.headers['content-security-policy']).toBe(API_CSP);
      expect(response.headers['cache-control']).toBe('no-store');
    }
    expect(responses[1]!.json()).toMatchObject({ code: 'not_found', status: 404 });
  });

  it.each([
    ['a dotfile in the build folder', '/.env'],
    ['an encoded parent path', '/assets/..%2f..%2fpackage.json'],
    ['a parent path', '/assets/../../package.json'],
    ['an encoded dot-dot at the root', '/%2e%2e/package.json'],
  ])('refuses %s with a problem, never the file', async (_why, url) => {
    const app = await appWith(dir);
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toContain('SECRET');
    expect(response.body).not.toContain('"dependencies"');
  });

  it('does not list the console files in GET /openapi.json', async () => {
    const app = await appWith(dir);
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    const paths = Object.keys(document.paths);
    expect(paths).toContain('/api/secure');
    expect(
      paths.filter((path) => path === '/' || path.startsWith('/assets') || path.endsWith('.html')),
    ).toEqual([]);
  });

  it('is not served when TESSERA_CONSOLE is false: / is the API 404', async () => {
    const app = await appWith(dir, { console: false });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found', detail: 'No such endpoint.' });
    expect(response.headers['content-security-policy']).toBe(API_CSP);
  });
});

describe('console not built', () => {
  it('the server still starts and / answers a 404 problem saying how to build it', async () => {
    const missing = join(tmpdir(), 'tessera-console-never-built');
    const app = await appWith(missing);
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'not_found', status: 404 });
    expect(response.json<{ detail: string }>().detail).toContain('npm run build:console');
    expect(response.headers['content-security-policy']).toBe(API_CSP);
    // The API is unaffected.
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('looks for the build in <package root>/dist/console by default', () => {
    expect(defaultConsoleDir().replace(/\\/g, '/')).toMatch(/\/dist\/console\/?$/);
    expect(defaultConsoleDir()).not.toContain('/src/');
  });
});
