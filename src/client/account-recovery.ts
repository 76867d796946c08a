import type { ClientContext } from './client-context.js';
import { updateUser } from './credential-state.js';
import { errorFromResponse, readJson } from './http-problem.js';
import { JSON_HEADERS } from './refresh-flow.js';
import { getJson, rawFetch } from './transport.js';
import type { ChangeEmailInput, ResetPasswordInput, User } from './types.js';
import { userFromBody } from './user-record.js';

/**
 * Account recovery and verified addresses (docs/account-recovery.md). The link tokens come from the
 * URL fragment of the links Tessera mails (`#/reset-password?token=…`); these calls send them in a
 * JSON body, never in a URL.
 */

/** POSTs JSON without credentials (the links and forgot-password need none); the body, or undefined for 204. */
async function postPublic(ctx: ClientContext, path: string, body: unknown): Promise<unknown> {
  const response = await rawFetch(ctx, `${ctx.baseUrl}${path}`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorFromResponse(response, ctx.clock.now());
  return response.status === 204 ? undefined : readJson(response);
}

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} is required.`);
  return value;
}

/** A user the server sent back: the state takes it when it is the signed-in user. */
function adoptUser(ctx: ClientContext, body: unknown): User {
  const user = userFromBody(body);
  updateUser(ctx, user, 'user-updated', 'self'); // only when it is the signed-in user
  return user;
}

/** Asks for a reset link. Resolves the same whether or not the address has an account. */
export async function requestPasswordReset(ctx: ClientContext, email: string): Promise<void> {
  await postPublic(ctx, '/auth/password/forgot', { email: requireText(email, 'email') });
}

/** Sets a new password with a reset link's token; every session of the user ends. */
export async function resetPassword(ctx: ClientContext, input: ResetPasswordInput): Promise<void> {
  await postPublic(ctx, '/auth/password/reset', {
    token: requireText(input?.token, 'token'),
    new_password: requireText(input?.newPassword, 'newPassword'),
  });
}

/** Confirms the address with a verification link's token; resolves with the verified user. */
export async function verifyEmail(ctx: ClientContext, token: string): Promise<User> {
  return adoptUser(ctx, await postPublic(ctx, '/auth/email/verify', { token: requireText(token, 'token') }));
}

/** Asks for a new verification link. Resolves the same whether or not the address has an account. */
export async function resendVerification(ctx: ClientContext, email: string): Promise<void> {
  await postPublic(ctx, '/auth/email/verify/resend', { email: requireText(email, 'email') });
}

/** Signed in: asks to move the account to `newEmail` (password again); a link goes to the new address. */
export async function changeEmail(ctx: ClientContext, input: ChangeEmailInput): Promise<void> {
  await getJson(ctx, '/auth/email/change', {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({
      new_email: requireText(input?.newEmail, 'newEmail'),
      password: requireText(input?.password, 'password'),
    }),
  });
}

/** Confirms an e-mail change with the token of the link sent to the new address. */
export async function confirmEmailChange(ctx: ClientContext, token: string): Promise<User> {
  const body = await postPublic(ctx, '/auth/email/change/confirm', { token: requireText(token, 'token') });
  return adoptUser(ctx, body);
}
