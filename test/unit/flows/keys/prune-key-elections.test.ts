import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ELECTION_RETENTION_MS, pruneKeyElections } from '../../../../src/flows/keys/prune-key-elections.js';
import { KEY_RELOAD_INTERVAL_SECONDS, rotateSigningKeys } from '../../../../src/flows/keys/rotate-keys.js';
import { JWKS_MAX_AGE_SECONDS } from '../../../../src/keys/jwks.js';
import { REFRESH_DERIVATION_SECRET } from '../../../../src/server/create-deps.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { depsOn, STORE_KINDS } from '../fixtures.js';

const electionNames = async (deps: TestDeps): Promise<string[]> => [
  ...(await deps.stores.secrets.listByPrefix('signing_key:')).map((row) => row.name),
  ...(await deps.stores.secrets.listByPrefix('key_rotation:')).map((row) => row.name),
];

describe.each(STORE_KINDS)('pruneKeyElections (%s)', (kind) => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await depsOn(kind);
  });
  afterEach(() => deps.stores.close());

  it('deletes start-up and rotation elections once older than the retention, and nothing else', async () => {
    // Start-up election at T0; rotation elections for publish (T0) and promote (T0 + publish delay).
    await rotateSigningKeys(deps);
    deps.clock.advanceSeconds(JWKS_MAX_AGE_SECONDS + KEY_RELOAD_INTERVAL_SECONDS);
    await rotateSigningKeys(deps);
    const all = await electionNames(deps);
    expect(all).toHaveLength(3);

    // An hour after the first two: those go, the promote election (younger) stays.
    deps.clock.advanceSeconds(
      ELECTION_RETENTION_MS / 1000 - JWKS_MAX_AGE_SECONDS - KEY_RELOAD_INTERVAL_SECONDS,
    );
    const pruned = await pruneKeyElections(deps);
    expect(pruned).toHaveLength(2);
    expect(pruned.some((name) => name.startsWith('signing_key:'))).toBe(true);
    const left = await electionNames(deps);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^key_rotation:/);

    deps.clock.advanceSeconds(JWKS_MAX_AGE_SECONDS + KEY_RELOAD_INTERVAL_SECONDS - 1);
    expect(await pruneKeyElections(deps)).toEqual([]);
    deps.clock.advanceSeconds(1);
    expect(await pruneKeyElections(deps)).toEqual(left);
    expect(await electionNames(deps)).toEqual([]);

    // The refresh-token secret shares the table and is never touched; the keys themselves stay.
    expect(await deps.stores.secrets.listByPrefix(REFRESH_DERIVATION_SECRET)).toHaveLength(1);
    expect(await deps.stores.signingKeys.list()).toHaveLength(2);
  });

  it('leaves alone an election row whose time cannot be read', async () => {
    for (const value of ['not json', 'null', '{"at":"soon"}', '{"createdAt":"not a date"}', '[]'])
      await deps.stores.secrets.getOrCreate(`key_rotation:${value}`, () => value);
    deps.clock.advanceSeconds(10 * ELECTION_RETENTION_MS);
    await pruneKeyElections(deps);
    expect((await deps.stores.secrets.listByPrefix('key_rotation:')).map((row) => row.value).sort()).toEqual(
      ['not json', 'null', '{"at":"soon"}', '{"createdAt":"not a date"}', '[]'].sort(),
    );
  });

  it('keeps an election younger than the retention: a paused instance voting late still adopts the winner', async () => {
    await rotateSigningKeys(deps);
    const [publish] = await deps.stores.secrets.listByPrefix('key_rotation:');
    deps.clock.advanceSeconds(ELECTION_RETENTION_MS / 1000 - 1);
    expect(await pruneKeyElections(deps)).toEqual([]);
    // The late voter holds the same election and gets the stored decision, not its own proposal.
    expect(await deps.stores.secrets.getOrCreate(publish!.name, () => 'late proposal')).toBe(publish!.value);
  });
});
