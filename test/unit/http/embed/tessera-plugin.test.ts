import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { createTesseraPlugin } from '../../../../src/http/embed/tessera-plugin.js';
import { createTestDeps } from '../../../helpers/test-deps.js';

/** The plugin's lifecycle: Tessera's stores close with the host app, and when mounting fails. */
describe('createTesseraPlugin', () => {
  it('closes the dependencies when the host app closes, once', async () => {
    const deps = await createTestDeps();
    const close = vi.fn(async () => undefined);
    const app = Fastify();
    await app.register(createTesseraPlugin(async () => ({ deps, close }), ''));
    await app.ready();
    expect(close).not.toHaveBeenCalled();
    await app.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('logs through the host logger', async () => {
    const deps = await createTestDeps();
    const open = vi.fn(async () => ({ deps, close: async () => undefined }));
    const app = Fastify();
    await app.register(createTesseraPlugin(open, ''));
    expect(open).toHaveBeenCalledWith(app.log);
    await app.close();
  });

  it('closes what it opened when it cannot mount (Tessera registered twice)', async () => {
    const deps = await createTestDeps();
    const secondClose = vi.fn(async () => undefined);
    const app = Fastify();
    await app.register(createTesseraPlugin(async () => ({ deps, close: async () => undefined }), ''));
    await expect(
      app.register(createTesseraPlugin(async () => ({ deps, close: secondClose }), '/again')),
    ).rejects.toThrow(/tessera/);
    expect(secondClose).toHaveBeenCalledTimes(1);
  });
});
