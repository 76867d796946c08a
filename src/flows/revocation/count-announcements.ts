import type { Metrics } from '../../platform/metrics.js';
import type { RevocationList } from '../../stores/revocation-list.js';

/**
 * The revocation list, counting what this instance announces: every path that announces (SessionStore
 * revocations through announceRevocations, refresh-token reuse, a retried request announcing again)
 * goes through `announce`, so none of them is missed. An announcement that could not be published is
 * counted as a failure and still thrown (StoreUnavailableError: the request answers 503).
 */
export function countAnnouncements(list: RevocationList, metrics: Metrics): RevocationList {
  return {
    get authoritative() {
      return list.authoritative;
    },
    healthy: () => list.healthy(),
    fresh: () => list.fresh(),
    isRevoked: (sessionId) => list.isRevoked(sessionId),
    async announce(sessionIds) {
      try {
        await list.announce(sessionIds);
      } catch (error) {
        metrics.revocationAnnounceFailed();
        throw error;
      }
      metrics.revocationsAnnounced(sessionIds.length);
    },
    onRevoked: (listener) => list.onRevoked(listener),
    close: () => list.close(),
  };
}
