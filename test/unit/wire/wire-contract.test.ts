import { describe, expectTypeOf, it } from 'vitest';
import type { AccessClaims as ClientAccessClaims, SessionInfo, User } from '../../../src/client/index.js';
import type { AccessTokenClaims } from '../../../src/flows/sessions/access-tokens.js';
import type { getCurrentUser, listSessions } from '../../../src/flows/sessions/own-sessions.js';
import type { AccessClaims, SessionView, UserView } from '../../../src/wire/index.js';

/** The SDK's public shapes are the server's answers, by type: checked by `tsc --noEmit`. */
describe('wire contract', () => {
  it('the SDK exposes the server views themselves', () => {
    expectTypeOf<User>().toEqualTypeOf<UserView>();
    expectTypeOf<SessionInfo>().toEqualTypeOf<SessionView>();
    expectTypeOf<ClientAccessClaims>().toEqualTypeOf<AccessClaims>();
  });

  it('the server answers with those views and signs those claims', () => {
    expectTypeOf<Awaited<ReturnType<typeof getCurrentUser>>>().toEqualTypeOf<UserView>();
    expectTypeOf<Awaited<ReturnType<typeof listSessions>>>().toEqualTypeOf<SessionView[]>();
    expectTypeOf<AccessTokenClaims>().toExtend<AccessClaims>();
  });
});
