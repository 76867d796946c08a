import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCheckedFetch } from '../helpers/openapi-conformance-recorder.js';
import { spawnInstance, stopAllInstances } from '../helpers/spawn-instance.js';

/** Every answer is checked against the server's /openapi.json. */
const checkedFetch = createCheckedFetch();

const dir = mkdtempSync(join(tmpdir(), 'tessera-shutdown-'));

afterAll(async () => {
  await stopAllInstances();
  rmSync(dir, { recursive: true, force: true });
});

/** DESIGN: SIGINT/SIGTERM stop accepting, finish in-flight requests, close the database. */
describe('tessera serve: graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s answers every request already in flight, then exits 0',
    async (signal) => {
      const instance = await spawnInstance({
        name: signal,
        env: {
          TESSERA_DATABASE_URL: `sqlite:${join(dir, `${signal}.db`)}`,
          TESSERA_RATE_LIMIT_LOGIN_IP: '1000/60s',
          TESSERA_RATE_LIMIT_LOGIN_ACCOUNT: '1000/60s',
        },
      });
      const credentials = { email: 'ada@example.com', password: 'correct horse battery' };
      const post = (path: string) =>
        checkedFetch(`${instance.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(credentials),
        });
      expect((await post('/auth/register')).status).toBe(201);
      // Each login hashes with argon2id (OWASP parameters): 16 of them keep the server busy for a while.
      const inFlight = Array.from({ length: 16 }, () => post('/auth/login').then((r) => r.status));
      // Long enough for every request to reach the server; 16 OWASP hashes on 4 threads take ~250 ms.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await instance.kill(signal);
      const statuses = await Promise.all(inFlight);
      expect(statuses).toEqual(Array.from({ length: 16 }, () => 200));
      expect(instance.exitStatus()).toEqual({ code: 0, signal: null });
      expect(instance.output()).toContain('shutting down');
      // Stopped accepting: a new connection is refused.
      await expect(fetch(`${instance.url}/healthz`)).rejects.toThrow();
    },
    30_000,
  );
});
