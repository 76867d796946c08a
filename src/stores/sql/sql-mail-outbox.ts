import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import {
  MAIL_STATUSES,
  type ClaimRequest,
  type MailQueue,
  type MailRecord,
  type MailStatus,
  type MailTemplateName,
  type OutgoingMail,
  type RetrySelection,
} from '../mail-outbox.js';
import type { Database, MailOutboxTable } from './database.js';

export interface SqlMailOutboxOptions {
  clock: Clock;
  /** A fresh unique row id (the factory passes the platform's randomness). */
  newId: () => string;
  /**
   * PostgreSQL: lock the chosen rows with FOR UPDATE SKIP LOCKED, so concurrent claimers take different
   * rows instead of queueing behind each other. SQLite has one writer at a time: the single UPDATE is
   * already atomic there.
   */
  skipLocked: boolean;
}

const DEFAULT_LIST_LIMIT = 50;

/**
 * The durable mail outbox over Kysely, shared by the SQLite and PostgreSQL adapters. Every state change
 * is one conditional statement, so two instances never both own a message (docs/decisions/0040).
 */
export class SqlMailOutbox implements MailQueue {
  readonly #db: Kysely<Database>;
  readonly #options: SqlMailOutboxOptions;

  constructor(db: Kysely<Database>, options: SqlMailOutboxOptions) {
    this.#db = db;
    this.#options = options;
  }

  async enqueue(mail: OutgoingMail): Promise<void> {
    const now = this.#options.clock.now().getTime();
    await this.#db
      .insertInto('mail_outbox')
      .values({
        id: this.#options.newId(),
        recipient: mail.to,
        template: mail.template,
        data: JSON.stringify(mail.data),
        status: 'pending',
        attempts: 0,
        created_at: now,
        next_attempt_at: now,
        delivered_at: null,
        last_error: null,
        claimed_by: null,
        lease_expires_at: null,
      })
      .execute();
  }

  async claimDue(request: ClaimRequest): Promise<MailRecord[]> {
    const now = request.now.getTime();
    // Repeated in the UPDATE: under READ COMMITTED a row changed since the sub-select is re-checked.
    const due = (eb: ExpressionBuilder<Database, 'mail_outbox'>) =>
      eb.and([
        eb('status', '=', 'pending'),
        eb('next_attempt_at', '<=', now),
        eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]),
      ]);
    // A CTE, not `id IN (sub-select … LIMIT n)`: PostgreSQL may run such a sub-select more than once
    // (a rescan), and with SKIP LOCKED each run can pick other rows; a locking CTE runs exactly once.
    const rows = await this.#db
      .with('chosen', (db) => {
        const query = db
          .selectFrom('mail_outbox')
          .select('id')
          .where(due)
          .orderBy('next_attempt_at')
          .orderBy('created_at')
          .limit(request.limit);
        return this.#options.skipLocked ? query.forUpdate().skipLocked() : query;
      })
      .updateTable('mail_outbox')
      .set({ claimed_by: request.owner, lease_expires_at: request.leaseExpiresAt.getTime() })
      .where('id', 'in', (eb) => eb.selectFrom('chosen').select('chosen.id'))
      .where(due)
      .returningAll()
      .execute();
    return rows.map(toMailRecord).sort(byDueTime);
  }

  async markDelivered(
    id: string,
    owner: string,
    outcome: { status: 'sent' | 'dev'; at: Date },
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('mail_outbox')
      .set({
        status: outcome.status,
        delivered_at: outcome.at.getTime(),
        claimed_by: null,
        lease_expires_at: null,
        last_error: null,
        // A sent message's links must not outlive delivery in the table; the dev outbox keeps them to show.
        ...(outcome.status === 'sent' && { data: '{}' }),
      })
      .where('id', '=', id)
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async markAttemptFailed(
    id: string,
    owner: string,
    failure: { error: string; retryAt: Date | null },
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('mail_outbox')
      .set((eb) => ({
        status: failure.retryAt === null ? 'failed' : 'pending',
        attempts: eb('attempts', '+', 1),
        last_error: failure.error,
        claimed_by: null,
        lease_expires_at: null,
        ...(failure.retryAt !== null && { next_attempt_at: failure.retryAt.getTime() }),
      }))
      .where('id', '=', id)
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async releaseClaims(owner: string): Promise<number> {
    const result = await this.#db
      .updateTable('mail_outbox')
      .set({ claimed_by: null, lease_expires_at: null })
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async findById(id: string): Promise<MailRecord | undefined> {
    const row = await this.#db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMailRecord(row);
  }

  async list(filter: { status?: MailStatus; limit?: number } = {}): Promise<MailRecord[]> {
    let query = this.#db
      .selectFrom('mail_outbox')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? DEFAULT_LIST_LIMIT);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return (await query.execute()).map(toMailRecord);
  }

  async retry(selection: RetrySelection, now: Date): Promise<number> {
    let query = this.#db
      .updateTable('mail_outbox')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: now.getTime(),
        claimed_by: null,
        lease_expires_at: null,
      })
      .where('status', '=', 'failed');
    if ('id' in selection) query = query.where('id', '=', selection.id);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async countByStatus(): Promise<Record<MailStatus, number>> {
    const rows = await this.#db
      .selectFrom('mail_outbox')
      .select((eb) => ['status', eb.fn.countAll<number | string>().as('count')])
      .groupBy('status')
      .execute();
    const counts = Object.fromEntries(MAIL_STATUSES.map((status) => [status, 0])) as Record<
      MailStatus,
      number
    >;
    for (const row of rows) counts[row.status as MailStatus] = Number(row.count);
    return counts;
  }
}

function toMailRecord(row: Selectable<MailOutboxTable>): MailRecord {
  return {
    id: row.id,
    to: row.recipient,
    template: row.template as MailTemplateName,
    data: JSON.parse(row.data) as Record<string, string>,
    status: row.status as MailStatus,
    attempts: Number(row.attempts),
    createdAt: new Date(Number(row.created_at)),
    nextAttemptAt: new Date(Number(row.next_attempt_at)),
    deliveredAt: row.delivered_at === null ? null : new Date(Number(row.delivered_at)),
    lastError: row.last_error,
    claimedBy: row.claimed_by,
    leaseExpiresAt: row.lease_expires_at === null ? null : new Date(Number(row.lease_expires_at)),
  };
}

function byDueTime(a: MailRecord, b: MailRecord): number {
  return (
    a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime()
  );
}
