import type { Config } from '../config/index.js';
import { loadConfig } from '../config/index.js';
import type { Deps } from '../flows/deps.js';
import { systemClock } from '../platform/clock.js';
import { cryptoRandom } from '../platform/random.js';
import type { OpenStoresOptions } from '../server/open-stores.js';
import type { RevocationList } from '../stores/revocation-list.js';
import type { Stores } from '../stores/types.js';
import { requireExistingDatabase } from './require-database.js';

export interface WithStoresOptions extends OpenStoresOptions {
  /** Create the database when it does not exist: `tessera migrate` only (serve opens its own). */
  createDatabase?: boolean;
}

/** Loads the configuration as `tessera serve` does (a ConfigError ends the command with exit 78). */
export function loadCliConfig(file: string | undefined): Config {
  return loadConfig(file === undefined ? {} : { file });
}

/**
 * Opens the configured stores (running pending migrations, as the server does on start), runs `work`
 * and closes them whatever happens, so the process can exit and SQLite's WAL is checkpointed. A
 * database that does not exist yet is refused (require-database.ts) unless `createDatabase` is set.
 */
export async function withStores<T>(
  configFile: string | undefined,
  work: (opened: {
    stores: Stores;
    revocations: RevocationList;
    description: string;
    config: Config;
  }) => Promise<T>,
  options: WithStoresOptions = {},
): Promise<T> {
  const config = loadCliConfig(configFile);
  if (options.createDatabase !== true) requireExistingDatabase(config);
  // Imported here, not at the top: the database drivers load only when a command really opens the
  // store, so --help and usage errors answer at once.
  const { openStores } = await import('../server/open-stores.js');
  const { stores, revocations, description } = await openStores(config, systemClock, options);
  try {
    return await work({ stores, revocations, description, config });
  } finally {
    await stores.close();
  }
}

/**
 * The server's own dependencies over the configured stores: the same keyring (generated on first
 * use, as a first start would), the argon2id OWASP hasher and a logger on stderr (stdout is the
 * command's output).
 */
export async function withDeps<T>(
  configFile: string | undefined,
  work: (deps: Deps) => Promise<T>,
): Promise<T> {
  // With Redis configured, revocations made here reach every running instance's strict-mode list.
  return withStores(configFile, async ({ stores, revocations, config }) => {
    const [{ createDeps }, { createLogger }] = await Promise.all([
      import('../server/create-deps.js'),
      import('../platform/logger.js'),
    ]);
    const logger = createLogger({ level: config.logLevel, destination: process.stderr });
    const deps = await createDeps({
      config,
      stores,
      clock: systemClock,
      random: cryptoRandom,
      logger,
      revocations,
    });
    return work(deps);
  });
}
