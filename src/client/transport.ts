/**
 * How requests leave the client: with the credential added for trusted targets, refreshed before
 * expiry, retried once after a 401 that a refresh can cure, and once after a step-up challenge
 * (RFC 9470) the application answered with a fresh sign-in.
 */
import type { ClientContext } from './client-context.js';
import { canRefresh, commit } from './credential-state.js';
import { readCsrfCookie } from './csrf-cookie.js';
import { errorFromResponse, isInvalidTokenChallenge, networkError, readJson } from './http-problem.js';
import { addCredentials } from './request-credentials.js';
import { stepUpChallengeOf, type StepUpChallenge } from './step-up.js';

/** A token expiring within this margin is refreshed before a request rather than after its 401. */
const FRESHNESS_MARGIN_MS = 5_000;

/** The double-submit token: the CSRF cookie, or the one that came with our tokens. */
export const csrfToken = (ctx: ClientContext) =>
  readCsrfCookie(ctx.readCookie) ?? ctx.credentials?.csrfToken ?? undefined;

/** fetch, with a failure to reach the server turned into a `network_error`. */
export async function rawFetch(
  ctx: ClientContext,
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const target = ctx.resolveUrl(input); // a TypeError here is the caller's mistake, not the network's
  try {
    return await ctx.fetch(target, init);
  } catch (error) {
    throw networkError(error);
  }
}

const withCredentials = (ctx: ClientContext, input: string | URL | Request, init: RequestInit | undefined) =>
  addCredentials(input, init, {
    bearer: ctx.credentials?.bearer ?? null,
    cookies: ctx.delivery === 'cookie',
    csrfToken: () => csrfToken(ctx),
  });

/**
 * client.fetch: the credential only for trusted targets; after a 401, one refresh and one retry; after
 * a step-up challenge, the application's hook and, when it signed in afresh, one retry.
 */
export async function authorizedFetch(
  ctx: ClientContext,
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  if (!ctx.isTrusted(input)) return rawFetch(ctx, input, init);
  await ensureFresh(ctx);
  // Cloned before the first send: a Request body can be read once, and the retry needs it again.
  const replay = input instanceof Request ? input.clone() : input;
  const sentGeneration = ctx.gen;
  const response = await rawFetch(ctx, input, withCredentials(ctx, input, init));
  // A refresh keeps the sign-in's acr and auth_time: only a new sign-in answers a step-up challenge.
  const stepUp = ctx.credentials === null ? null : stepUpChallengeOf(response);
  if (stepUp !== null) {
    if (init?.body instanceof ReadableStream || !(await stepUpDone(ctx, stepUp))) return response;
    return rawFetch(ctx, replay, withCredentials(ctx, replay, init)); // once: a second challenge goes back
  }
  const rejected =
    ctx.credentials !== null &&
    response.status === 401 &&
    (isInvalidTokenChallenge(response) || ctx.delivery === 'cookie');
  if (!rejected || init?.body instanceof ReadableStream) return response;
  if (!(await recover(ctx, sentGeneration))) return response;
  const retryGeneration = ctx.gen;
  const retried = await rawFetch(ctx, replay, withCredentials(ctx, replay, init)); // once: a second 401 goes back
  if (retried.status === 401) ctx.refusedGen = retryGeneration;
  return retried;
}

/** Runs the application's step-up (shared by concurrent challenges): true when it signed in afresh. */
async function stepUpDone(ctx: ClientContext, challenge: StepUpChallenge): Promise<boolean> {
  const hook = ctx.onStepUp;
  if (hook === undefined) return false;
  ctx.stepping ??= Promise.resolve()
    .then(() => hook({ acrValues: [...challenge.acrValues], maxAgeSeconds: challenge.maxAgeSeconds }))
    .then(
      (signedIn) => signedIn === true && ctx.credentials !== null,
      () => false,
    )
    .finally(() => (ctx.stepping = undefined));
  return ctx.stepping;
}

/** Refreshes first when the access token is about to expire. */
export async function ensureFresh(ctx: ClientContext): Promise<void> {
  const c = ctx.credentials;
  if (c === null || !canRefresh(ctx, c) || c.expiresAt === null) return;
  if (ctx.clock.now() < c.expiresAt - FRESHNESS_MARGIN_MS) return;
  await ctx.refresh().catch(() => undefined); // offline: send anyway, the server has the last word
}

/** After a 401 for the credential of `sentGeneration`: true when a retry has a new one to send. */
async function recover(ctx: ClientContext, sentGeneration: number): Promise<boolean> {
  if (ctx.gen !== sentGeneration) return ctx.credentials !== null; // renewed (or ended) meanwhile
  const c = ctx.credentials;
  if (c === null || !canRefresh(ctx, c)) {
    commit(ctx, null, 'signed-out'); // a session token has no second chance: the session is over
    return false;
  }
  if (sentGeneration === ctx.refusedGen) return false;
  try {
    await ctx.refresh();
    return ctx.credentials !== null;
  } catch {
    return false;
  }
}

/** A Tessera path through authorizedFetch: the JSON body (undefined for 204), or a TesseraError. */
export async function getJson(ctx: ClientContext, path: string, init?: RequestInit): Promise<unknown> {
  const response = await authorizedFetch(ctx, ctx.baseUrl + path, init);
  if (!response.ok) throw await errorFromResponse(response, ctx.clock.now());
  return response.status === 204 ? undefined : readJson(response);
}
