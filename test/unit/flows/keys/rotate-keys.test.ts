import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JWKS_MAX_AGE_SECONDS } from '../../../../src/keys/jwks.js';
import { reloadKeys } from '../../../../src/flows/keys/reload-keys.js';
import {
  describeRotationStep,
  KEY_RELOAD_INTERVAL_SECONDS,
  rotateSigningKeys,
} from '../../../../src/flows/keys/rotate-keys.js';
import { loadKeyRing } from '../../../../src/flows/keys/signing-keys.js';
import type { SessionRecord, SigningKeyRecord, UserRecord } from '../../../../src/stores/types.js';
import { TokenError } from '../../../../src/token/errors.js';
import { depsOn, principalOf, registerUser, STORE_KINDS } from '../fixtures.js';
import type { TestDeps } from '../../../helpers/test-deps.js';

/** A `next` key is promoted after this long; a retired key is removed after KEEP_RETIRED. */
const PUBLISH = JWKS_MAX_AGE_SECONDS + KEY_RELOAD_INTERVAL_SECONDS;

function keepRetired(deps: TestDeps): number {
  const { accessTokenTtlSeconds, clockToleranceSeconds } = deps.config;
  return accessTokenTtlSeconds + clockToleranceSeconds + JWKS_MAX_AGE_SECONDS + KEY_RELOAD_INTERVAL_SECONDS;
}

async function states(deps: TestDeps): Promise<Record<string, SigningKeyRecord['state']>> {
  const records = await deps.stores.signingKeys.list();
  return Object.fromEntries(records.map((record) => [record.kid, record.state]));
}

