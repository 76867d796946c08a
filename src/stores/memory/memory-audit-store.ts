import type { AuditEvent, AuditEventType, AuditStore } from '../types.js';

/** `detail` is kept as JSON text, as SQL keeps it, so both adapters hand back the same shapes. */
interface StoredEvent {
  at: Date;
  type: AuditEventType;
  userId: string | null;
  sessionId: string | null;
  ip: string | null;
  detailJson: string | null;
}

export class MemoryAuditStore implements AuditStore {
  /** In insertion order, which is id order in SQL. */
  readonly #events: StoredEvent[] = [];

  async record(event: AuditEvent): Promise<void> {
    this.#events.push({
      at: new Date(event.at),
      type: event.type,
      userId: event.userId,
      sessionId: event.sessionId,
      ip: event.ip,
      detailJson: event.detail === null ? null : JSON.stringify(event.detail),
    });
  }

  /** Newest first (by `at`, then by insertion), at most `limit`. */
  async list(filter: { userId?: string; type?: AuditEventType; limit?: number } = {}): Promise<AuditEvent[]> {
    const matching = this.#events
      .map((event, seq) => ({ event, seq }))
      .filter(({ event }) => filter.userId === undefined || event.userId === filter.userId)
      .filter(({ event }) => filter.type === undefined || event.type === filter.type)
      .sort((a, b) => b.event.at.getTime() - a.event.at.getTime() || b.seq - a.seq);
    return matching.slice(0, filter.limit).map(({ event }) => toAuditEvent(event));
  }
}

function toAuditEvent(event: StoredEvent): AuditEvent {
  return {
    at: new Date(event.at),
    type: event.type,
    userId: event.userId,
    sessionId: event.sessionId,
    ip: event.ip,
    detail: event.detailJson === null ? null : (JSON.parse(event.detailJson) as Record<string, unknown>),
  };
}
