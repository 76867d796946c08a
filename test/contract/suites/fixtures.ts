import type { createFixedClock } from '../../../src/platform/clock.js';
import type {
  NewRefreshToken,
  NewSession,
  NewUser,
  RefreshTokenRecord,
  RotationState,
  SessionRecord,
  Stores,
  UserRecord,
} from '../../../src/stores/types.js';

export type FixedClock = ReturnType<typeof createFixedClock>;

/** What each contract test gets: fresh stores on a fixed clock. Fields are replaced before every test. */
export interface StoreContext {
  stores: Stores;
  clock: FixedClock;
}

export const T0 = new Date('2025-01-01T00:00:00.000Z');
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** T0 plus `ms` milliseconds. */
export function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

let sequence = 0;
export function nextId(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

export function newUser(overrides: Partial<NewUser> = {}): NewUser {
  const id = overrides.id ?? nextId('user');
  return {
    id,
    email: `${id}@example.com`,
    name: 'Ada',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    roles: ['user'],
    createdAt: T0,
    ...overrides,
  };
}

export function newSession(userId: string, overrides: Partial<NewSession> = {}): NewSession {
  return {
    id: nextId('session'),
    userId,
    kind: 'jwt',
    tokenHash: null,
    createdAt: T0,
    lastSeenAt: T0,
    idleExpiresAt: null,
    absoluteExpiresAt: at(30 * DAY_MS),
    userAgent: 'vitest',
    ip: '127.0.0.1',
    ...overrides,
  };
}

export function newRefreshToken(
  sessionId: string,
  overrides: Partial<NewRefreshToken> = {},
): NewRefreshToken {
  const id = overrides.id ?? nextId('rt');
  return {
    id,
    sessionId,
    parentId: null,
    tokenHash: `hash-of-${id}`,
    createdAt: T0,
    expiresAt: at(30 * DAY_MS),
    ...overrides,
  };
}

/** A user with one JWT-mode session and the first refresh token of its family. */
export async function seedFamily(
  stores: Stores,
): Promise<{ user: UserRecord; session: SessionRecord; token: RefreshTokenRecord }> {
  const user = await stores.users.create(newUser());
  const session = await stores.sessions.create(newSession(user.id));
  const token = await stores.refreshTokens.insert(newRefreshToken(session.id));
  return { user, session, token };
}

/** Reads a token's rotation state without writing anything (the port has no plain read). */
export async function readRotationState(stores: Stores, id: string): Promise<RotationState | undefined> {
  const result = await stores.refreshTokens.rotate(id, () => ({ kind: 'reject' }));
  return result?.state;
}

/** The successor a rotation of `token` would insert. */
export function successorOf(
  token: RefreshTokenRecord,
  overrides: Partial<NewRefreshToken> = {},
): NewRefreshToken {
  return newRefreshToken(token.sessionId, { parentId: token.id, createdAt: at(MINUTE_MS), ...overrides });
}
