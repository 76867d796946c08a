/**
 * What an instance knows about revoked sessions without reading the store. With Redis configured,
 * every instance hears every revocation (pub/sub), so the list is authoritative and strict mode can
 * answer from memory; without it, only this instance's own revocations are known and strict mode
 * reads the session from the store instead.
 */
export interface RevocationList {
  /** True when every instance's revocations reach this list (strict mode then skips the store read). */
  readonly authoritative: boolean;
  /** False while the fan-out is broken (Redis down): strict mode then fails closed (503) by default. */
  healthy(): boolean;
  /**
   * Whether the list has been reconciled with the durable record (the database) recently enough to
   * answer "not revoked" from memory. While healthy but not fresh (a slow or paused reconciliation, a
   * re-read after a reconnect), strict mode reads the session from the store instead (decision 0017).
   */
  fresh(): boolean;
  /** Whether the session was revoked, as far as this instance has heard. */
  isRevoked(sessionId: string): boolean;
  /** Records revocations here and announces them to every other instance. */
  announce(sessionIds: readonly string[]): Promise<void>;
  /**
   * Calls `listener` whenever this instance hears of revocations: its own announce() and, where there
   * is a fan-out (Redis), every other instance's. Wakes parked feed requests (GET /auth/revocations
   * `wait`). Returns the unsubscribe function.
   */
  onRevoked(listener: RevocationListener): () => void;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/**
 * The fast path among many instances (Redis pub/sub). `syncEpoch()` grows each time the fan-out
 * (re)gains sync, after a reconnect or when Redis turned out to be another server (run_id): what was
 * announced meanwhile may be lost, so the durable list reads the database's window again.
 */
export interface FanOutRevocationList extends RevocationList {
  syncEpoch(): number;
}

/** Told the session ids just revoked; must return quickly (it runs inside announce()). */
export type RevocationListener = (sessionIds: readonly string[]) => void;

/** The listener set behind onRevoked(): a listener that throws cannot break an announce. */
export function createRevocationListeners(): {
  add(listener: RevocationListener): () => void;
  notify(sessionIds: readonly string[]): void;
} {
  const listeners = new Set<RevocationListener>();
  return {
    add(listener) {
      const entry: RevocationListener = (ids) => listener(ids);
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    notify(sessionIds) {
      if (sessionIds.length === 0) return;
      for (const listener of [...listeners]) {
        try {
          listener(sessionIds);
        } catch {
          // A listener's failure is its own; the revocation has been committed and announced.
        }
      }
    },
  };
}

/**
 * The single-instance list: it knows nothing beyond the store, so it is not authoritative and strict
 * mode reads the session from the store on every request. Its listeners hear this instance's
 * revocations only.
 */
export function createStoreOnlyRevocationList(): RevocationList {
  const listeners = createRevocationListeners();
  return {
    authoritative: false,
    healthy: () => true,
    fresh: () => true,
    isRevoked: () => false,
    announce: async (sessionIds) => listeners.notify(sessionIds),
    onRevoked: (listener) => listeners.add(listener),
    close: async () => {},
  };
}
