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
  /** Whether the session was revoked, as far as this instance has heard. */
  isRevoked(sessionId: string): boolean;
  /** Records revocations here and announces them to every other instance. */
  announce(sessionIds: readonly string[]): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/**
 * The single-instance list: it knows nothing beyond the store, so it is not authoritative and strict
 * mode reads the session from the store on every request.
 */
export function createStoreOnlyRevocationList(): RevocationList {
  return {
    authoritative: false,
    healthy: () => true,
    isRevoked: () => false,
    announce: async () => {},
    close: async () => {},
  };
}
