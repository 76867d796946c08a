import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installStrictValidator } from '../../../src/http/strict-validator.js';

/**
 * Tessera's own validator compiles what Fastify's default one compiles (formats, a schema with $id on
 * two routes), with the strict options, so Tessera's schemas behave the same standalone and embedded.
 */
async function createApp() {
  const app = Fastify();
  installStrictValidator(app);
  const contact = {
    $id: 'contact',
    type: 'object',
    required: ['email'],
    properties: { email: { type: 'string', format: 'email' }, count: { type: 'integer', default: 1 } },
    additionalProperties: false,
  };
  app.post('/a', { schema: { body: contact } }, async (request) => request.body);
  app.post('/b', { schema: { body: contact } }, async (request) => request.body);
  await app.ready();
  return app;
}

describe('installStrictValidator', () => {
  it('compiles formats and a schema with $id used by two routes', async () => {
    const app = await createApp();
    const ok = await app.inject({ method: 'POST', url: '/b', payload: { email: 'a@example.com' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ email: 'a@example.com' }); // no default filled in
    const bad = await app.inject({ method: 'POST', url: '/a', payload: { email: 'not an address' } });
    expect(bad.statusCode).toBe(400);
    await app.close();
  });

  it.each([
    ['an unknown member', { email: 'a@example.com', admin: true }],
    ['a string where an integer is due', { email: 'a@example.com', count: '2' }],
  ])('refuses %s instead of removing or coercing it', async (_name, payload) => {
    const app = await createApp();
    expect((await app.inject({ method: 'POST', url: '/a', payload })).statusCode).toBe(400);
    await app.close();
  });
});
