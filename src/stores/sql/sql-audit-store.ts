import type { Kysely } from 'kysely';
import type { AuditEvent, AuditEventType, AuditStore } from '../types.js';
import type { Database } from './database.js';
import { toAuditEvent, toAuditEventRow } from './row-mappers.js';

export class SqlAuditStore implements AuditStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async record(event: AuditEvent): Promise<void> {
    await this.#db.insertInto('audit_events').values(toAuditEventRow(event)).execute();
  }

  /** Newest first (by `at`, then by insertion order: the autoincrement or identity id), at most `limit`. */
  async list(filter: { userId?: string; type?: AuditEventType; limit?: number } = {}): Promise<AuditEvent[]> {
    let query = this.#db.selectFrom('audit_events').selectAll().orderBy('at', 'desc').orderBy('id', 'desc');
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    const rows = await query.execute();
    return rows.map(toAuditEvent);
  }
}
