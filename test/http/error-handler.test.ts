import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.js';
import { checkAppResponses } from '../helpers/openapi-conformance-recorder.js';
import { buildCheckedApp, createTestDeps } from '../helpers/test-deps.js';

describe('error handler', () => {
  it("answers an unexpected exception with a generic 500 'internal_error' and no internals", async () => {
    const deps = await createTestDeps();
    const raw = await buildApp(deps);
    raw.get('/boom', async () => {
      throw new Error('secret detail: password=hunter2 at /srv/app.js:12');
    });
    const app = checkAppResponses(raw);
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code: 'internal_error',
      status: 500,
      detail: 'An unexpected error occurred.',
    });
    expect(response.body).not.toMatch(/hunter2|secret detail|\.js:\d+|stack/);
  });

  it("answers a store that cannot answer with 503 'service_unavailable' and Retry-After, not 500", async () => {
    const deps = await createTestDeps({
      stores: async (clock) => {
        const { createSqliteStores } = await import('../../src/stores/sqlite/create-sqlite-stores.js');
        return createSqliteStores({ path: ':memory:', clock });
      },
    });
    const app = await buildCheckedApp(deps);
    await deps.stores.close(); // the database goes away under a running server
    const response = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'ada@example.com', password: 'correct horse battery' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toMatchObject({ code: 'service_unavailable', status: 503 });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
  });
});
