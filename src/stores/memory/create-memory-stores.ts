import type { Clock } from '../../platform/clock.js';
import type { Stores } from '../types.js';
import { MemoryAccountTokenStore } from './memory-account-token-store.js';
import { MemoryAuditStore } from './memory-audit-store.js';
import { MemoryClientStore } from './memory-client-store.js';
import { MemoryMailOutbox } from './memory-mail-outbox.js';
import { MemoryEphemeralStore } from './memory-ephemeral-store.js';
import { MemoryPasskeyStore } from './memory-passkey-store.js';
import { MemoryRefreshTokenStore } from './memory-refresh-token-store.js';
import { MemorySecretStore } from './memory-secret-store.js';
import { MemorySecondFactorStore } from './memory-second-factor-store.js';
import { MemorySessionStore } from './memory-session-store.js';
import { createMemoryTables } from './memory-tables.js';
import { MemorySigningKeyStore } from './memory-signing-key-store.js';
import { MemoryUserStore } from './memory-user-store.js';

/**
 * Every port in process memory, with the semantics of the SQL adapters (the contract suite runs on
 * both). For tests and for trying things out: nothing survives a restart, nothing is shared between
 * instances.
 */
export function createMemoryStores(options: { clock: Clock }): Stores {
  const tables = createMemoryTables();
  let open = true;
  const ephemeral = new MemoryEphemeralStore(options.clock);
  const mail = new MemoryMailOutbox(options.clock);
  return {
    users: new MemoryUserStore(tables),
    mailOutbox: mail,
    mailQueue: mail,
    accountTokens: new MemoryAccountTokenStore(tables),
    clients: new MemoryClientStore(),
    secondFactors: new MemorySecondFactorStore(tables),
    passkeys: new MemoryPasskeyStore(tables),
    sessions: new MemorySessionStore(tables),
    refreshTokens: new MemoryRefreshTokenStore(tables),
    signingKeys: new MemorySigningKeyStore(),
    secrets: new MemorySecretStore(),
    audit: new MemoryAuditStore(),
    ephemeral,
    lockouts: ephemeral,
    ping: async () => open,
    close: async () => {
      open = false;
    },
  };
}
