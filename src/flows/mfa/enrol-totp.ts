import QRCode from 'qrcode';
import type { Principal } from '../authenticate/principal.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { newId } from '../sessions/open-jwt-session.js';
import { listActiveFactors } from './second-factor-methods.js';
import { buildOtpauthUri, generateTotpSecret, sealTotpSecret } from './totp-factor.js';

export interface TotpEnrolment {
  factorId: string;
  /** The seed in base32, for typing into an app by hand. Shown now, never again. */
  secret: string;
  otpauthUri: string;
  /** The otpauth URI as an SVG QR code. */
  qrSvg: string;
}

const OTPAUTH_ISSUER = 'Tessera';
export const DEFAULT_TOTP_LABEL = 'Authenticator app';

/**
 * Starts a TOTP enrolment: a fresh seed, stored (sealed) as a pending factor that counts for nothing
 * until confirmTotp accepts a first code. One TOTP per user: a user who has an active one is refused;
 * a pending enrolment left behind is replaced.
 */
export async function enrolTotp(
  deps: Deps,
  principal: Principal,
  input: { label?: string } = {},
): Promise<TotpEnrolment> {
  const user = await deps.stores.users.findById(principal.userId);
  if (user === undefined) throw new FlowError('user_not_found', 'The account no longer exists.');
  const active = await listActiveFactors(deps, user.id);
  if (active.some((factor) => factor.kind === 'totp')) {
    throw new FlowError('mfa_already_enrolled', 'An authenticator app is set up already; remove it first.');
  }
  await deps.stores.secondFactors.removePending(user.id);
  const factorId = newId(deps);
  const secret = generateTotpSecret(deps);
  await deps.stores.secondFactors.create({
    id: factorId,
    userId: user.id,
    kind: 'totp',
    secret: sealTotpSecret(deps, factorId, secret),
    label: input.label?.trim() || DEFAULT_TOTP_LABEL,
    createdAt: deps.clock.now(),
  });
  const otpauthUri = buildOtpauthUri({ issuer: OTPAUTH_ISSUER, account: user.email, secret });
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { factorId, secret, otpauthUri, qrSvg };
}
