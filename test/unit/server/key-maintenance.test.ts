import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEY_RELOAD_INTERVAL_SECONDS, rotateSigningKeys } from '../../../src/flows/keys/rotate-keys.js';
import { startKeyMaintenance } from '../../../src/server/key-maintenance.js';
import { createTestDeps } from '../../helpers/test-deps.js';

describe('startKeyMaintenance', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('every minute takes a scheduled rotation step when configured, then reloads the keyring', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const deps = await createTestDeps({ config: { keyRotationIntervalSeconds: 3600 } });
    const maintenance = startKeyMaintenance(deps);
    deps.clock.advanceSeconds(3600);
    const version = deps.keys.version;
    await vi.advanceTimersByTimeAsync(KEY_RELOAD_INTERVAL_SECONDS * 1000);
    const next = (await deps.stores.signingKeys.list()).find((record) => record.state === 'next');
    expect(next).toBeDefined();
    expect(deps.keys.has(next!.kid)).toBe(true);
    expect(deps.keys.version).toBeGreaterThan(version);
    await maintenance.stop();
  });

  it('only reloads when rotation is off, picking up a rotation made elsewhere; stop clears the timer', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const deps = await createTestDeps();
    const original = deps.keys.signingKey.kid;
    const maintenance = startKeyMaintenance(deps);
    await vi.advanceTimersByTimeAsync(KEY_RELOAD_INTERVAL_SECONDS * 1000);
    expect(await deps.stores.signingKeys.list()).toHaveLength(1);
    const step = await rotateSigningKeys(deps);
    expect(step.action).toBe('published');
    await vi.advanceTimersByTimeAsync(KEY_RELOAD_INTERVAL_SECONDS * 1000);
    expect(deps.keys.list()).toHaveLength(2);
    await maintenance.stop();
    // Promoted in the store after stop: the stopped timer no longer reloads.
    expect((await rotateSigningKeys(deps, new Date(deps.clock.now().getTime() + 3_600_000))).action).toBe(
      'promoted',
    );
    await vi.advanceTimersByTimeAsync(KEY_RELOAD_INTERVAL_SECONDS * 1000);
    expect(deps.keys.signingKey.kid).toBe(original);
  });
});