describe.each(STORE_KINDS)('rotateSigningKeys (%s)', (kind) => {
  let deps: TestDeps;
  let user: UserRecord;
  let session: SessionRecord;

  beforeEach(async () => {
    deps = await depsOn(kind);
    const principal = principalOf(deps, await registerUser(deps));
    user = (await deps.stores.users.findById(principal.userId))!;
    session = (await deps.stores.sessions.findById(principal.sessionId!))!;
  });
  afterEach(() => deps.stores.close());

  const sign = (): string => deps.accessTokens.issue(user, session, deps.clock.now()).token;
  const verify = (token: string) => deps.accessTokens.verify(token, deps.clock.now());
  const step = () => rotateSigningKeys(deps);

  it('publishes a next key, promotes it once published long enough, then removes the retired key', async () => {
    const first = deps.keys.signingKey.kid;
    const published = await step();
    expect(published).toMatchObject({ action: 'published', alg: 'ES256' });
    const next = (published as { kid: string }).kid;
    expect(await states(deps)).toEqual({ [first]: 'current', [next]: 'next' });

    deps.clock.advanceSeconds(PUBLISH - 1);
    expect(await step()).toMatchObject({
      action: 'none',
      reason: expect.stringMatching(/not published long/),
    });
    deps.clock.advanceSeconds(1);
    expect(await step()).toEqual({ action: 'promoted', kid: next, retired: [first] });
    expect(await states(deps)).toEqual({ [first]: 'retired', [next]: 'current' });
    const retired = (await deps.stores.signingKeys.list()).find((record) => record.kid === first);
    expect(retired?.stateChangedAt).toEqual(deps.clock.now());

    // The next step publishes a new next key; the retired one is removed only once its tokens expired.
    const second = await step();
    expect(second.action).toBe('published');
    deps.clock.advanceSeconds(keepRetired(deps) - 1);
    expect((await step()).action).toBe('promoted');
    const after = await states(deps);
    expect(after[first]).toBe('retired');
    deps.clock.advanceSeconds(1);
    expect(await step()).toEqual({ action: 'removed', kids: [first] });
    expect(Object.keys(await states(deps))).not.toContain(first);
    expect(describeRotationStep({ action: 'removed', kids: [first] })).toContain(first);
  });

  it('is idempotent: a step already taken is not taken again', async () => {
    const published = await step();
    expect(await step()).toMatchObject({ action: 'none' });
    expect(Object.keys(await states(deps))).toHaveLength(2);
    deps.clock.advanceSeconds(PUBLISH);
    expect((await step()).action).toBe('promoted');
    const promoted = await states(deps);
    expect(promoted[(published as { kid: string }).kid]).toBe('current');
  });

  it('takes one step when several instances rotate at once', async () => {
    const results = await Promise.all([step(), step(), step()]);
    expect(results[0]?.action).toBe('published');
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    const records = await deps.stores.signingKeys.list();
    expect(records.filter((record) => record.state === 'next')).toHaveLength(1);

    deps.clock.advanceSeconds(PUBLISH);
    const promotions = await Promise.all([step(), step(), step()]);
    expect(new Set(promotions.map((result) => JSON.stringify(result))).size).toBe(1);
    expect(
      (await deps.stores.signingKeys.list()).filter((record) => record.state === 'current'),
    ).toHaveLength(1);
  });

  it('on a schedule, publishes only once the current key is older than the interval', async () => {
    const scheduled = () => rotateSigningKeys(deps, deps.clock.now(), { scheduled: true });
    expect(await scheduled()).toMatchObject({ action: 'none', reason: expect.stringMatching(/off/) });
    deps = { ...deps, config: { ...deps.config, keyRotationIntervalSeconds: 86_400 } };
    deps.clock.advanceSeconds(86_399);
    expect(await scheduled()).toMatchObject({ action: 'none', reason: expect.stringMatching(/not due/) });
    deps.clock.advanceSeconds(1);
    expect((await scheduled()).action).toBe('published');
    deps.clock.advanceSeconds(PUBLISH);
    expect((await scheduled()).action).toBe('promoted');
    // The promoted key is current from now on: the next rotation waits a whole interval again.
    deps.clock.advanceSeconds(86_399);
    expect((await scheduled()).action).toBe('removed');
    expect(await scheduled()).toMatchObject({ action: 'none', reason: expect.stringMatching(/not due/) });
  });

  it('verifies a token of the old current key after promotion and until removal, then key_not_found', async () => {
    const old = deps.keys.signingKey.kid;
    await step();
    await reloadKeys(deps);
    deps.clock.advanceSeconds(PUBLISH);
    const token = sign();
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid).toBe(old);
    await step(); // promote
    expect(await reloadKeys(deps)).toBe(true);
    expect(deps.keys.signingKey.kid).not.toBe(old);
    expect(verify(token).sub).toBe(user.id);
    deps.clock.advanceSeconds(deps.config.accessTokenTtlSeconds);
    expect(verify(token).sub).toBe(user.id);
    deps.clock.advanceSeconds(keepRetired(deps) - deps.config.accessTokenTtlSeconds);
    expect(await step()).toEqual({ action: 'removed', kids: [old] });
    await reloadKeys(deps);
    expect(deps.keys.has(old)).toBe(false);
    const error = (() => {
      try {
        verify(token);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).code).toBe('key_not_found');
  });

  it('publishes next, current and retired in the JWKS, never a private member; signs only with current', async () => {
    const retired = deps.keys.signingKey.kid;
    await step();
    deps.clock.advanceSeconds(PUBLISH);
    await step();
    const next = ((await step()) as { kid: string }).kid;
    await reloadKeys(deps);
    const byState = await states(deps);
    const current = Object.keys(byState).find((kid) => byState[kid] === 'current')!;
    expect(byState).toEqual({ [retired]: 'retired', [current]: 'current', [next]: 'next' });
    expect(deps.keys.signingKey.kid).toBe(current);
    const jwks = deps.keys.jwks();
    expect(jwks.keys.map((jwk) => jwk.kid).sort()).toEqual([retired, current, next].sort());
    for (const jwk of jwks.keys) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'])
        expect(jwk).not.toHaveProperty(member);
    }
  });

  it('another instance picks the rotation up on reload', async () => {
    const other = await loadKeyRing({
      ...deps,
      signingKeys: deps.stores.signingKeys,
      secrets: deps.stores.secrets,
    });
    const published = ((await step()) as { kid: string }).kid;
    const instance = { config: deps.config, stores: deps.stores, keys: other };
    const version = other.version;
    expect(await reloadKeys(instance)).toBe(true);
    expect(other.version).toBeGreaterThan(version);
    expect(other.has(published)).toBe(true);
    expect(await reloadKeys(instance)).toBe(false);
    deps.clock.advanceSeconds(PUBLISH);
    await step();
    await reloadKeys(instance);
    expect(other.signingKey.kid).toBe(published);
  });

  it('has zero failed verifications while rotating continuously', async () => {
    const live: string[] = [];
    let verified = 0;
    let failures = 0;
    let rotations = 0;
    let removals = 0;
    // Two rotations end to end, a token signed every 30 s and every live one verified each tick.
    for (let tick = 0; tick < 200; tick++) {
      const result = await step();
      if (result.action === 'promoted') rotations++;
      if (result.action === 'removed') removals++;
      if (result.action !== 'none') await reloadKeys(deps);
      live.push(sign());
      for (const token of live) {
        try {
          verify(token);
          verified++;
        } catch {
          failures++;
        }
      }
      deps.clock.advanceSeconds(30);
      // Keep only tokens that have not expired (exp + tolerance) by the next tick.
      const now = deps.clock.now().getTime() / 1000;
      for (let index = live.length - 1; index >= 0; index--) {
        const exp = JSON.parse(Buffer.from(live[index]!.split('.')[1]!, 'base64url').toString())
          .exp as number;
        if (exp + deps.config.clockToleranceSeconds <= now) live.splice(index, 1);
      }
    }
    expect(failures).toBe(0);
    expect(verified).toBeGreaterThan(1000);
    expect(rotations).toBeGreaterThanOrEqual(2);
    expect(removals).toBeGreaterThanOrEqual(1);
  });

  it('does nothing with keys from TESSERA_SIGNING_KEYS', async () => {
    const configured = { ...deps, config: { ...deps.config, signingKeys: { keys: [] } } };
    expect(await rotateSigningKeys(configured)).toMatchObject({ action: 'none' });
    expect(await reloadKeys(configured)).toBe(false);
  });
});
