import { createHash } from 'node:crypto';
import type { Config } from '../../config/types.js';
import { JWKS_MAX_AGE_SECONDS } from '../../keys/jwks.js';
import type { Clock } from '../../platform/clock.js';
import type { SigningKeyRecord, Stores } from '../../stores/types.js';
import { accessTokenWindowSeconds } from '../sessions/access-token-window.js';
import { proposeKey } from './signing-keys.js';

/** How often a running server re-reads the keys (and, when configured, takes a rotation step). */
export const KEY_RELOAD_INTERVAL_SECONDS = 60;

/** Secret-store names of rotation-step elections (pruned by prune-key-elections.ts). */
export const KEY_ROTATION_ELECTION_PREFIX = 'key_rotation:';

/** What one rotation step did (or why it did nothing). */
export type RotationStep =
  | { action: 'published'; kid: string; alg: string }
  | { action: 'promoted'; kid: string; retired: string[] }
  | { action: 'removed'; kids: string[] }
  | { action: 'none'; reason: string };

export interface RotateOptions {
  /**
   * True for the server's timer: a `next` key is published only once the current key is older than
   * TESSERA_KEY_ROTATION_INTERVAL (and never when it is 0). False (the CLI): published at once.
   */
  scheduled?: boolean;
}

type Decision =
  | { action: 'publish'; at: number; key: Omit<SigningKeyRecord, 'createdAt'> & { createdAt: number } }
  | { action: 'promote'; at: number; kid: string; retire: string[] }
  | { action: 'remove'; at: number; kids: string[] };

/**
 * Takes ONE step of the key lifecycle (docs/keys.md), first that applies:
 *  1. remove `retired` keys retired longer than every token they signed can live
 *     (access-token TTL + clock tolerance + JWKS cache time + reload interval);
 *  2. promote a `next` key published longer than verifiers cache the JWKS (+ the reload interval, so
 *     every instance serves it before any verifier's cache window starts): it becomes `current` and
 *     the previous current key(s) become `retired`;
 *  3. with no `next` key, publish one of the configured algorithm (scheduled: only once the current
 *     key is older than the rotation interval).
 *
 * Safe across instances (and the CLI): each step is decided in an election in the secret store named
 * after the keys' present states, so instances that see the same keys take the same step (including
 * the same new key and timestamps), and applying a step twice changes nothing more.
 */
export async function rotateSigningKeys(
  deps: { config: Config; clock: Clock; stores: Pick<Stores, 'signingKeys' | 'secrets'> },
  now: Date = deps.clock.now(),
  options: RotateOptions = {},
): Promise<RotationStep> {
  const { config, stores } = deps;
  if (config.signingKeys !== null)
    return { action: 'none', reason: 'keys come from TESSERA_SIGNING_KEYS; rotate them there' };
  const records = await stores.signingKeys.list();
  const proposal = decide(config, deps.clock, records, now, options);
  if (typeof proposal === 'string') return { action: 'none', reason: proposal };

  const election = `${KEY_ROTATION_ELECTION_PREFIX}${fingerprint(records)}`;
  const decision = JSON.parse(
    await stores.secrets.getOrCreate(election, () => JSON.stringify(proposal)),
  ) as Decision;
  return apply(stores, decision);
}

function decide(
  config: Config,
  clock: Clock,
  records: SigningKeyRecord[],
  now: Date,
  options: RotateOptions,
): Decision | string {
  const at = now.getTime();
  const since = (record: SigningKeyRecord): number => (record.stateChangedAt ?? record.createdAt).getTime();
  const reloadMs = KEY_RELOAD_INTERVAL_SECONDS * 1000;

  const keepRetiredMs = (accessTokenWindowSeconds(config) + JWKS_MAX_AGE_SECONDS) * 1000 + reloadMs;
  const expired = records.filter(
    (record) => record.state === 'retired' && at - since(record) >= keepRetiredMs,
  );
  if (expired.length > 0) return { action: 'remove', at, kids: expired.map((record) => record.kid) };

  const currents = records.filter((record) => record.state === 'current');
  const next = records
    .filter((record) => record.state === 'next')
    .sort((a, b) => since(a) - since(b) || a.kid.localeCompare(b.kid))[0];
  if (next !== undefined) {
    if (at - since(next) < JWKS_MAX_AGE_SECONDS * 1000 + reloadMs)
      return `next key ${next.kid} is not published long enough yet`;
    return { action: 'promote', at, kid: next.kid, retire: currents.map((record) => record.kid) };
  }

  if (options.scheduled === true) {
    const interval = config.keyRotationIntervalSeconds * 1000;
    if (interval === 0) return 'automatic rotation is off (TESSERA_KEY_ROTATION_INTERVAL=0)';
    const youngest = Math.max(...currents.map(since));
    if (currents.length > 0 && at - youngest < interval) return 'the current key is not due for rotation';
  }
  const key = proposeKey(config, clock, 'next');
  return { action: 'publish', at, key: { ...key, createdAt: at } };
}

async function apply(stores: Pick<Stores, 'signingKeys'>, decision: Decision): Promise<RotationStep> {
  const at = new Date(decision.at);
  switch (decision.action) {
    case 'publish': {
      const record: SigningKeyRecord = { ...decision.key, createdAt: new Date(decision.key.createdAt) };
      try {
        await stores.signingKeys.insert(record);
      } catch (error) {
        // Another instance applied the same step first: that is the outcome we wanted.
        if (!(await stores.signingKeys.list()).some((existing) => existing.kid === record.kid)) throw error;
      }
      return { action: 'published', kid: record.kid, alg: record.alg };
    }
    case 'promote':
      // Promote before retiring: a crash in between leaves two current keys (both verify), never none.
      await stores.signingKeys.setState(decision.kid, 'current', at);
      for (const kid of decision.retire) {
        if (kid !== decision.kid) await stores.signingKeys.setState(kid, 'retired', at);
      }
      return {
        action: 'promoted',
        kid: decision.kid,
        retired: decision.retire.filter((kid) => kid !== decision.kid),
      };
    case 'remove':
      for (const kid of decision.kids) await stores.signingKeys.remove(kid);
      return { action: 'removed', kids: decision.kids };
  }
}

/** The election name: the same set of keys in the same states gives the same name on every instance. */
function fingerprint(records: SigningKeyRecord[]): string {
  const states = records.map((record) => `${record.kid}:${record.state}`).sort();
  return createHash('sha256').update(states.join('\n')).digest('base64url');
}

/** One line for logs and the CLI. */
export function describeRotationStep(step: RotationStep): string {
  switch (step.action) {
    case 'published':
      return `Published next key ${step.kid} (${step.alg}); it signs once promoted.`;
    case 'promoted':
      return `Promoted ${step.kid} to current${step.retired.length > 0 ? `; retired ${step.retired.join(', ')}` : ''}.`;
    case 'removed':
      return `Removed retired key(s) ${step.kids.join(', ')}.`;
    case 'none':
      return `Nothing to do: ${step.reason}.`;
  }
}
