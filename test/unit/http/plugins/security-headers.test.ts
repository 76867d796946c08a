import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../../../src/http/plugins/security-headers.js';
import { createTestApp } from '../../../helpers/test-deps.js';

/** Pins the exact header set (decision 0007): a header dropped or weakened by accident fails here. */
describe('security headers', () => {
  const EXPECTED = {
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };

  it('are exactly the OWASP REST set', () => {
    expect(SECURITY_HEADERS).toEqual(EXPECTED);
  });

  it('are sent on a protected 200, a 401 problem and a 404', async () => {
    const { app } = await createTestApp();
    const registered = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'ada@example.com', password: 'correct horse battery' },
    });
    const token = registered.json<{ access_token: string }>().access_token;
    const responses = await Promise.all([
      app.inject({ method: 'GET', url: '/api/secure', headers: { authorization: `Bearer ${token}` } }),
      app.inject({ method: 'GET', url: '/api/secure' }),
      app.inject({ method: 'GET', url: '/nowhere' }),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 401, 404]);
    for (const response of responses) expect(response.headers).toMatchObject(EXPECTED);
  });

  it('let the JWKS be cached publicly (its own Cache-Control wins)', async () => {
    const { app } = await createTestApp();
    const response = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.headers['cache-control']).toBe('public, max-age=300');
  });
});
