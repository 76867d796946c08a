import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/index.js';

/**
 * Admin commands work on the server's database; they never create one. Run in the wrong folder, a
 * command would otherwise make a fresh ./data/tessera.db with a new signing key and answer from it
 * (a JWKS unrelated to the server, user_not_found). Only `serve` and `migrate` create the database.
 * PostgreSQL URLs name a server-side database that exists or fails to connect, so only SQLite files
 * are checked; `sqlite::memory:` is private to the process and always "exists".
 */
export function requireExistingDatabase(config: Config): void {
  const url = config.databaseUrl;
  if (!url.startsWith('sqlite:')) return;
  const path = url.slice('sqlite:'.length);
  if (path === ':memory:' || existsSync(path)) return;
  throw new ConfigError(
    'TESSERA_DATABASE_URL',
    `no Tessera database at ${resolve(path)}; set TESSERA_DATABASE_URL or run where the server runs (tessera migrate creates one)`,
    { shown: `got "${url}"` },
  );
}
