import type { Config } from '../config/types.js';
import { ensureBootstrapAdmin } from '../flows/admin/roles.js';
import type { PasswordHasher } from '../flows/auth/password-hasher.js';
import type { EmbeddedDeps } from '../http/embed/tessera-plugin.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { cryptoRandom, type Random } from '../platform/random.js';
import { createDeps } from './create-deps.js';
import { startKeyMaintenance } from './key-maintenance.js';
import { openStores } from './open-stores.js';

/** Replacements for the real clock, randomness, hasher or logger: for tests. */
export interface TesseraRuntime {
  clock?: Clock;
  random?: Random;
  hasher?: PasswordHasher;
  logger?: Logger;
}

/** As startServer does, without listening: stores, keys, the bootstrap admin, key maintenance. */
export async function openEmbedded(
  config: Config,
  runtime: TesseraRuntime,
  logger: Logger,
): Promise<EmbeddedDeps> {
  const clock = runtime.clock ?? systemClock;
  const { stores, revocations } = await openStores(config, clock, { logger });
  try {
    const deps = await createDeps({
      config,
      stores,
      clock,
      random: runtime.random ?? cryptoRandom,
      logger,
      revocations,
      ...(runtime.hasher === undefined ? {} : { hasher: runtime.hasher }),
    });
    await ensureBootstrapAdmin(deps);
    const keyMaintenance = startKeyMaintenance(deps);
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await keyMaintenance.stop();
        await stores.close();
      })());
    return { deps, close };
  } catch (error) {
    await stores.close();
    throw error;
  }
}
