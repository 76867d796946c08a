import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/platform/clock.js';
import type { Clock } from '../../src/platform/clock.js';
import type { Stores } from '../../src/stores/types.js';
import { describeAccountTokenStore } from './suites/account-tokens.js';
import { describeAuditStore } from './suites/audit.js';
import { describeClientStore } from './suites/clients.js';
import { describeEphemeralStore } from './suites/ephemeral.js';
import { describeMailOutbox } from './suites/mail-outbox.js';
import { T0 } from './suites/fixtures.js';
import type { StoreContext } from './suites/fixtures.js';
import { describePasskeyStore } from './suites/passkeys.js';
import { describeRefreshTokenStore } from './suites/refresh-tokens.js';
import { describeRevokedSessionsFeed } from './suites/revoked-sessions.js';
import { describeSecondFactorStore } from './suites/second-factors.js';
import { describeSecretStore } from './suites/secrets.js';
import { describeSessionStore } from './suites/sessions.js';
import { describeSigningKeyStore } from './suites/signing-keys.js';
import { describeUserStore } from './suites/users.js';

/** Builds a fresh, empty set of stores whose time-dependent parts read `clock`. */
export type MakeStores = (clock: Clock) => Promise<Stores>;

/**
 * The one contract every store adapter meets (docs/architecture.md, "Add a store adapter"). Each test gets fresh stores on a fixed
 * clock that only moves when the test moves it; nothing sleeps.
 */
export function describeStoreContract(name: string, makeStores: MakeStores): void {
  describe(`${name} stores`, () => {
    const ctx = {} as StoreContext;

    beforeEach(async () => {
      ctx.clock = createFixedClock(T0);
      ctx.stores = await makeStores(ctx.clock);
    });

    afterEach(async () => {
      await ctx.stores.close();
    });

    it('answers ping while open', async () => {
      expect(await ctx.stores.ping()).toBe(true);
    });

    describeUserStore(ctx);
    describeSessionStore(ctx);
    describeRevokedSessionsFeed(ctx);
    describeRefreshTokenStore(ctx);
    describeSigningKeyStore(ctx);
    describeSecretStore(ctx);
    describeAuditStore(ctx);
    describeEphemeralStore(ctx);
    describeClientStore(ctx);
    describeMailOutbox(ctx);
    describeAccountTokenStore(ctx);
    describeSecondFactorStore(ctx);
    describePasskeyStore(ctx);
  });
}
