import type { ClientContext } from './client-context.js';
import { commit } from './credential-state.js';
import { errorFromResponse, readJson } from './http-problem.js';
import { JSON_HEADERS } from './refresh-flow.js';
import { credentialsFromBody } from './token-body.js';
import { getJson, rawFetch } from './transport.js';
import type { AuthState } from './types.js';

/** `login` for a user with a second factor: no session yet; complete it with `verifySecondFactor`. */
export interface MfaRequired {
  status: 'mfa_required';
  ticket: string;
  /** How the user may answer: `totp`, `recovery_code`. */
  methods: string[];
  /** Seconds the ticket lives. */
  expiresIn: number;
}

/** The second step: the ticket and the app's code, or a recovery code. */
export type SecondFactorAnswer = { ticket: string; code: string } | { ticket: string; recoveryCode: string };

export interface FactorInfo {
  id: string;
  kind: string;
  label: string;
  created_at: string;
  confirmed_at: string | null;
}

export interface TotpEnrolment {
  factorId: string;
  secret: string;
  otpauthUri: string;
  /** An SVG QR code of `otpauthUri`. */
  qrSvg: string;
}

/** The signed-in user's second factors (`client.mfa`). */
export interface MfaApi {
  list(): Promise<{ factors: FactorInfo[]; recoveryCodesRemaining: number }>;
  enrolTotp(options?: { label?: string }): Promise<TotpEnrolment>;
  /** Activates the enrolment; the first factor comes with recovery codes, returned once. */
  confirmTotp(code: string): Promise<{ factor: FactorInfo; recoveryCodes: string[] | null }>;
  /** Needs a recent two-factor sign-in (else TesseraError `insufficient_user_authentication`). */
  regenerateRecoveryCodes(): Promise<string[]>;
  /** Needs a recent two-factor sign-in for an active factor. */
  remove(factorId: string): Promise<void>;
}

/** Reads mfa_required out of a 401 answer to a sign-in, without consuming the response. */
export async function mfaRequiredOf(response: Response): Promise<MfaRequired | null> {
  if (response.status !== 401) return null;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as Record<string, unknown> | null;
  if (body?.code !== 'mfa_required' || typeof body.mfa_ticket !== 'string') return null;
  return {
    status: 'mfa_required',
    ticket: body.mfa_ticket,
    methods: Array.isArray(body.methods)
      ? body.methods.filter((m): m is string => typeof m === 'string')
      : [],
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 0,
  };
}

/** POST /auth/mfa/verify: the tokens come back as the first step asked for them, and sign this client in. */
export async function verifySecondFactor<Claims extends object>(
  ctx: ClientContext<Claims>,
  answer: SecondFactorAnswer,
): Promise<AuthState<Claims>> {
  const body =
    'code' in answer
      ? { ticket: answer.ticket, code: answer.code }
      : { ticket: answer.ticket, recovery_code: answer.recoveryCode };
  const response = await rawFetch(ctx, `${ctx.baseUrl}/auth/mfa/verify`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
    ...(ctx.delivery === 'body' ? {} : { credentials: 'include' as const }),
  });
  if (!response.ok) throw await errorFromResponse(response, ctx.clock.now());
  commit(
    ctx,
    credentialsFromBody(await readJson(response), ctx.mode, ctx.delivery, ctx.clock.now()),
    'signed-in',
  );
  return ctx.state;
}

export function createMfaApi(ctx: ClientContext): MfaApi {
  const post = (path: string, payload?: unknown) =>
    getJson(ctx, path, {
      method: 'POST',
      ...(payload === undefined ? {} : { headers: JSON_HEADERS, body: JSON.stringify(payload) }),
    }) as Promise<Record<string, unknown>>;
  return {
    async list() {
      const body = (await getJson(ctx, '/auth/mfa')) as {
        factors: FactorInfo[];
        recovery_codes_remaining: number;
      };
      return { factors: body.factors, recoveryCodesRemaining: body.recovery_codes_remaining };
    },
    async enrolTotp(options = {}) {
      const body = await post('/auth/mfa/totp', options.label === undefined ? {} : { label: options.label });
      return {
        factorId: body.factor_id as string,
        secret: body.secret as string,
        otpauthUri: body.otpauth_uri as string,
        qrSvg: body.qr_svg as string,
      };
    },
    async confirmTotp(code) {
      const body = await post('/auth/mfa/totp/confirm', { code });
      return {
        factor: body.factor as FactorInfo,
        recoveryCodes: (body.recovery_codes as string[] | undefined) ?? null,
      };
    },
    async regenerateRecoveryCodes() {
      return (await post('/auth/mfa/recovery-codes')).recovery_codes as string[];
    },
    async remove(factorId) {
      if (typeof factorId !== 'string' || factorId === '') throw new TypeError('A factor id is required.');
      await getJson(ctx, `/auth/mfa/factors/${encodeURIComponent(factorId)}`, { method: 'DELETE' });
    },
  };
}
