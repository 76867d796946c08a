import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/platform/clock.js';
import { createPostgresStores } from '../../src/stores/postgres/create-postgres-stores.js';
import type { RotationDecision, RotationState, Stores } from '../../src/stores/types.js';
import { createTestSchema, postgresUrl, servicesAvailable } from '../helpers/services.js';
import type { TestSchema } from '../helpers/services.js';
import { at, MINUTE_MS, readRotationState, seedFamily, successorOf, T0 } from './suites/fixtures.js';

/** Three pools on one schema stand in for three server instances: they share nothing but the database. */
const INSTANCES = 3;

/** The refresh flow's decision when nothing is wrong: rotate once, then hand out the same successor. */
function rotateOnce(state: RotationState): RotationDecision {
  if (state.successor !== undefined) return { kind: 'reuse-successor' };
  return { kind: 'rotate', successor: successorOf(state.token), at: at(MINUTE_MS) };
}

const available = await servicesAvailable('PostgreSQL cross-instance rotation', { postgres: true });

describe.skipIf(!available)('postgres across instances', () => {
  const clock = createFixedClock(T0);
  let schema: TestSchema;
  let instances: Stores[] = [];
  /** The instance that serves call number `i`. */
  const instance = (i: number): Stores => instances[i % INSTANCES] as Stores;
  const childrenOf = async (id: string) =>
    schema.query<{ id: string }>('SELECT id FROM refresh_tokens WHERE parent_id = $1', [id]);

  beforeAll(async () => {
    schema = await createTestSchema('tessera_test');
  });

  beforeEach(async () => {
    const open = () => createPostgresStores({ url: postgresUrl(), clock, schema: schema.name, poolSize: 10 });
    // One after the other: the first migrates, the others find nothing to do.
    instances = [];
    for (let i = 0; i < INSTANCES; i += 1) instances.push(await open());
  });

  afterEach(async () => {
    await Promise.all(instances.map((stores) => stores.close()));
  });

  afterAll(async () => {
    await schema?.drop();
  });

  it('gives a token exactly one successor when 100 rotations race over three pools', async () => {
    const { token } = await seedFamily(instance(0));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => instance(i).refreshTokens.rotate(token.id, rotateOnce)),
    );
    const kinds = results.map((result) => result?.decision.kind);
    expect(kinds.filter((kind) => kind === 'rotate')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'reuse-successor')).toHaveLength(99);
    const successorIds = new Set(results.map((result) => result?.successor?.id));
    expect(successorIds.size).toBe(1);
    expect(await childrenOf(token.id)).toEqual([{ id: [...successorIds][0] }]);
  });

  it('refuses a second child to a rotate decision on a rotated token, one after the other', async () => {
    const { token } = await seedFamily(instance(0));
    const first = await instance(0).refreshTokens.rotate(token.id, rotateOnce);
    const fork = successorOf(token);
    const second = instance(1).refreshTokens.rotate(token.id, () => ({
      kind: 'rotate',
      successor: fork,
      at: at(2 * MINUTE_MS),
    }));
    await expect(second).rejects.toThrow(TypeError);
    expect(await childrenOf(token.id)).toEqual([{ id: first?.successor?.id }]);
    expect((await readRotationState(instance(2), token.id))?.token.usedAt).toEqual(at(MINUTE_MS));
  });

  it('refuses a second child when every racing instance decides to rotate', async () => {
    const { token } = await seedFamily(instance(0));
    // A careless `decide` that always rotates: the row lock makes every caller after the first see the
    // committed successor, and the store refuses to fork the family.
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        instance(i).refreshTokens.rotate(token.id, (state) => ({
          kind: 'rotate',
          successor: successorOf(state.token),
          at: at(MINUTE_MS),
        })),
      ),
    );
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(29);
    for (const result of rejected) expect(result.reason).toBeInstanceOf(TypeError);
    expect(await childrenOf(token.id)).toHaveLength(1);
  });

  it('keeps UNIQUE(parent_id) as the last guard below the store', async () => {
    const { token } = await seedFamily(instance(0));
    await instance(0).refreshTokens.rotate(token.id, rotateOnce);
    const insertSecondChild = schema.query(
      `INSERT INTO refresh_tokens (id, session_id, parent_id, token_hash, created_at, expires_at)
       VALUES ('fork', $1, $2, 'hash', 0, 1)`,
      [token.sessionId, token.id],
    );
    await expect(insertSecondChild).rejects.toMatchObject({ code: '23505' });
    expect(await childrenOf(token.id)).toHaveLength(1);
  });

  it('leaves no live token in a family revoked while other instances rotate its newest token', async () => {
    const { session, token } = await seedFamily(instance(0));
    const rotated = await instance(0).refreshTokens.rotate(token.id, rotateOnce);
    const newest = rotated?.successor?.id ?? '';
    const reuse = instance(0).refreshTokens.rotate(token.id, () => ({
      kind: 'revoke-family',
      reason: 'refresh_token_reused',
      at: at(2 * MINUTE_MS),
    }));
    // Rotations decide on what they read: a revoked session is refused, as the refresh flow would.
    const rotations = Array.from({ length: 20 }, (_, i) =>
      instance(i + 1).refreshTokens.rotate(newest, (state) =>
        state.session.revokedAt !== null ? { kind: 'reject' } : rotateOnce(state),
      ),
    );
    await Promise.all([reuse, ...rotations]);
    const live = await schema.query(
      'SELECT id FROM refresh_tokens WHERE session_id = $1 AND revoked_at IS NULL',
      [session.id],
    );
    expect(live).toEqual([]);
    expect(await instance(1).sessions.findById(session.id)).toMatchObject({
      revokedReason: 'refresh_token_reused',
    });
  });

  it('counts and hands out ephemeral values exactly once across instances', async () => {
    const counts = await Promise.all(
      Array.from({ length: 60 }, (_, i) => instance(i).ephemeral.increment('ip:1', 60)),
    );
    expect(counts.map((result) => result.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    await instance(0).ephemeral.set('code', 'one-time', 60);
    const taken = await Promise.all(
      Array.from({ length: 30 }, (_, i) => instance(i).ephemeral.getAndDelete('code')),
    );
    expect(taken.filter((value) => value !== undefined)).toEqual(['one-time']);
  });

  it('lets one secret win when instances create it at the same time', async () => {
    const values = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        instance(i).secrets.getOrCreate('refresh-key', () => `value-${i}`),
      ),
    );
    expect(new Set(values).size).toBe(1);
  });

  it('lets exactly one use of an account link win when 30 uses race over three pools', async () => {
    const { user } = await seedFamily(instance(0));
    await instance(0).accountTokens.issue({
      id: 'link-race',
      userId: user.id,
      purpose: 'password_reset',
      tokenHash: 'aGFzaA',
      email: user.email,
      createdAt: T0,
      expiresAt: at(30 * MINUTE_MS),
    });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => instance(i).accountTokens.consume('link-race', at(MINUTE_MS))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
