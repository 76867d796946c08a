import type { Clock } from '../../platform/clock.js';
import type { Stores } from '../../stores/types.js';
import { KEY_ROTATION_ELECTION_PREFIX } from './rotate-keys.js';
import { SIGNING_KEY_ELECTION_PREFIX } from './signing-keys.js';

/**
 * How long an election row is kept after it was held. An election only matters to an instance that
 * read the keys in the state the election is named after and has not yet voted: that gap is the time
 * between one store read and the next write (milliseconds; a paused process, longer). An hour covers
 * any pause we can think of, and is far below how long a key lives.
 */
export const ELECTION_RETENTION_MS = 60 * 60 * 1000;

/**
 * Deletes key elections older than ELECTION_RETENTION_MS. Elections (see signing-keys.ts and
 * rotate-keys.ts) carry the proposed key, private part included (sealed with a master key): without
 * this, a copy of every key ever proposed would outlive the key's removal from signing_keys, and a
 * database whose keys were wiped would resurrect the old winner. A row whose time cannot be read is
 * left alone rather than guessed at.
 */
export async function pruneKeyElections(
  deps: { clock: Clock; stores: Pick<Stores, 'secrets'> },
  now: Date = deps.clock.now(),
): Promise<string[]> {
  const pruned: string[] = [];
  for (const prefix of [SIGNING_KEY_ELECTION_PREFIX, KEY_ROTATION_ELECTION_PREFIX]) {
    for (const { name, value } of await deps.stores.secrets.listByPrefix(prefix)) {
      const heldAt = electionTime(value);
      if (heldAt !== undefined && now.getTime() - heldAt >= ELECTION_RETENTION_MS) {
        await deps.stores.secrets.delete(name);
        pruned.push(name);
      }
    }
  }
  return pruned;
}

/** Start-up elections store the proposed key (`createdAt`, ISO); rotation steps their time (`at`, ms). */
function electionTime(value: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { at, createdAt } = parsed as { at?: unknown; createdAt?: unknown };
  if (typeof at === 'number' && Number.isFinite(at)) return at;
  if (typeof createdAt === 'string') {
    const time = Date.parse(createdAt);
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}
