import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../problem.js';

/**
 * The page CSP of the console (decision 0015). The JSON API keeps its `default-src 'none'` (decision
 * 0007); the console is a page, so it may load its own scripts, styles and images and call its own
 * origin — nothing else: no inline script, no other origin, no framing, no <base>, forms post home.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Vite names every asset after its content hash, so a URL never changes meaning: cache it for a year. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** index.html names the current assets: revalidate it on every load so a new build is seen at once. */
export const PAGE_CACHE_CONTROL = 'no-cache';

/**
 * Where `npm run build:console` writes the console: <package root>/dist/console. This file sits three
 * levels below the root both as source (src/http/routes) and as build output (dist/http/routes).
 */
export function defaultConsoleDir(): string {
  return fileURLToPath(new URL('../../../dist/console/', import.meta.url));
}

export function isConsoleBuilt(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/**
 * Serves the built console at `/` (index.html) and `/assets/*` (hashed files). Without a build the
 * server still starts (tests, library use) and `/` answers a 404 problem that says how to build it.
 * Only the files present at start are routes (`wildcard: false`): any other path keeps the API's
 * 404 problem and strict headers.
 */
export function consoleRoutes(dir: string) {
  return async function routes(app: FastifyInstance): Promise<void> {
    if (!isConsoleBuilt(dir)) {
      app.get('/', async (request, reply) =>
        sendProblem(
          request,
          reply,
          'not_found',
          'The web console is not built: run `npm run build:console` (or `npm run build`) and restart.',
        ),
      );
      return;
    }
    app.addHook('onSend', async (request, reply, payload) => {
      setPageHeaders(request, reply);
      return payload;
    });
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
      // Cache-Control is set by setPageHeaders; dotfiles are never part of a Vite build.
      cacheControl: false,
      dotfiles: 'deny',
      decorateReply: false,
    });
  };
}

/** Runs after the global security headers, replacing the two a page needs differently. */
function setPageHeaders(request: FastifyRequest, reply: FastifyReply): void {
  if (reply.statusCode >= 400) return; // a problem body keeps the API's headers
  const path = request.url.split('?')[0] ?? '';
  reply.header('cache-control', path.startsWith('/assets/') ? ASSET_CACHE_CONTROL : PAGE_CACHE_CONTROL);
  if (path === '/' || path.endsWith('.html')) reply.header('content-security-policy', CONSOLE_CSP);
}
