/** Shared by the flow tests: test deps on either store, a request context, and error assertions. */
import { expect } from 'vitest';
import type { FlowErrorCode } from '../../../src/errors.js';
import type { RequestContext } from '../../../src/flows/deps.js';
import { FlowError } from '../../../src/flows/flow-error.js';
import type { TokenPair } from '../../../src/flows/sessions/open-jwt-session.js';
import type { Principal } from '../../../src/flows/authenticate/principal.js';
import { register } from '../../../src/flows/auth/register.js';
import type { Config } from '../../../src/config/types.js';
import { createSqliteStores } from '../../../src/stores/sqlite/create-sqlite-stores.js';
import type { RefreshTokenRecord, RotationState } from '../../../src/stores/types.js';
import type { MailOutbox, OutgoingMail } from '../../../src/stores/mail-outbox.js';
import { createTestDeps, type TestDeps } from '../../helpers/test-deps.js';

export const CONTEXT: RequestContext = { ip: '203.0.113.7', userAgent: 'vitest' };
export const PASSWORD = 'correct horse battery staple';

export type StoreKind = 'memory' | 'sqlite';
export const STORE_KINDS: readonly StoreKind[] = ['memory', 'sqlite'];

/**
 * Test deps over memory stores or a private in-memory SQLite database (close with `deps.stores.close()`).
 * On SQLite the durable outbox stores every message, and a recorder beside it keeps what was enqueued
 * (`messages`, as MemoryMailOutbox has), so flow tests read the links the same way on both stores.
 */
export function depsOn(kind: StoreKind, config: Partial<Config> = {}): Promise<TestDeps> {
  return kind === 'memory'
    ? createTestDeps({ config })
    : createTestDeps({
        config,
        stores: async (clock) => {
          const stores = await createSqliteStores({ path: ':memory:', clock });
          return { ...stores, mailOutbox: new RecordingMailOutbox(stores.mailOutbox) };
        },
      });
}

/** Passes every message on to the real outbox and keeps a copy for the test to read. */
class RecordingMailOutbox implements MailOutbox {
  readonly messages: OutgoingMail[] = [];
  constructor(private readonly outbox: MailOutbox) {}

  async enqueue(mail: OutgoingMail): Promise<void> {
    await this.outbox.enqueue(mail);
    this.messages.push({ ...mail, data: { ...mail.data } });
  }
}

/** Awaits the promise and returns the FlowError it rejected with; fails on success or on another error. */
export async function flowError(promise: Promise<unknown>, code: FlowErrorCode): Promise<FlowError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a FlowError ${code}`).toBeInstanceOf(FlowError);
  const error = caught as FlowError;
  expect(error.code).toBe(code);
  return error;
}

/** Registers a user (a session is opened as a side effect) and returns the pair. */
export function registerUser(
  deps: TestDeps,
  email = 'ada@example.com',
  password = PASSWORD,
): Promise<TokenPair> {
  return register(deps, { email, password, name: 'Ada' }, CONTEXT);
}

/** The principal a verified access token of this pair stands for. */
export function principalOf(deps: TestDeps, pair: TokenPair): Principal {
  const claims = deps.accessTokens.verify(pair.accessToken, deps.clock.now());
  return { userId: claims.sub, sessionId: claims.sid, roles: claims.roles, kind: 'jwt', claims };
}

/**
 * Reads a refresh token's stored state through the port without changing anything: rotate() with a
 * decision that rejects writes nothing. Undefined when no token has that id.
 */
export async function peekRefreshToken(deps: TestDeps, id: string): Promise<RotationState | undefined> {
  let seen: RotationState | undefined;
  await deps.stores.refreshTokens.rotate(id, (state) => {
    seen = state;
    return { kind: 'reject' };
  });
  return seen;
}

/** Every token of a family, from the first one, following successors. */
export async function familyOf(deps: TestDeps, firstId: string): Promise<RefreshTokenRecord[]> {
  const family: RefreshTokenRecord[] = [];
  let state = await peekRefreshToken(deps, firstId);
  while (state !== undefined) {
    family.push(state.token);
    state = state.successor === undefined ? undefined : await peekRefreshToken(deps, state.successor.id);
  }
  return family;
}

/** The id part of an opaque token. */
export function idOf(token: string): string {
  return token.slice(0, token.indexOf('.'));
}
