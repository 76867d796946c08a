import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUserRoles } from '../../../../src/flows/admin/roles.js';
import { login } from '../../../../src/flows/auth/login.js';
import { logout } from '../../../../src/flows/sessions/logout.js';
import {
  deriveSuccessorToken,
  generateOpaqueToken,
  hashTokenSecret,
  parseOpaqueToken,
} from '../../../../src/flows/sessions/opaque-token.js';
import { decideRotation, refresh } from '../../../../src/flows/sessions/refresh.js';
import { StoreUnavailableError } from '../../../../src/errors.js';
import type {
  RefreshTokenRecord,
  RotationDecision,
  RotationState,
  SessionRecord,
} from '../../../../src/stores/types.js';
import { createSeededRandom, TEST_START, testConfig, type TestDeps } from '../../../helpers/test-deps.js';
import {
  CONTEXT,
  depsOn,
  familyOf,
  flowError,
  idOf,
  peekRefreshToken,
  principalOf,
  registerUser,
  STORE_KINDS,
} from '../fixtures.js';

const NOW = new Date('2026-01-15T10:00:00.000Z');
const ms = (offset: number) => new Date(NOW.getTime() + offset);
const SECOND = 1000;
const DAY = 86_400_000;
const GRACE = 10;

describe('decideRotation (pure)', () => {
  const key = Buffer.alloc(32, 7);
  const deps = { config: testConfig({ refreshReuseGraceSeconds: GRACE }), refreshDerivationKey: key };
  const presented = generateOpaqueToken(createSeededRandom('decide'));
  const wrong = generateOpaqueToken(createSeededRandom('guess'));
  const derived = deriveSuccessorToken(key, presented.token);

  const session = (patch: Partial<SessionRecord> = {}): SessionRecord => ({
    id: 'session-1',
    userId: 'user-1',
    kind: 'jwt',
    tokenHash: null,
    createdAt: ms(-DAY),
    lastSeenAt: ms(-DAY),
    idleExpiresAt: null,
    absoluteExpiresAt: ms(20 * DAY),
    revokedAt: null,
    revokedReason: null,
    userAgent: null,
    ip: null,
    ...patch,
  });
  const token = (patch: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
    id: presented.id,
    sessionId: 'session-1',
    parentId: 'parent-0',
    tokenHash: hashTokenSecret(presented.secret),
    createdAt: ms(-DAY),
    // Deliberately later than the session's end: a successor takes the session's absolute expiry.
    expiresAt: ms(30 * DAY),
    usedAt: null,
    revokedAt: null,
    ...patch,
  });
  const successor = (patch: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => ({
    id: derived.id,
    sessionId: 'session-1',
    parentId: presented.id,
    tokenHash: hashTokenSecret(derived.secret),
    createdAt: ms(-5 * SECOND),
    expiresAt: ms(20 * DAY),
    usedAt: null,
    revokedAt: null,
    ...patch,
  });
  const state = (
    t: Partial<RefreshTokenRecord> = {},
    s: Partial<SessionRecord> = {},
    next: RefreshTokenRecord | undefined = undefined,
  ): RotationState => ({ token: token(t), session: session(s), successor: next });
  const decide = (st: RotationState, secret = presented.secret, now = NOW) =>
    decideRotation(st, { token: `${presented.id}.${secret}`, secret }, deps, now);

  const usedInsideGrace = { usedAt: ms(-5 * SECOND) };
  const usedAfterGrace = { usedAt: ms(-(GRACE + 1) * SECOND) };

  describe('a secret that does not match rejects, whatever the token state (a guessed id never burns a family)', () => {
    it.each<[string, RotationState]>([
      ['unused', state()],
      ['used inside the grace window', state(usedInsideGrace, {}, successor())],
      ['used after the grace window', state(usedAfterGrace, {}, successor())],
      ['used, with no successor', state(usedAfterGrace)],
      ['revoked', state({ revokedAt: ms(-SECOND) })],
      ['of a revoked session', state({}, { revokedAt: ms(-SECOND) })],
      ['expired', state({ expiresAt: ms(-SECOND) })],
    ])('%s', (_name, st) => {
      expect(decide(st, wrong.secret)).toEqual({ kind: 'reject' });
    });

    it('an empty secret', () => {
      expect(decide(state(usedAfterGrace, {}, successor()), '')).toEqual({ kind: 'reject' });
    });
  });

  describe('revoked or expired rejects, and takes precedence over reuse detection', () => {
    it.each<[string, RotationState]>([
      ['revoked token', state({ revokedAt: ms(-SECOND) })],
      [
        'revoked token, used after grace',
        state({ ...usedAfterGrace, revokedAt: ms(-SECOND) }, {}, successor()),
      ],
      ['revoked session', state({}, { revokedAt: ms(-SECOND), revokedReason: 'logout_local' })],
      [
        'revoked session, token used after grace',
        state(usedAfterGrace, { revokedAt: ms(-SECOND) }, successor()),
      ],
      ['token expired', state({ expiresAt: ms(-SECOND) })],
      ['token expiring exactly now', state({ expiresAt: NOW })],
      ['session expired', state({}, { absoluteExpiresAt: ms(-SECOND) })],
      ['session expiring exactly now', state({}, { absoluteExpiresAt: NOW })],
      [
        'token expired, used after grace',
        state({ ...usedAfterGrace, expiresAt: ms(-SECOND) }, {}, successor()),
      ],
    ])('%s', (_name, st) => {
      expect(decide(st)).toEqual({ kind: 'reject' });
    });
  });

  it('an unused token rotates to the derived successor, bound to the session and its absolute expiry', () => {
    const decision = decide(state());
    expect(decision).toEqual<RotationDecision>({
      kind: 'rotate',
      at: NOW,
      successor: {
        id: derived.id,
        sessionId: 'session-1',
        parentId: presented.id,
        tokenHash: hashTokenSecret(derived.secret),
        createdAt: NOW,
        expiresAt: ms(20 * DAY),
      },
    });
  });

  it('rotates one millisecond before the token and the session expire', () => {
    const st = state({ expiresAt: ms(1) }, { absoluteExpiresAt: ms(1) });
    const decision = decide(st);
    expect(decision.kind).toBe('rotate');
    if (decision.kind === 'rotate') expect(decision.successor.expiresAt).toEqual(ms(1));
  });

  it('the successor id is derived from the presented token, never drawn at random', () => {
    const a = decide(state());
    const b = decide(state());
    expect(a).toEqual(b);
    const otherKey = decideRotation(
      state(),
      { token: presented.token, secret: presented.secret },
      { ...deps, refreshDerivationKey: Buffer.alloc(32, 8) },
      NOW,
    );
    expect(otherKey.kind).toBe('rotate');
    if (a.kind === 'rotate' && otherKey.kind === 'rotate')
      expect(otherKey.successor.id).not.toBe(a.successor.id);
  });

  describe('a used token', () => {
    it.each<[string, number]>([
      ['used just now', 0],
      ['used 5 s ago', 5 * SECOND],
      ['used exactly at the end of the grace window', GRACE * SECOND],
    ])('%s, with a successor → reuse-successor', (_name, ago) => {
      expect(decide(state({ usedAt: ms(-ago) }, {}, successor()))).toEqual({ kind: 'reuse-successor' });
    });

    it.each<[string, number]>([
      ['1 ms after the grace window', GRACE * SECOND + 1],
      ['11 s after use', 11 * SECOND],
      ['a day after use', DAY],
    ])('%s, with a successor → revoke-family', (_name, ago) => {
      expect(decide(state({ usedAt: ms(-ago) }, {}, successor()))).toEqual({
        kind: 'revoke-family',
        reason: 'refresh_token_reused',
        at: NOW,
      });
    });

    it.each<[string, number]>([
      ['inside the grace window', 0],
      ['after the grace window', 11 * SECOND],
    ])('with no successor, %s → revoke-family', (_name, ago) => {
      expect(decide(state({ usedAt: ms(-ago) }))).toEqual({
        kind: 'revoke-family',
        reason: 'refresh_token_reused',
        at: NOW,
      });
    });

    it('the grace window comes from the configuration', () => {
      const st = state({ usedAt: ms(-25 * SECOND) }, {}, successor());
      const wide = { ...deps, config: testConfig({ refreshReuseGraceSeconds: 30 }) };
      const none = { ...deps, config: testConfig({ refreshReuseGraceSeconds: 0 }) };
      const input = { token: presented.token, secret: presented.secret };
      expect(decideRotation(st, input, wide, NOW).kind).toBe('reuse-successor');
      expect(decideRotation(st, input, deps, NOW).kind).toBe('revoke-family');
      expect(decideRotation(state({ usedAt: NOW }, {}, successor()), input, none, NOW).kind).toBe(
        'reuse-successor',
      );
      expect(decideRotation(state({ usedAt: ms(-1) }, {}, successor()), input, none, NOW).kind).toBe(
        'revoke-family',
      );
    });
  });

  it('does not change the state it decides on', () => {
    const st = state(usedInsideGrace, {}, successor());
    const copy = structuredClone(st);
    decide(st);
    decide(state());
    expect(st).toEqual(copy);
  });
});

