import { Redis, ReplyError } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors/index.js';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../../src/errors.js';
import { isPostgresUnavailable } from '../../../src/stores/postgres/postgres-errors.js';
import { isRedisUnavailable } from '../../../src/stores/redis/redis-errors.js';
import { isSqliteUnavailable } from '../../../src/stores/sqlite/sqlite-errors.js';
import {
  translateUnavailable,
  type UnavailableRecogniser,
} from '../../../src/stores/translate-unavailable.js';

/** Whether the adapter boundary with `recognise` (translate-unavailable.ts) turns `error` into StoreUnavailableError. */
const translates = (error: unknown, recognise: UnavailableRecogniser): boolean =>
  translateUnavailable(error, recognise) instanceof StoreUnavailableError;
/** Whether one of the adapters (SQLite, PostgreSQL, Redis) would report `error` as an unavailable store. */
const anAdapterTranslates = (error: unknown): boolean =>
  [isSqliteUnavailable, isPostgresUnavailable, isRedisUnavailable].some((recognise) =>
    translates(error, recognise),
  );
const redisTranslates = (error: unknown): boolean => translates(error, isRedisUnavailable);

/** An error as a driver raises it: a message and, usually, a `code`. */
function driverError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('the adapters’ recognisers of an unavailable store', () => {
  it('recognises StoreUnavailableError, with or without a cause', () => {
    expect(anAdapterTranslates(new StoreUnavailableError())).toBe(true);
    expect(anAdapterTranslates(new StoreUnavailableError('down', { cause: new Error('x') }))).toBe(true);
  });

  it.each([
    ['SQLite busy', 'SQLITE_BUSY'],
    ['SQLite extended busy code', 'SQLITE_BUSY_SNAPSHOT'],
    ['SQLite I/O error', 'SQLITE_IOERR_WRITE'],
    ['connection refused', 'ECONNREFUSED'],
    ['connection reset', 'ECONNRESET'],
    ['socket timeout', 'ETIMEDOUT'],
    ['PostgreSQL connection_exception', '08000'],
    ['PostgreSQL sqlclient_unable_to_establish_sqlconnection', '08001'],
    ['PostgreSQL connection_does_not_exist', '08003'],
    ['PostgreSQL sqlserver_rejected_establishment_of_sqlconnection', '08004'],
    ['PostgreSQL connection_failure', '08006'],
    ['PostgreSQL too_many_connections', '53300'],
    ['PostgreSQL admin_shutdown', '57P01'],
    ['PostgreSQL crash_shutdown', '57P02'],
    ['PostgreSQL cannot_connect_now', '57P03'],
  ])('recognises %s (%s)', (_name, code) => {
    expect(anAdapterTranslates(driverError('driver failure', code))).toBe(true);
  });

  it.each([
    'timeout exceeded when trying to connect',
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'Client has encountered a connection error and is not queryable',
    'driver has already been destroyed',
  ])('recognises the code-less connection error %j', (message) => {
    expect(anAdapterTranslates(new Error(message))).toBe(true);
  });

  it('recognises better-sqlite3 closed under a running server', () => {
    expect(anAdapterTranslates(new TypeError('The database connection is not open'))).toBe(true);
  });

  it.each([
    ['a unique violation', driverError('duplicate key', '23505')],
    ['a missing database (misconfiguration)', driverError('database "x" does not exist', '3D000')],
    ['a failed password (misconfiguration)', driverError('password authentication failed', '28P01')],
    ['a syntax error', driverError('syntax error', '42601')],
    ['a deadlock (retry the transaction, not the service)', driverError('deadlock detected', '40P01')],
    ['a SQLite constraint', driverError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE')],
    ['a code that merely starts like a known one', driverError('x', 'ECONNREFUSEDX')],
    ['a plain Error', new Error('boom')],
    ['a known message on a non-Error', { message: 'Connection terminated unexpectedly' }],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
    ['undefined', undefined],
  ])('does not take %s for unavailability', (_name, error) => {
    expect(anAdapterTranslates(error)).toBe(false);
  });
});

/** The error a command gets from ioredis, made for real on a connection that never connects. */
async function commandErrorOf(client: Redis): Promise<unknown> {
  try {
    await client.get('k');
  } catch (error) {
    return error;
  } finally {
    client.disconnect();
  }
  throw new Error('expected the command to fail');
}

const replyError = (message: string): Error => new (ReplyError as new (message: string) => Error)(message);

describe('the Redis adapter’s recogniser (its errors carry no code)', () => {
  it('recognises a command sent while disconnected, with the offline queue off', async () => {
    const client = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const error = await commandErrorOf(client);
    expect((error as Error).message).toBe("Stream isn't writeable and enableOfflineQueue options is false");
    expect(redisTranslates(error)).toBe(true);
  });

  it('recognises a command on a connection that has ended', async () => {
    const client = new Redis({ port: 1, lazyConnect: true });
    client.disconnect();
    const error = await commandErrorOf(client);
    expect((error as Error).message).toBe('Connection is closed.');
    expect(redisTranslates(error)).toBe(true);
  });

  it('recognises a command in flight when the connection dropped, and one that timed out', () => {
    expect(redisTranslates(new MaxRetriesPerRequestError(0))).toBe(true);
    expect(redisTranslates(new Error('Command timed out'))).toBe(true);
  });

  it.each([
    'LOADING Redis is loading the dataset in memory',
    'BUSY Redis is busy running a script',
    'MASTERDOWN Link with MASTER is down',
    "READONLY You can't write against a read only replica.",
    'TRYAGAIN Multiple keys request during rehashing of slot',
    'CLUSTERDOWN The cluster is down',
  ])('recognises the Redis reply %j', (message) => {
    expect(redisTranslates(replyError(message))).toBe(true);
  });

  it.each([
    'WRONGTYPE Operation against a key holding the wrong kind of value',
    'ERR syntax error',
    'NOSCRIPT No matching script',
  ])('does not take the Redis reply %j (a bug, not an outage) for unavailability', (message) => {
    expect(redisTranslates(replyError(message))).toBe(false);
  });

  it('matches whole messages only, and reply prefixes only on Redis replies', () => {
    expect(redisTranslates(new Error('Connection is closed. Really'))).toBe(false);
    expect(redisTranslates(new Error('LOADING Redis is loading the dataset in memory'))).toBe(false);
  });
});
