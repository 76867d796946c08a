/**
 * Each adapter translates its own driver's "cannot answer now" errors into StoreUnavailableError at
 * its boundary (the driver error as `cause`), so the HTTP edge only checks `instanceof`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../../src/errors.js';
import { createFixedClock } from '../../../src/platform/clock.js';
import { createPostgresStores } from '../../../src/stores/postgres/create-postgres-stores.js';
import { createSqliteStores } from '../../../src/stores/sqlite/create-sqlite-stores.js';
import {
  translateUnavailable,
  withUnavailableTranslation,
} from '../../../src/stores/translate-unavailable.js';
import { EmailTakenError, type Stores } from '../../../src/stores/types.js';
import { createTestSchema, postgresUrl, servicesAvailable, withHostPort } from '../../helpers/services.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';

const clock = createFixedClock(new Date('2026-01-15T10:00:00Z'));
const isDown = (error: unknown) => error instanceof Error && error.message === 'down';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

function expectTranslated(error: unknown): void {
  expect(error).toBeInstanceOf(StoreUnavailableError);
  expect((error as Error).cause).toBeInstanceOf(Error);
  expect((error as Error).cause).not.toBeInstanceOf(StoreUnavailableError);
}

describe('withUnavailableTranslation', () => {
  class Port {
    readonly #fail: Error;
    constructor(fail: Error) {
      this.#fail = fail;
    }
    async read(): Promise<string> {
      throw this.#fail; // a private field: the method must run on the adapter, not the proxy
    }
    readSync(): string {
      throw this.#fail;
    }
    async ok(value: string): Promise<string> {
      return value;
    }
  }

  it('rethrows a recognised error as StoreUnavailableError with the driver error as cause', async () => {
    const port = withUnavailableTranslation(new Port(new Error('down')), isDown);
    expectTranslated(await rejection(port.read()));
    let thrown: unknown;
    try {
      port.readSync();
    } catch (error) {
      thrown = error;
    }
    expectTranslated(thrown);
  });

  it('passes every other error and every result unchanged', async () => {
    const other = new Error('syntax error at or near');
    const port = withUnavailableTranslation(new Port(other), isDown);
    expect(await rejection(port.read())).toBe(other);
    expect(await port.ok('value')).toBe('value');
  });

  it('never wraps a StoreUnavailableError twice', () => {
    const already = new StoreUnavailableError('away');
    expect(translateUnavailable(already, () => true)).toBe(already);
  });
});

describe('SQLite adapter boundary', () => {
  it('answers StoreUnavailableError once the database is closed under it', async () => {
    const stores = await createSqliteStores({ path: ':memory:', clock });
    await stores.close();
    expectTranslated(await rejection(stores.users.findByEmail('ada@example.com')));
    expectTranslated(await rejection(stores.ephemeral.get('key')));
    expect(await stores.ping()).toBe(false);
  });

  it('leaves the domain errors of a working database untranslated', async () => {
    const stores = await createSqliteStores({ path: ':memory:', clock });
    const user = (id: string) => ({
      id,
      email: 'ada@example.com',
      name: null,
      passwordHash: 'hash',
      roles: [],
      createdAt: clock.now(),
    });
    try {
      await stores.users.create(user('u1'));
      expect(await rejection(stores.users.create(user('u2')))).toBeInstanceOf(EmailTakenError);
    } finally {
      await stores.close();
    }
  });
});

const postgres = await servicesAvailable('PostgreSQL adapter boundary', { postgres: true });

describe('PostgreSQL adapter boundary', () => {
  it('fails to open with StoreUnavailableError when nothing listens on the port', async () => {
    const opening = createPostgresStores({ url: 'postgres://postgres@127.0.0.1:1/test', clock });
    expectTranslated(await rejection(opening));
  });

  describe.skipIf(!postgres)('with a running server', () => {
    let proxy: TcpProxy | undefined;
    let stores: Stores | undefined;
    let drop: (() => Promise<void>) | undefined;

    afterEach(async () => {
      await stores?.close().catch(() => undefined);
      await proxy?.close();
      await drop?.();
    });

    it('answers StoreUnavailableError when the server goes away mid-life', async () => {
      const schema = await createTestSchema('translate_unavailable');
      drop = () => schema.drop();
      const target = new URL(postgresUrl());
      proxy = await startTcpProxy({ targetPort: Number(target.port || 5432), targetHost: target.hostname });
      const url = withHostPort(postgresUrl(), '127.0.0.1', proxy.port);
      stores = await createPostgresStores({ url, clock, schema: schema.name });
      expect(await stores.users.findByEmail('ada@example.com')).toBeUndefined();
      await proxy.cut();
      expectTranslated(await rejection(stores.users.findByEmail('ada@example.com')));
    }, 30_000);
  });
});
