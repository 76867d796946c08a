import { systemClock, type Clock } from '../../platform/clock.js';
import { newMailId } from '../mail-id.js';
import {
  MAIL_STATUSES,
  type ClaimRequest,
  type MailQueue,
  type MailRecord,
  type MailStatus,
  type OutgoingMail,
  type RetrySelection,
} from '../mail-outbox.js';

/**
 * The outbox in process memory, with the semantics of the SQL adapter (the contract suite runs on both).
 * Tests read `messages` to follow the links sent: every enqueued message, in order, as it was handed in.
 */
export class MemoryMailOutbox implements MailQueue {
  readonly messages: OutgoingMail[] = [];
  readonly #rows = new Map<string, MailRecord>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  async enqueue(mail: OutgoingMail): Promise<void> {
    this.messages.push({ ...mail, data: { ...mail.data } });
    const now = this.#clock.now();
    const id = newMailId();
    this.#rows.set(id, {
      id,
      to: mail.to,
      template: mail.template,
      data: { ...mail.data },
      status: 'pending',
      attempts: 0,
      createdAt: now,
      nextAttemptAt: now,
      deliveredAt: null,
      lastError: null,
      claimedBy: null,
      leaseExpiresAt: null,
    });
  }

  async claimDue(request: ClaimRequest): Promise<MailRecord[]> {
    const now = request.now.getTime();
    const due = [...this.#rows.values()]
      .filter(
        (row) =>
          row.status === 'pending' &&
          row.nextAttemptAt.getTime() <= now &&
          (row.leaseExpiresAt === null || row.leaseExpiresAt.getTime() <= now),
      )
      .sort(
        (a, b) =>
          a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
          a.createdAt.getTime() - b.createdAt.getTime(),
      )
      .slice(0, request.limit);
    for (const row of due)
      this.#update(row.id, { claimedBy: request.owner, leaseExpiresAt: request.leaseExpiresAt });
    return due.map((row) => this.#copy(row.id));
  }

  async markDelivered(
    id: string,
    owner: string,
    outcome: { status: 'sent' | 'dev'; at: Date },
  ): Promise<boolean> {
    if (!this.#holds(id, owner)) return false;
    this.#update(id, {
      status: outcome.status,
      deliveredAt: outcome.at,
      claimedBy: null,
      leaseExpiresAt: null,
      lastError: null,
      ...(outcome.status === 'sent' && { data: {} }),
    });
    return true;
  }

  async markAttemptFailed(
    id: string,
    owner: string,
    failure: { error: string; retryAt: Date | null },
  ): Promise<boolean> {
    const row = this.#rows.get(id);
    if (row === undefined || !this.#holds(id, owner)) return false;
    this.#update(id, {
      status: failure.retryAt === null ? 'failed' : 'pending',
      attempts: row.attempts + 1,
      lastError: failure.error,
      claimedBy: null,
      leaseExpiresAt: null,
      ...(failure.retryAt !== null && { nextAttemptAt: failure.retryAt }),
    });
    return true;
  }

  async releaseClaims(owner: string): Promise<number> {
    let released = 0;
    for (const row of this.#rows.values()) {
      if (row.claimedBy !== owner || row.status !== 'pending') continue;
      this.#update(row.id, { claimedBy: null, leaseExpiresAt: null });
      released += 1;
    }
    return released;
  }

  async findById(id: string): Promise<MailRecord | undefined> {
    return this.#rows.has(id) ? this.#copy(id) : undefined;
  }

  async list(filter: { status?: MailStatus; limit?: number } = {}): Promise<MailRecord[]> {
    return [...this.#rows.values()]
      .filter((row) => filter.status === undefined || row.status === filter.status)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, filter.limit ?? 50)
      .map((row) => this.#copy(row.id));
  }

  async retry(selection: RetrySelection, now: Date): Promise<number> {
    let retried = 0;
    for (const row of this.#rows.values()) {
      if (row.status !== 'failed' || ('id' in selection && row.id !== selection.id)) continue;
      this.#update(row.id, {
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        claimedBy: null,
        leaseExpiresAt: null,
      });
      retried += 1;
    }
    return retried;
  }

  async countByStatus(): Promise<Record<MailStatus, number>> {
    const counts = Object.fromEntries(MAIL_STATUSES.map((status) => [status, 0])) as Record<
      MailStatus,
      number
    >;
    for (const row of this.#rows.values()) counts[row.status] += 1;
    return counts;
  }

  #holds(id: string, owner: string): boolean {
    const row = this.#rows.get(id);
    return row !== undefined && row.status === 'pending' && row.claimedBy === owner;
  }

  #update(id: string, changes: Partial<MailRecord>): void {
    const row = this.#rows.get(id)!;
    this.#rows.set(id, { ...row, ...changes });
  }

  #copy(id: string): MailRecord {
    const row = this.#rows.get(id)!;
    return { ...row, data: { ...row.data } };
  }
}
