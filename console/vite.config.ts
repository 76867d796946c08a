import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the console into dist/console, which the server serves at `/` (src/http/routes/console-routes.ts).
 * Everything is bundled and hashed: no CDN, no font, no inline script or style (the page CSP forbids them).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // The polyfill would be an extra script; every browser the console targets has modulepreload.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs into scripts; keep files small and cacheable.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
