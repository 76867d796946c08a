import type { SessionStore } from '../stores/types.js';
import type { RevocationList } from './revocations.js';

/**
 * Wraps a SessionStore so every revocation it commits is also announced to the revocation list
 * (and through it to every instance). Logout, session revoke, password and role changes all go
 * through SessionStore.revoke, so none of them can forget to announce.
 */
export function announceRevocations(sessions: SessionStore, revocations: RevocationList): SessionStore {
  return {
    create: (session) => sessions.create(session),
    findById: (id) => sessions.findById(id),
    listActiveForUser: (userId, now) => sessions.listActiveForUser(userId, now),
    touch: (id, lastSeenAt, idleExpiresAt) => sessions.touch(id, lastSeenAt, idleExpiresAt),
    listRevokedSince: (after, limit) => sessions.listRevokedSince(after, limit),
    keepRevocationTombstones: (userId, since) => sessions.keepRevocationTombstones(userId, since),
    pruneRevocationTombstones: (before) => sessions.pruneRevocationTombstones(before),
    async revoke(args) {
      const revoked = await sessions.revoke(args);
      if (revoked.length > 0) await revocations.announce(revoked);
      return revoked;
    },
    async revokeForClient(clientId, reason, at) {
      const revoked = await sessions.revokeForClient(clientId, reason, at);
      if (revoked.length > 0) await revocations.announce(revoked);
      return revoked;
    },
  };
}
