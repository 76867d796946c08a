import type { Deps } from '../flows/deps.js';
import { pruneKeyElections } from '../flows/keys/prune-key-elections.js';
import { reloadKeys } from '../flows/keys/reload-keys.js';
import {
  describeRotationStep,
  KEY_RELOAD_INTERVAL_SECONDS,
  rotateSigningKeys,
} from '../flows/keys/rotate-keys.js';

export interface KeyMaintenance {
  /** Clears the timer and waits for a tick in progress. */
  stop(): Promise<void>;
}

/**
 * Every minute: takes a rotation step when TESSERA_KEY_ROTATION_INTERVAL is set, then re-reads the keys,
 * so rotations made by any instance or `tessera keys rotate` reach this server's keyring, and deletes
 * key elections older than an hour. The timer is
 * unref'd (it never holds the process open); a failed tick is logged and the next one tries again.
 */
export function startKeyMaintenance(deps: Deps): KeyMaintenance {
  if (deps.config.signingKeys !== null) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  const tick = async (): Promise<void> => {
    try {
      if (deps.config.keyRotationIntervalSeconds > 0) {
        const step = await rotateSigningKeys(deps, deps.clock.now(), { scheduled: true });
        if (step.action !== 'none') deps.logger.info({ rotation: step }, describeRotationStep(step));
      }
      if (await reloadKeys(deps))
        deps.logger.info({ kid: deps.keys.signingKey.kid }, 'Signing keys reloaded');
      const pruned = await pruneKeyElections(deps);
      if (pruned.length > 0) deps.logger.debug({ pruned: pruned.length }, 'Old key elections deleted');
    } catch (error) {
      deps.logger.warn({ err: error }, 'Signing-key maintenance failed; retrying at the next tick');
    }
  };
  const timer = setInterval(() => {
    running ??= tick().finally(() => (running = undefined));
  }, KEY_RELOAD_INTERVAL_SECONDS * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