describe.each(STORE_KINDS)('refresh() over %s stores', (kind) => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await depsOn(kind, { refreshReuseGraceSeconds: GRACE });
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  it('rotates: a new refresh token, the old one marked used, the chain continues', async () => {
    const first = await registerUser(deps);
    deps.clock.advanceSeconds(60);
    const second = await refresh(deps, first.refreshToken, CONTEXT);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(parseOpaqueToken(second.refreshToken)).toBeDefined();
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.user.id).toBe(first.user.id);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBe(
      deriveSuccessorToken(deps.refreshDerivationKey, first.refreshToken).token,
    );

    const old = await peekRefreshToken(deps, idOf(first.refreshToken));
    expect(old?.token.usedAt).toEqual(deps.clock.now());
    expect(old?.successor?.id).toBe(idOf(second.refreshToken));
    expect(old?.successor?.parentId).toBe(idOf(first.refreshToken));

    deps.clock.advanceSeconds(60);
    const third = await refresh(deps, second.refreshToken, CONTEXT);
    expect(third.refreshToken).not.toBe(second.refreshToken);
    expect((await familyOf(deps, idOf(first.refreshToken))).map((t) => t.id)).toEqual(
      [first, second, third].map((p) => idOf(p.refreshToken)),
    );
  });

  it('records the refresh in the audit log', async () => {
    const first = await registerUser(deps);
    await refresh(deps, first.refreshToken, CONTEXT);
    const events = await deps.stores.audit.list({ type: 'refresh' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ userId: first.user.id, sessionId: first.sessionId, ip: CONTEXT.ip });
  });

  it('inside the grace window returns the very same successor, never a second one', async () => {
    const first = await registerUser(deps);
    const a = await refresh(deps, first.refreshToken, CONTEXT);
    deps.clock.advanceSeconds(3);
    const b = await refresh(deps, first.refreshToken, CONTEXT);
    deps.clock.advanceSeconds(GRACE - 3); // exactly the end of the window: still inside
    const c = await refresh(deps, first.refreshToken, CONTEXT);
    expect(b.refreshToken).toBe(a.refreshToken);
    expect(c.refreshToken).toBe(a.refreshToken);
    expect(b.accessToken).not.toBe(a.accessToken); // a fresh access token each time (new jti)
    expect(await familyOf(deps, idOf(first.refreshToken))).toHaveLength(2);
    expect(await deps.stores.audit.list({ type: 'refresh' })).toHaveLength(1);
    // The successor is still good.
    const next = await refresh(deps, a.refreshToken, CONTEXT);
    expect(next.refreshToken).not.toBe(a.refreshToken);
  });

  it('concurrent refreshes with one token all get the same successor', async () => {
    const first = await registerUser(deps);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => refresh(deps, first.refreshToken, CONTEXT)),
    );
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(1);
    expect(await familyOf(deps, idOf(first.refreshToken))).toHaveLength(2);
  });

  it('reuse after the grace window revokes the session and every token of the family', async () => {
    const first = await registerUser(deps);
    const second = await refresh(deps, first.refreshToken, CONTEXT);
    deps.clock.advanceSeconds(5);
    const third = await refresh(deps, second.refreshToken, CONTEXT);
    deps.clock.advanceSeconds(GRACE + 1);

    await flowError(refresh(deps, first.refreshToken, CONTEXT), 'refresh_token_reused');

    const session = await deps.stores.sessions.findById(first.sessionId);
    expect(session?.revokedAt).toEqual(deps.clock.now());
    expect(session?.revokedReason).toBe('refresh_token_reused');
    const family = await familyOf(deps, idOf(first.refreshToken));
    expect(family).toHaveLength(3);
    for (const member of family) expect(member.revokedAt).toEqual(deps.clock.now());

    // The newest successor, never used, fails now too; and so does a replay of the stolen token.
    await flowError(refresh(deps, third.refreshToken, CONTEXT), 'session_revoked');
    await flowError(refresh(deps, second.refreshToken, CONTEXT), 'session_revoked');
    await flowError(refresh(deps, first.refreshToken, CONTEXT), 'session_revoked');

    const audit = await deps.stores.audit.list({ type: 'refresh_reuse_detected' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: first.user.id, sessionId: first.sessionId });
  });

  /** @see issue #10, "Strict-mode revocation must survive faults" */
  it('a replay after a reuse detection whose announcement failed announces the session again', async () => {
    const first = await registerUser(deps);
    await refresh(deps, first.refreshToken, CONTEXT);
    deps.clock.advanceSeconds(GRACE + 1);
    const announced: string[][] = [];
    const announce = deps.revocations.announce;
    deps.revocations.announce = async (ids) => {
      announced.push([...ids]);
      if (announced.length === 1) throw new StoreUnavailableError('Redis away');
      await announce(ids);
    };
    await expect(refresh(deps, first.refreshToken, CONTEXT)).rejects.toBeInstanceOf(StoreUnavailableError);
    await flowError(refresh(deps, first.refreshToken, CONTEXT), 'session_revoked');
    expect(announced).toEqual([[first.sessionId], [first.sessionId]]);

    // Past the revocation window its access tokens have expired: nothing to announce any more.
    deps.clock.advanceSeconds(deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds);
    await flowError(refresh(deps, first.refreshToken, CONTEXT), 'session_revoked');
    expect(announced).toHaveLength(2);
  });

  it('reuse in one session leaves the user’s other sessions alone', async () => {
    const a = await registerUser(deps);
    const b = await login(
      deps,
      { email: 'ada@example.com', password: 'correct horse battery staple' },
      CONTEXT,
    );
    await refresh(deps, a.refreshToken, CONTEXT);
    deps.clock.advanceSeconds(GRACE + 1);
    await flowError(refresh(deps, a.refreshToken, CONTEXT), 'refresh_token_reused');
    const fromB = await refresh(deps, b.refreshToken, CONTEXT);
    expect(fromB.sessionId).toBe(b.sessionId);
  });

  it('a wrong secret for a real id is refresh_token_invalid and burns nothing, even after the grace window', async () => {
    const first = await registerUser(deps);
    const second = await refresh(deps, first.refreshToken, CONTEXT);
    deps.clock.advanceSeconds(GRACE + 1);
    const guessed = `${idOf(first.refreshToken)}.${'A'.repeat(43)}`;
    await flowError(refresh(deps, guessed, CONTEXT), 'refresh_token_invalid');
    const guessedNext = `${idOf(second.refreshToken)}.${'B'.repeat(43)}`;
    await flowError(refresh(deps, guessedNext, CONTEXT), 'refresh_token_invalid');
    expect((await deps.stores.sessions.findById(first.sessionId))?.revokedAt).toBeNull();
    expect(await deps.stores.audit.list({ type: 'refresh_reuse_detected' })).toHaveLength(0);
    const third = await refresh(deps, second.refreshToken, CONTEXT);
    expect(third.sessionId).toBe(first.sessionId);
  });

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['no dot', 'A'.repeat(66)],
    ['a short id', `${'A'.repeat(21)}.${'A'.repeat(43)}`],
    ['a long secret', `${'A'.repeat(22)}.${'A'.repeat(44)}`],
    ['padding', `${'A'.repeat(22)}.${'A'.repeat(42)}=`],
    ['standard base64 characters', `${'A'.repeat(21)}+.${'A'.repeat(43)}`],
    ['surrounding whitespace', ` ${'A'.repeat(22)}.${'A'.repeat(43)}`],
    ['a well-formed token nobody issued', `${'A'.repeat(22)}.${'A'.repeat(43)}`],
    ['not a string', 42],
  ])('%s → refresh_token_invalid', async (_name, presented) => {
    await registerUser(deps);
    await flowError(refresh(deps, presented as string, CONTEXT), 'refresh_token_invalid');
  });

  it('a token of a logged-out session → session_revoked', async () => {
    const first = await registerUser(deps);
    await logout(deps, principalOf(deps, first), 'local', CONTEXT);
    await flowError(refresh(deps, first.refreshToken, CONTEXT), 'session_revoked');
  });

  it('an expired refresh token → refresh_token_expired', async () => {
    const first = await registerUser(deps);
    deps.clock.advanceSeconds(deps.config.refreshTokenTtlSeconds - 1);
    const second = await refresh(deps, first.refreshToken, CONTEXT);
    deps.clock.advanceSeconds(1); // exactly at the absolute expiry: dead
    await flowError(refresh(deps, second.refreshToken, CONTEXT), 'refresh_token_expired');
    // An expired token is not reuse: the session was not revoked by the attempt.
    expect((await deps.stores.sessions.findById(first.sessionId))?.revokedAt).toBeNull();
  });

  it('rotation never extends the session: the successor expires with the session', async () => {
    const first = await registerUser(deps);
    deps.clock.advanceSeconds(3600);
    const second = await refresh(deps, first.refreshToken, CONTEXT);
    const state = await peekRefreshToken(deps, idOf(second.refreshToken));
    expect(state?.token.expiresAt).toEqual(state?.session.absoluteExpiresAt);
    expect(state?.session.absoluteExpiresAt).toEqual(
      new Date(TEST_START.getTime() + deps.config.refreshTokenTtlSeconds * 1000),
    );
  });

  it('a role change shows up in the next access token', async () => {
    const first = await registerUser(deps);
    expect(deps.accessTokens.verify(first.accessToken, deps.clock.now()).roles).toEqual([]);
    await setUserRoles(deps, first.user.id, ['admin', 'billing']);
    const second = await refresh(deps, first.refreshToken, CONTEXT);
    expect(deps.accessTokens.verify(second.accessToken, deps.clock.now()).roles).toEqual([
      'admin',
      'billing',
    ]);
    expect(second.user.roles).toEqual(['admin', 'billing']);
    await setUserRoles(deps, first.user.id, []);
    const third = await refresh(deps, second.refreshToken, CONTEXT);
    expect(deps.accessTokens.verify(third.accessToken, deps.clock.now()).roles).toEqual([]);
  });

  it('a disabled user → session_revoked', async () => {
    const first = await registerUser(deps);
    await deps.stores.users.update(first.user.id, { disabled: true, updatedAt: deps.clock.now() });
    await flowError(refresh(deps, first.refreshToken, CONTEXT), 'session_revoked');
  });

  it('a disabled user inside the grace window → session_revoked, no token handed out', async () => {
    const first = await registerUser(deps);
    await refresh(deps, first.refreshToken, CONTEXT);
    await deps.stores.users.update(first.user.id, { disabled: true, updatedAt: deps.clock.now() });
    await flowError(refresh(deps, first.refreshToken, CONTEXT), 'session_revoked');
  });

  it('a deleted user → refresh_token_invalid (the token went with the user)', async () => {
    const first = await registerUser(deps);
    await deps.stores.users.delete(first.user.id);
    await flowError(refresh(deps, first.refreshToken, CONTEXT), 'refresh_token_invalid');
  });
});
