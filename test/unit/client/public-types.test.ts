import { describe, expectTypeOf, it } from 'vitest';
import {
  createTesseraClient,
  type TesseraError,
  type AuthEvent,
  type AuthState,
  type ClientOptions,
  type SessionInfo,
  type StepUpChallenge,
  type TesseraClient,
  type TesseraErrorCode,
  type User,
} from '../../../src/client/index.js';

/** Type tests of the public API (STYLE §7): checked by `tsc --noEmit`, and run as no-ops by vitest. */
describe('tessera/client public types', () => {
  it('carries custom claims through the generic', () => {
    const client = createTesseraClient<{ tenant: string }>({ fetch: async () => new Response() });
    expectTypeOf(client).toEqualTypeOf<TesseraClient<{ tenant: string }>>();
    const state = client.getState();
    if (state.status === 'signed-in' && state.claims !== null) {
      expectTypeOf(state.claims.tenant).toEqualTypeOf<string>();
      expectTypeOf(state.claims.exp).toEqualTypeOf<number>();
      expectTypeOf(state.user).toEqualTypeOf<User | null>();
    }
    client.dispose();
  });

  it('narrows the auth state on `status`', () => {
    expectTypeOf<Extract<AuthState, { status: 'signed-out' }>>().toEqualTypeOf<{ status: 'signed-out' }>();
    expectTypeOf<Extract<AuthState, { status: 'signed-in' }>['mode']>().toEqualTypeOf<'jwt' | 'session'>();
  });

  it('types the methods, responses and error codes', () => {
    expectTypeOf<TesseraClient['me']>().returns.resolves.toEqualTypeOf<User>();
    expectTypeOf<TesseraClient['sessions']['list']>().returns.resolves.toEqualTypeOf<SessionInfo[]>();
    expectTypeOf<TesseraError['code']>().toEqualTypeOf<TesseraErrorCode>();
    expectTypeOf<'refresh_token_reused'>().toExtend<TesseraErrorCode>();
    expectTypeOf<'network_error'>().toExtend<TesseraErrorCode>();
    expectTypeOf<'not_a_code'>().not.toExtend<TesseraErrorCode>();
    expectTypeOf<'user-updated'>().toExtend<AuthEvent>();
    expectTypeOf<'user-changed'>().not.toExtend<AuthEvent>();
    // @ts-expect-error: the logout scope is a closed set
    void ({} as TesseraClient).logout?.({ scope: 'everyone' });
  });

  it('types the step-up hook and the challenge on errors', () => {
    expectTypeOf<StepUpChallenge>().toEqualTypeOf<{ acrValues: string[]; maxAgeSeconds: number | null }>();
    expectTypeOf<NonNullable<ClientOptions['onStepUpRequired']>>()
      .parameter(0)
      .toEqualTypeOf<StepUpChallenge>();
    expectTypeOf<NonNullable<ClientOptions['onStepUpRequired']>>().returns.toEqualTypeOf<
      Promise<boolean> | boolean
    >();
    expectTypeOf<TesseraError['acrValues']>().toEqualTypeOf<string[] | null>();
    expectTypeOf<TesseraError['maxAgeSeconds']>().toEqualTypeOf<number | null>();
    expectTypeOf<'insufficient_user_authentication'>().toExtend<TesseraErrorCode>();
    // @ts-expect-error: the hook answers whether to retry, not a token
    void ({ onStepUpRequired: async () => 'token' } satisfies ClientOptions);
  });
});
