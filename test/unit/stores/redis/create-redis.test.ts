import { describe, expect, it } from 'vitest';
import { reconnectDelayMs, redactRedisUrl, redisOptions } from '../../../../src/stores/redis/create-redis.js';

describe('redisOptions', () => {
  it('fails fast while disconnected and never resends a command that was in flight', () => {
    expect(redisOptions()).toMatchObject({
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 2000,
      socketTimeout: 3000,
    });
    expect(redisOptions()).not.toHaveProperty('connectionName');
  });

  it('takes the connection name and timeouts', () => {
    const options = redisOptions({ connectionName: 'tessera', connectTimeoutMs: 500, socketTimeoutMs: 900 });
    expect(options).toMatchObject({ connectionName: 'tessera', connectTimeout: 500, socketTimeout: 900 });
  });

  it('reconnects forever, backing off up to the cap', () => {
    const retry = redisOptions({ maxRetryDelayMs: 1000 }).retryStrategy!;
    expect([1, 2, 3, 4, 5, 6, 100, 10_000].map((attempt) => retry(attempt))).toEqual([
      50, 100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 50 ms and stays finite for any attempt', () => {
    expect(reconnectDelayMs(1, 2000)).toBe(50);
    expect(reconnectDelayMs(6, 2000)).toBe(1600);
    expect(reconnectDelayMs(7, 2000)).toBe(2000);
    expect(reconnectDelayMs(Number.MAX_SAFE_INTEGER, 2000)).toBe(2000);
  });
});

describe('redactRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://:secret@cache:6379/0', 'redis://:***@cache:6379/0'],
    ['rediss://user:secret@cache.example.com', 'rediss://user:***@cache.example.com'],
    ['not a url', '(unparseable Redis URL)'],
  ])('%s → %s', (url, shown) => {
    expect(redactRedisUrl(url)).toBe(shown);
  });
});
