import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/http/build-app.js';
import { createLogger } from '../../../src/platform/logger.js';
import { createTestDeps } from '../../helpers/test-deps.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const SECRETS = {
  token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2VjcmV0LXNpZ25hdHVyZQ',
  password: 'hunter2-correct-horse',
  refresh: 'abcdefghijklmnopqrstuv.SECRETSECRETSECRETSECRETSECRETSECRETSECRET',
};

describe('logger redaction', () => {
  it('replaces passwords, tokens, cookies and Authorization headers with [redacted]', () => {
    const { stream, text } = capture();
    const logger = createLogger({ level: 'info', destination: stream });
    logger.info(
      {
        req: {
          headers: { authorization: `Bearer ${SECRETS.token}`, cookie: `tessera_rt=${SECRETS.refresh}` },
        },
        body: { password: SECRETS.password, refresh_token: SECRETS.refresh },
        access_token: SECRETS.token,
      },
      'something happened',
    );
    const output = text();
    expect(output).toContain('[redacted]');
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
  });

  it('keeps secrets out of the request log lines of the server, query strings included', async () => {
    const { stream, text } = capture();
    const deps = await createTestDeps({ config: { logLevel: 'debug' } });
    deps.logger = createLogger({ level: 'debug', destination: stream });
    const app = await buildApp(deps);
    await app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { authorization: `Bearer ${SECRETS.token}`, cookie: `tessera_rt=${SECRETS.refresh}` },
      payload: { email: 'ada@example.com', password: SECRETS.password },
    });
    await app.inject({ method: 'GET', url: `/api/secure?access_token=${SECRETS.token}` });
    const output = text();
    expect(output).toContain('incoming request'); // request logging is on at debug
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
  });
});
