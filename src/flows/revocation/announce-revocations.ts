import type { RevocationSelection, SessionStore } from '../../stores/types.js';
import type { RevocationList } from '../../stores/revocation-list.js';

/**
 * Wraps a SessionStore so every revocation it commits is also announced to the revocation list
 * (and through it to every instance). Logout, session revoke, password and role changes, admin and
 * CLI revocations, OAuth revoke, client removal and user deletion all go through SessionStore.revoke
 * or revokeForClient, so none of them can forget to announce.
 *
 * Announcing is idempotent: what is announced is every selected session found revoked within the
 * window (`windowSeconds`: access-token lifetime + clock tolerance), not only the ones revoked now. A
 * request retried after its announcement failed (503) announces again what the first attempt committed
 * (decision 0017). The database reconciliation delivers it anyway; this makes it fast again.
 */
export function announceRevocations(
  sessions: SessionStore,
  revocations: RevocationList,
  windowSeconds: number,
): SessionStore {
  const announceSelected = async (selection: RevocationSelection, at: Date, revoked: string[]) => {
    const since = new Date(at.getTime() - windowSeconds * 1000);
    const found = await sessions.listRevokedSelected(selection, since);
    const all = [...new Set([...revoked, ...found])];
    if (all.length > 0) await revocations.announce(all);
  };
  return {
    create: (session) => sessions.create(session),
    findById: (id) => sessions.findById(id),
    listActiveForUser: (userId, now) => sessions.listActiveForUser(userId, now),
    touch: (id, lastSeenAt, idleExpiresAt) => sessions.touch(id, lastSeenAt, idleExpiresAt),
    listRevokedSince: (after, limit) => sessions.listRevokedSince(after, limit),
    listRevokedSelected: (selection, since) => sessions.listRevokedSelected(selection, since),
    keepRevocationTombstones: (userId, since) => sessions.keepRevocationTombstones(userId, since),
    pruneRevocationTombstones: (before) => sessions.pruneRevocationTombstones(before),
    async revoke(args) {
      const revoked = await sessions.revoke(args);
      const { userId, ids, exceptId } = args;
      await announceSelected({ userId, ids, exceptId }, args.at, revoked);
      return revoked;
    },
    async revokeForClient(clientId, reason, at) {
      const revoked = await sessions.revokeForClient(clientId, reason, at);
      await announceSelected({ clientId }, at, revoked);
      return revoked;
    },
  };
}
