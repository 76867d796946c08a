import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import {
  assertTtlSeconds,
  expiresAtMsFrom,
  isLive,
  secondsLeft,
  SWEEP_EVERY_WRITES,
} from '../ephemeral-rules.js';
import type { EphemeralStore } from '../types.js';
import type { Database } from './database.js';

/**
 * Expiry is evaluated against the injected clock (never the database's now()), so every instance and
 * every adapter agree on it; expired rows are removed lazily on read and swept now and then.
 */
export class SqlEphemeralStore implements EphemeralStore {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  #writes = 0;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  /**
   * One INSERT … ON CONFLICT DO UPDATE … RETURNING (an UPSERT on SQLite and PostgreSQL alike): the
   * conflicting row is locked, so concurrent increments from any number of instances or processes
   * never lose a count. A live row counts up and keeps its
   * expiry; an expired one starts again at 1 with a new lifetime. In DO UPDATE, `ephemeral.*` is the
   * row as it was and `excluded.*` the row this INSERT proposed.
   */
  async increment(key: string, ttlSeconds: number): Promise<{ count: number; ttlSeconds: number }> {
    assertTtlSeconds(ttlSeconds);
    const nowMs = this.#clock.now().getTime();
    const expired = sql<boolean>`ephemeral.expires_at <= ${nowMs}`;
    const row = await this.#db
      .insertInto('ephemeral')
      .values({ key, value: null, count: 1, expires_at: expiresAtMsFrom(nowMs, ttlSeconds) })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({
          count: sql<number>`case when ${expired} then 1 else ephemeral.count + 1 end`,
          value: sql<string | null>`case when ${expired} then null else ephemeral.value end`,
          expires_at: sql<number>`case when ${expired} then excluded.expires_at else ephemeral.expires_at end`,
        }),
      )
      .returning(['count', 'expires_at'])
      .executeTakeFirstOrThrow();
    await this.#afterWrite(nowMs);
    return { count: row.count, ttlSeconds: secondsLeft(row.expires_at, nowMs) };
  }

  async count(key: string): Promise<number> {
    const row = await this.#db
      .selectFrom('ephemeral')
      .select(['count', 'expires_at'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (row === undefined || !isLive(row.expires_at, this.#clock.now().getTime())) return 0;
    return row.count;
  }

  /** The live value without consuming it. Counters have no value. */
  async get(key: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('ephemeral')
      .select(['value', 'expires_at'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (row === undefined || !isLive(row.expires_at, this.#clock.now().getTime())) return undefined;
    return row.value ?? undefined;
  }

  /** One DELETE … RETURNING: of two instances racing for a one-time value, only one gets it. */
  async getAndDelete(key: string): Promise<string | undefined> {
    const row = await this.#db
      .deleteFrom('ephemeral')
      .where('key', '=', key)
      .returning(['value', 'expires_at'])
      .executeTakeFirst();
    if (row === undefined || !isLive(row.expires_at, this.#clock.now().getTime())) return undefined;
    return row.value ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    assertTtlSeconds(ttlSeconds);
    const nowMs = this.#clock.now().getTime();
    const row = { key, value, count: 0, expires_at: expiresAtMsFrom(nowMs, ttlSeconds) };
    await this.#db
      .insertInto('ephemeral')
      .values(row)
      .onConflict((conflict) =>
        conflict
          .column('key')
          .doUpdateSet({ value: row.value, count: row.count, expires_at: row.expires_at }),
      )
      .execute();
    await this.#afterWrite(nowMs);
  }

  async delete(key: string): Promise<void> {
    await this.#db.deleteFrom('ephemeral').where('key', '=', key).execute();
  }

  /** Each instance sweeps after its own every SWEEP_EVERY_WRITES writes; a sweep is idempotent. */
  async #afterWrite(nowMs: number): Promise<void> {
    this.#writes += 1;
    if (this.#writes % SWEEP_EVERY_WRITES !== 0) return;
    await this.#db.deleteFrom('ephemeral').where('expires_at', '<=', nowMs).execute();
  }
}
