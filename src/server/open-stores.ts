import type { Config } from '../config/types.js';
import type { Clock } from '../platform/clock.js';
import { createMemoryStores } from '../stores/memory/create-memory-stores.js';
import { MemoryEphemeralStore } from '../stores/memory/memory-ephemeral-store.js';
import { createSqliteStores } from '../stores/sqlite/create-sqlite-stores.js';
import type { Stores } from '../stores/types.js';

/** The one place an adapter is chosen, from TESSERA_DATABASE_URL. */
export async function openStores(
  config: Config,
  clock: Clock,
): Promise<{ stores: Stores; description: string }> {
  const url = config.databaseUrl;
  if (url === 'memory:')
    return { stores: createMemoryStores({ clock }), description: 'memory (nothing persists)' };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    // Rate-limit and lockout counters need speed, not durability: in memory unless Redis is configured.
    const stores = {
      ...(await createSqliteStores({ path, clock })),
      ephemeral: new MemoryEphemeralStore(clock),
    };
    return { stores, description: `sqlite ${path}` };
  }
  throw new Error(`TESSERA_DATABASE_URL: ${url.split(':')[0]}: stores are not available in this build yet.`);
}
